/**
 * The digest of a directory of evidence (docs/case-file.md): SHA-256 over "proofdesk-tree-v1\n"
 * followed, for every regular file in order of its UTF-8 path bytes, by
 * `path 0x00 size 0x00 sha256-hex 0x0A`. The case locker names a stored directory by it; a
 * report names a directory bundle by it, over the files the verification read.
 */
import { sha256 } from '../crypto/hash.js';
import { concatBytes, toHex, utf8 } from '../encoding/bytes.js';

export const TREE_DIGEST_PREFIX = 'proofdesk-tree-v1\n';

export interface TreeFile {
  readonly path: string;
  readonly size: number;
  /** Lowercase hex SHA-256 of the file. */
  readonly digest: string;
}

function comparePathBytes(a: string, b: string): number {
  const x = utf8(a);
  const y = utf8(b);
  const n = Math.min(x.length, y.length);
  for (let k = 0; k < n; k++) if (x[k] !== y[k]) return (x[k] as number) - (y[k] as number);
  return x.length - y.length;
}

/** Requires paths without NUL or line feed (import refuses such names). */
export function treeDigest(files: readonly TreeFile[], h: (b: Uint8Array) => Uint8Array = sha256): string {
  const sorted = [...files].sort((a, b) => comparePathBytes(a.path, b.path));
  const parts = [utf8(TREE_DIGEST_PREFIX), ...sorted.map((f) => utf8(`${f.path}\0${f.size}\0${f.digest}\n`))];
  return toHex(h(concatBytes(...parts)));
}
