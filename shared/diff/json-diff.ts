/**
 * Which JSON members differ between two parsed values, as JSONPath-style paths ($.event.outcome,
 * $.tags[2], $["odd name"]) — the form finding locations use for JSON paths.
 */

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function memberPath(parent: string, name: string): string {
  return IDENT.test(name) ? `${parent}.${name}` : `${parent}[${JSON.stringify(name)}]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export interface FieldDiff {
  /** Paths whose values differ, in document order of `a` then members only in `b`; at most `max`. */
  readonly paths: string[];
  /** Differing paths beyond `max`, counted. */
  readonly omitted: number;
  /**
   * Present when the values nest deeper than MAX_FIELD_DEPTH and differ down there: the paths
   * stop at this depth and name the member or element inside which they differ.
   */
  readonly depthLimit?: number;
}

/**
 * How deep paths are followed. Entry lines are bounded (1 MiB), not their nesting: a line of
 * 10 KB can nest 5,000 arrays, and following it would overflow the stack (a recursive walk) or
 * build paths whose total length grows with the square of the depth. Audit events nest a few
 * levels; below this depth a difference is reported at the path of the subtree that holds it.
 */
export const MAX_FIELD_DEPTH = 100;

/** Deep equality of two JSON values with an explicit stack: any depth, time linear in their size. */
function jsonEqual(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (kind(x) !== kind(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], y[i]]);
    } else if (isObject(x) && isObject(y)) {
      const kx = Object.keys(x);
      if (kx.length !== Object.keys(y).length) return false;
      for (const k of kx) {
        if (!Object.hasOwn(y, k)) return false;
        stack.push([x[k], y[k]]);
      }
    } else if (!Object.is(x, y)) return false;
  }
  return true;
}

/**
 * The paths at which two JSON values (as JSON.parse returns them) differ. A member present on
 * one side only, a type change and an array length change are reported at the member's path;
 * inside objects and arrays the comparison descends so the path names the innermost difference,
 * down to MAX_FIELD_DEPTH levels (then `depthLimit` says so). Never recurses: any nesting is safe.
 * Requires max >= 1.
 */
export function jsonFieldDiff(a: unknown, b: unknown, max = 100): FieldDiff {
  const paths: string[] = [];
  let omitted = 0;
  let limited = false;
  const add = (p: string) => {
    if (paths.length < max) paths.push(p);
    else omitted++;
  };
  // Depth-first in document order: children are pushed last-first.
  const stack: Array<{ x: unknown; y: unknown; path: string; depth: number; missing?: true }> = [
    { x: a, y: b, path: '$', depth: 0 },
  ];
  while (stack.length > 0) {
    const { x, y, path, depth, missing } = stack.pop()!;
    if (missing || kind(x) !== kind(y)) {
      add(path);
      continue;
    }
    const container = Array.isArray(x) || isObject(x);
    if (container && depth >= MAX_FIELD_DEPTH) {
      if (!jsonEqual(x, y)) {
        limited = true;
        add(path);
      }
      continue;
    }
    const next: typeof stack = [];
    if (Array.isArray(x) && Array.isArray(y)) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const p = `${path}[${i}]`;
        next.push(
          i >= x.length || i >= y.length
            ? { x, y, path: p, depth, missing: true }
            : { x: x[i], y: y[i], path: p, depth: depth + 1 },
        );
      }
    } else if (isObject(x) && isObject(y)) {
      for (const k of Object.keys(x)) {
        const p = memberPath(path, k);
        next.push(
          Object.hasOwn(y, k)
            ? { x: x[k], y: y[k], path: p, depth: depth + 1 }
            : { x, y, path: p, depth, missing: true },
        );
      }
      for (const k of Object.keys(y))
        if (!Object.hasOwn(x, k)) next.push({ x, y, path: memberPath(path, k), depth, missing: true });
    } else if (!Object.is(x, y)) add(path);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
  }
  return { paths, omitted, ...(limited ? { depthLimit: MAX_FIELD_DEPTH } : {}) };
}

/**
 * Parses a member path given by a user: `seq`, `event.id`, `$.event.id`. Dotted member names
 * only. Returns undefined when the path is empty or has an empty segment.
 */
export function parseMemberPath(spec: string): string[] | undefined {
  const s = spec.startsWith('$.') ? spec.slice(2) : spec;
  if (s === '') return undefined;
  const parts = s.split('.');
  return parts.every((p) => p !== '') ? parts : undefined;
}

/** The value at a member path, or undefined when some member on the way is missing. */
export function valueAt(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (!isObject(cur) || !Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}
