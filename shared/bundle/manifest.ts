/**
 * The bundle manifest (docs/bundle-format.md §2): its type and a validator that collects every
 * problem with its JSON path. The manifest is unsigned; it names files and lets accidental
 * damage be detected, nothing more.
 */
import { JSON_INTEGER } from '../encoding/json.js';
import { checkBundlePath } from './paths.js';

export const BUNDLE_FORMAT = 'proofdesk-bundle';
export const BUNDLE_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export interface ManifestFile {
  readonly path: string;
  /** Absent when the manifest's value is not a size (a MANIFEST_INVALID problem): not compared. */
  readonly size?: number;
  /** Lowercase hex SHA-256; absent when the manifest's value is not a digest (a MANIFEST_INVALID problem): not compared. */
  readonly sha256?: string;
}

export interface Manifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: typeof BUNDLE_VERSION;
  readonly origin: string;
  readonly hash: 'sha256';
  readonly entries: { readonly path: string; readonly count: number; readonly first_seq: number };
  readonly checkpoints: readonly string[];
  readonly proofs: readonly string[];
  readonly keys: readonly string[];
  readonly files: readonly ManifestFile[];
  readonly created?: string;
  readonly producer?: string;
}

export interface ManifestProblem {
  readonly path: string;
  readonly message: string;
  /** True when the problem is a path that must not be opened (reported as PATH_UNSAFE). */
  readonly unsafePath?: boolean;
}

export type ManifestValidation =
  | { readonly kind: 'ok'; readonly manifest: Manifest; readonly problems: readonly ManifestProblem[] }
  /** Not a Proofdesk bundle of a version we know: nothing may be verified. */
  | { readonly kind: 'unsupported'; readonly message: string }
  /** Too broken to locate the entries: the problems say why. */
  | { readonly kind: 'invalid'; readonly problems: readonly ManifestProblem[] };

const HEX64 = /^[0-9a-f]{64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Two bundle paths name one file when they are equal ignoring ASCII letter case: so they do on
 * the case-insensitive file systems of macOS and Windows, where such a bundle unpacks to one
 * file. (Bundle paths are ASCII: shared/bundle/paths.ts; "." and "" segments are refused there.)
 */
function sameFileKey(path: string): string {
  return path.toLowerCase();
}

/**
 * Characters an origin must not hold because they are invisible or change how the text around
 * them is shown: format characters (bidirectional overrides such as U+202E, zero-width spaces
 * and joiners, U+FEFF), line and paragraph separators, spaces other than U+0020, C1 controls,
 * private-use characters and lone surrogates. Returns the first one, named, or undefined.
 */
export function unprintableIn(s: string): string | undefined {
  const m = /[\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\u0080-\u009f]|(?! )\p{Zs}/u.exec(s);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0) as number;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Validates a parsed manifest. Problems that leave the entries file locatable are returned
 * with kind 'ok' (they become MANIFEST_INVALID / PATH_UNSAFE findings); the bundle is still
 * verified as far as possible.
 */
export function validateManifest(v: unknown, numbers?: ReadonlyMap<string, string>): ManifestValidation {
  if (!isObject(v)) return { kind: 'invalid', problems: [{ path: '$', message: 'manifest is not a JSON object' }] };
  // How an integer member is spelled: `1.0`, `1e0` or `4503599627370496.5` read as integers here
  // and are refused by readers that parse integers strictly, so the manifest would say two things.
  const spelledAsInteger = (path: string) => {
    const token = numbers?.get(path);
    return token === undefined || JSON_INTEGER.test(token);
  };
  if (v.format !== BUNDLE_FORMAT) {
    return {
      kind: 'unsupported',
      message: `not a Proofdesk bundle: format is ${JSON.stringify(v.format)}, expected "${BUNDLE_FORMAT}"`,
    };
  }
  if (v.version !== BUNDLE_VERSION) {
    return {
      kind: 'unsupported',
      message: `unsupported bundle format version ${JSON.stringify(v.version)}; this verifier reads version ${BUNDLE_VERSION}`,
    };
  }
  if (!spelledAsInteger('$.version'))
    return {
      kind: 'unsupported',
      message: `the bundle format version is written ${numbers?.get('$.version')}; it must be the JSON integer ${BUNDLE_VERSION}`,
    };
  const problems: ManifestProblem[] = [];
  const bad = (path: string, message: string, unsafePath = false) =>
    problems.push(unsafePath ? { path, message, unsafePath } : { path, message });
  const integerForm = (path: string) => {
    if (!spelledAsInteger(path))
      bad(path, `must be written as a JSON integer (digits only, no fraction or exponent), not ${numbers?.get(path)}`);
  };

  const checkPath = (p: unknown, at: string): p is string => {
    if (typeof p !== 'string') {
      bad(at, 'must be a string');
      return false;
    }
    const reason = checkBundlePath(p);
    if (reason) {
      bad(at, `unsafe path ${JSON.stringify(p)} (${reason})`, true);
      return false;
    }
    return true;
  };

  let origin = '';
  if (typeof v.origin !== 'string' || v.origin.length === 0) bad('$.origin', 'must be a non-empty string');
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(v.origin)) bad('$.origin', 'must not contain control characters');
  else {
    origin = v.origin;
    const hidden = unprintableIn(origin);
    // Readable as one thing and displayed as another: the origin is kept (it is what the
    // checkpoints sign) and the bundle fails, naming the character.
    if (hidden)
      bad(
        '$.origin',
        `must be printable: it holds ${hidden}, which changes how the origin is displayed without being seen`,
      );
  }

  if (v.hash !== 'sha256') bad('$.hash', 'must be "sha256"');

  let entries: Manifest['entries'] | undefined;
  if (!isObject(v.entries)) bad('$.entries', 'must be an object');
  else {
    const e = v.entries;
    const pathOk = checkPath(e.path, '$.entries.path');
    if (!isCount(e.count)) bad('$.entries.count', 'must be a non-negative integer');
    else integerForm('$.entries.count');
    const firstSeq = e.first_seq === undefined ? 0 : e.first_seq;
    if (!isCount(firstSeq)) bad('$.entries.first_seq', 'must be a non-negative integer');
    else integerForm('$.entries.first_seq');
    if (pathOk) {
      entries = {
        path: e.path as string,
        count: isCount(e.count) ? e.count : -1,
        first_seq: isCount(firstSeq) ? firstSeq : 0,
      };
    }
  }

  // Every file has one role: a path named twice (in one list or in two, or as the entries
  // file) would be read and judged twice, and its role would depend on the order of checks.
  const roleOf = new Map<string, string>();
  if (entries) roleOf.set(sameFileKey(entries.path), '$.entries.path');
  const pathList = (key: 'checkpoints' | 'proofs' | 'keys'): string[] => {
    const raw = v[key];
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
      bad(`$.${key}`, 'must be an array of paths');
      return [];
    }
    const out: string[] = [];
    raw.forEach((p, i) => {
      const at = `$.${key}[${i}]`;
      if (!checkPath(p, at)) return;
      const first = roleOf.get(sameFileKey(p));
      if (first !== undefined) {
        bad(
          at,
          `${JSON.stringify(p)} names the same file as ${first}; a file is listed once, in one role (ignored here)`,
        );
        return;
      }
      roleOf.set(sameFileKey(p), at);
      out.push(p);
    });
    return out;
  };
  const checkpoints = pathList('checkpoints');
  const proofs = pathList('proofs');
  const keys = pathList('keys');

  const files: ManifestFile[] = [];
  if (!Array.isArray(v.files)) bad('$.files', 'must be an array');
  else {
    const seen = new Map<string, string>();
    v.files.forEach((f, i) => {
      const at = `$.files[${i}]`;
      if (!isObject(f)) {
        bad(at, 'must be an object');
        return;
      }
      const okPath = checkPath(f.path, `${at}.path`);
      const okSize = isCount(f.size);
      // A file whose size or digest is unusable is still the file the manifest names: it is read
      // and judged in its role, and the problem is reported where it is, not as a missing file.
      if (!okSize) bad(`${at}.size`, 'must be a non-negative integer; the size is not compared');
      else integerForm(`${at}.size`);
      let sha256: string | undefined;
      if (typeof f.sha256 === 'string' && HEX64.test(f.sha256)) sha256 = f.sha256;
      else if (typeof f.sha256 === 'string' && /^[0-9a-fA-F]{64}$/.test(f.sha256)) {
        bad(`${at}.sha256`, 'must be 64 lowercase hex characters; it has uppercase letters (compared ignoring case)');
        sha256 = f.sha256.toLowerCase();
      } else bad(`${at}.sha256`, 'must be 64 lowercase hex characters; the digest is not compared');
      const key = okPath ? sameFileKey(f.path as string) : '';
      const first = okPath ? seen.get(key) : undefined;
      if (first !== undefined)
        bad(`${at}.path`, `${JSON.stringify(f.path)} names the same file as ${first}; listed once only (ignored here)`);
      else if (okPath) seen.set(key, `${at}.path`);
      if (okPath && first === undefined) {
        files.push({
          path: f.path as string,
          ...(okSize ? { size: f.size as number } : {}),
          ...(sha256 !== undefined ? { sha256 } : {}),
        });
      }
    });
    const listed = new Set(files.map((f) => f.path));
    const requireListed = (p: string | undefined, at: string) => {
      if (p !== undefined && !listed.has(p)) bad(at, `${JSON.stringify(p)} is not listed in $.files`);
    };
    requireListed(entries?.path, '$.entries.path');
    checkpoints.forEach((p, i) => {
      requireListed(p, `$.checkpoints[${i}]`);
    });
    proofs.forEach((p, i) => {
      requireListed(p, `$.proofs[${i}]`);
    });
    keys.forEach((p, i) => {
      requireListed(p, `$.keys[${i}]`);
    });
  }

  if (v.created !== undefined && typeof v.created !== 'string') bad('$.created', 'must be a string');
  if (v.producer !== undefined && typeof v.producer !== 'string') bad('$.producer', 'must be a string');

  if (!entries || origin === '') return { kind: 'invalid', problems };
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    origin,
    hash: 'sha256',
    entries,
    checkpoints,
    proofs,
    keys,
    files,
    ...(typeof v.created === 'string' ? { created: v.created } : {}),
    ...(typeof v.producer === 'string' ? { producer: v.producer } : {}),
  };
  return { kind: 'ok', manifest, problems };
}
