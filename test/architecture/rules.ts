/**
 * The import rule of docs/architecture.md, as a function over a set of source files, so the
 * test can run it on the repository and on small planted file sets alike.
 *
 *  - shared/ is pure: it imports only shared/ and packages that are neither Node built-ins nor
 *    `electron` (tsconfig.shared.json also hides the Node types from it).
 *  - electron/ is a strict stack of layers, lowest first (ELECTRON_LAYERS). A file imports its
 *    own layer, lower layers and shared/; never a higher layer, never renderer/. Only app/
 *    imports the `electron` package. Every file sits in a layer.
 *  - renderer/ imports renderer/ and the parts of shared/ meant for it (RENDERER_MAY_IMPORT),
 *    and no Node built-in or `electron`.
 *  - No import cycles, type-only imports included.
 *
 * Every import form counts: static, `export … from`, side-effect, dynamic `import()`, type-only.
 */
import { isBuiltin } from 'node:module';
import { posix } from 'node:path';
import { importsOf } from '../support/imports.js';

/** electron/'s layers, lowest first: a file may import its own layer and the ones before it. */
export const ELECTRON_LAYERS = [
  'platform',
  'keys',
  'write',
  'verify',
  'diff',
  'report',
  'case',
  'services',
  'transport',
  'cli',
  'app',
] as const;

/** What the renderer may import from shared/: the contract, verdict types and presentation. */
export const RENDERER_MAY_IMPORT: readonly RegExp[] = [
  /^shared\/protocol\//,
  /^shared\/verdict\//,
  /^shared\/present\//,
  /^shared\/report\/document\.ts$/,
];

/** Repository-relative POSIX path → source text. */
export type SourceSet = ReadonlyMap<string, string>;

/** The file a relative specifier names within the set (`.js` names the `.ts`/`.tsx` beside it). */
function resolveIn(files: SourceSet, from: string, spec: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    base,
    `${base}.ts`,
    `${base}/index.ts`,
  ];
  return candidates.find((c) => files.has(c));
}

type Area =
  | { readonly kind: 'shared' }
  | { readonly kind: 'renderer' }
  | { readonly kind: 'electron'; readonly layer: number }
  | { readonly kind: 'other' };

function areaOf(file: string): Area {
  if (file.startsWith('shared/')) return { kind: 'shared' };
  if (file.startsWith('renderer/')) return { kind: 'renderer' };
  if (file.startsWith('electron/')) {
    const folder = file.split('/')[1] ?? '';
    return { kind: 'electron', layer: (ELECTRON_LAYERS as readonly string[]).indexOf(folder) };
  }
  return { kind: 'other' };
}

const packageName = (spec: string): string =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);

/** One import that breaks the rule, or a cycle: each problem names its files. */
export function checkArchitecture(files: SourceSet): string[] {
  const problems: string[] = [];
  const edges = new Map<string, string[]>();
  for (const [file, src] of files) {
    const area = areaOf(file);
    const out: string[] = [];
    edges.set(file, out);
    if (area.kind === 'electron' && area.layer < 0)
      problems.push(`${file}: not in a layer (electron/<${ELECTRON_LAYERS.join('|')}>/)`);
    for (const i of importsOf(src)) {
      const where = `${file}:${i.line} imports '${i.spec}'`;
      if (!i.spec.startsWith('.')) {
        const pkg = packageName(i.spec);
        const builtin = i.spec.startsWith('node:') || isBuiltin(i.spec);
        if (area.kind === 'shared' && (builtin || pkg === 'electron'))
          problems.push(`${where}: shared/ is platform-free`);
        if (area.kind === 'renderer' && (builtin || pkg === 'electron'))
          problems.push(`${where}: the renderer reaches the backend only through the IPC contract`);
        if (area.kind === 'electron' && pkg === 'electron' && ELECTRON_LAYERS[area.layer] !== 'app')
          problems.push(`${where}: only electron/app/ imports electron`);
        continue;
      }
      // The renderer's stylesheet and images are bundled by Vite, not modules of this rule.
      if (area.kind === 'renderer' && /\.(css|svg|png|woff2?)$/.test(i.spec)) continue;
      const target = resolveIn(files, file, i.spec);
      if (target === undefined) {
        problems.push(`${where}: names no source file`);
        continue;
      }
      out.push(target);
      const to = areaOf(target);
      if (area.kind === 'shared' && to.kind !== 'shared') problems.push(`${where}: shared/ imports only shared/`);
      if (
        area.kind === 'renderer' &&
        to.kind !== 'renderer' &&
        !(to.kind === 'shared' && RENDERER_MAY_IMPORT.some((r) => r.test(target)))
      ) {
        problems.push(
          `${where}: the renderer imports only renderer/, shared/protocol/, shared/verdict/, shared/present/ and shared/report/document.ts`,
        );
      }
      if (area.kind === 'electron') {
        if (to.kind === 'renderer' || to.kind === 'other')
          problems.push(`${where}: electron/ imports only electron/ and shared/`);
        if (to.kind === 'electron' && to.layer > area.layer) {
          problems.push(
            `${where}: wrong way, electron/${ELECTRON_LAYERS[area.layer]} is below electron/${ELECTRON_LAYERS[to.layer]}`,
          );
        }
      }
    }
  }
  for (const cycle of cycles(edges)) problems.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
  return problems;
}

/** The strongly connected components with more than one file (or a file importing itself), each as a cycle through them. */
export function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = new Set<string>();
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.add(w);
    } while (w !== v);
    if (component.size > 1 || (edges.get(v) ?? []).includes(v)) found.push(pathThrough(v, component, edges));
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** A shortest cycle from `start` back to itself inside `component`, for the message. */
function pathThrough(
  start: string,
  component: ReadonlySet<string>,
  edges: ReadonlyMap<string, readonly string[]>,
): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of edges.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let p = prev.get(v); p !== undefined; p = prev.get(p)) path.unshift(p);
        return path[0] === start ? path : [start, ...path];
      }
      if (!prev.has(w) && w !== start) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component];
}
