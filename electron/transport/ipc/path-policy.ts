/**
 * Which paths a call may name. The token (local host) or the window (Electron) proves a caller
 * is the page, not that the user chose the file: without a policy, whoever holds the token can
 * create a case anywhere, import ~/.ssh/id_ed25519, sign into any folder or hash any file. So
 * every path in a call's arguments (PATH_KEYS, at any depth) must pass the backend's policy
 * before the handler runs:
 *
 *   - `underRoots` (proofdesk serve): the path, with its symbolic links resolved as far as it
 *     exists, lies in one of the folders given on the command line (`--root`, default: the
 *     current directory);
 *   - `ChosenPaths` (the Electron app): a path the user chose in the file dialog or dropped on
 *     the window, or anything inside one; any other path (typed in the UI) is allowed only after
 *     the user confirms it in a native dialog the page cannot answer;
 *   - `anyPath`: for code that calls the services in-process (tests, the CLI's own use).
 *
 * The check happens before the handler opens anything; a link swapped in afterwards is the
 * platform's concern (files are opened without following links inside bundles and cases).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';

export interface PathPolicy {
  /** Resolves when `path` may be used; rejects with a FORBIDDEN error otherwise. */
  check(path: string): Promise<void>;
}

/** Argument members that hold a path on this machine (shared/protocol/ipc.ts). */
export const PATH_KEYS: ReadonlySet<string> = new Set(['path', 'dir', 'keyPath', 'outDir']);

/** Every path-valued member of a call's (validated) arguments. */
export function pathArgs(args: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (PATH_KEYS.has(k) && typeof x === 'string') out.push(x);
        else walk(x);
      }
  };
  walk(args);
  return out;
}

export function forbidden(path: string, why: string): Error {
  return Object.assign(new Error(`${path}: ${why}`), { ipcCode: 'FORBIDDEN' as const });
}

/**
 * The absolute path with every symbolic link resolved as far as the path exists; the parts
 * that do not exist yet (a case or report folder to create) are appended as given.
 */
export function realish(path: string): string {
  let p = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(p), ...rest);
    } catch {
      const parent = dirname(p);
      if (parent === p) return join(p, ...rest);
      rest.unshift(basename(p));
      p = parent;
    }
  }
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Paths under the given folders only (proofdesk serve --root). */
export function underRoots(roots: readonly string[]): PathPolicy & { readonly roots: readonly string[] } {
  const real = roots.map((r) => realish(r));
  return {
    roots: real,
    async check(path) {
      if (!isAbsolute(path)) throw forbidden(path, 'give an absolute path');
      const p = realish(path);
      if (!real.some((r) => inside(p, r)))
        throw forbidden(
          path,
          `outside the folders this server may use (${real.join(', ')}); start proofdesk serve with --root for its folder`,
        );
    },
  };
}

/**
 * The Electron app's policy: paths the user chose (dialog, drop) and what lies inside them;
 * any other path only once the user confirms it (`confirm`, a native dialog).
 */
export class ChosenPaths implements PathPolicy {
  private readonly chosen = new Set<string>();
  constructor(private readonly confirm: (path: string) => Promise<boolean>) {}

  /** A path the user chose in a file dialog or dropped on the window. */
  allow(path: string): void {
    if (isAbsolute(path)) this.chosen.add(realish(path));
  }

  async check(path: string): Promise<void> {
    if (!isAbsolute(path)) throw forbidden(path, 'give an absolute path');
    const p = realish(path);
    for (const c of this.chosen) if (inside(p, c)) return;
    if (!(await this.confirm(p))) throw forbidden(path, 'not chosen in the file dialog, dropped or confirmed');
    this.chosen.add(p);
  }
}

/** No restriction: for in-process callers, where the caller is the user. */
export function anyPath(): PathPolicy {
  return { check: async () => {} };
}
