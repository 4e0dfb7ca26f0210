/**
 * Bundle-relative path rules (docs/bundle-format.md §1.2). A path that fails these is never
 * opened: the check is the first line of defence against "../../etc/passwd", absolute paths,
 * Windows drive letters, NUL bytes and look-alike Unicode.
 */

const MAX_BUNDLE_PATH_BYTES = 1024;

export type UnsafePathReason =
  | 'EMPTY'
  | 'TOO_LONG'
  | 'ABSOLUTE'
  | 'BACKSLASH'
  | 'DOT_SEGMENT'
  | 'EMPTY_SEGMENT'
  | 'FORBIDDEN_CHARACTER';

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Returns why `p` is not an acceptable bundle path, or undefined when it is. */
export function checkBundlePath(p: string): UnsafePathReason | undefined {
  if (p.length === 0) return 'EMPTY';
  if (p.length > MAX_BUNDLE_PATH_BYTES) return 'TOO_LONG';
  if (p.startsWith('/')) return 'ABSOLUTE';
  if (p.includes('\\')) return 'BACKSLASH';
  for (const seg of p.split('/')) {
    if (seg === '') return 'EMPTY_SEGMENT';
    if (seg === '.' || seg === '..') return 'DOT_SEGMENT';
    if (!SEGMENT.test(seg)) return 'FORBIDDEN_CHARACTER';
  }
  return undefined;
}
