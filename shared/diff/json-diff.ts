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
}

/**
 * The paths at which two JSON values (as JSON.parse returns them) differ. A member present on
 * one side only, a type change and an array length change are reported at the member's path;
 * inside objects and arrays the comparison recurses so the path names the innermost difference.
 * Requires max >= 1.
 */
export function jsonFieldDiff(a: unknown, b: unknown, max = 100): FieldDiff {
  const paths: string[] = [];
  let omitted = 0;
  const add = (p: string) => {
    if (paths.length < max) paths.push(p);
    else omitted++;
  };
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (kind(x) !== kind(y)) return add(path);
    if (Array.isArray(x) && Array.isArray(y)) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; i++) {
        if (i >= x.length || i >= y.length) add(`${path}[${i}]`);
        else walk(x[i], y[i], `${path}[${i}]`);
      }
      return;
    }
    if (isObject(x) && isObject(y)) {
      for (const k of Object.keys(x)) {
        if (!Object.hasOwn(y, k)) add(memberPath(path, k));
        else walk(x[k], y[k], memberPath(path, k));
      }
      for (const k of Object.keys(y)) if (!Object.hasOwn(x, k)) add(memberPath(path, k));
      return;
    }
    if (!Object.is(x, y)) add(path);
  };
  walk(a, b, '$');
  return { paths, omitted };
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
