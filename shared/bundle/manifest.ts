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
 * How an integer member is spelled: `1.0`, `1e0` or `4503599627370496.5` read as integers here
 * and are refused by readers that parse integers strictly, so the manifest would say two things.
 */
function spelledAsInteger(numbers: ReadonlyMap<string, string> | undefined, path: string): boolean {
  const token = numbers?.get(path);
  return token === undefined || JSON_INTEGER.test(token);
}

/** The problems of one manifest, collected in the order its members are checked. */
class ManifestProblems {
  readonly list: ManifestProblem[] = [];

  constructor(private readonly numbers: ReadonlyMap<string, string> | undefined) {}

  bad(path: string, message: string, unsafePath = false): void {
    this.list.push(unsafePath ? { path, message, unsafePath } : { path, message });
  }

  integerForm(path: string): void {
    if (!spelledAsInteger(this.numbers, path))
      this.bad(
        path,
        `must be written as a JSON integer (digits only, no fraction or exponent), not ${this.numbers?.get(path)}`,
      );
  }

  /** Whether `p` is a safe bundle path; a problem at `at` when it is not. */
  path(p: unknown, at: string): p is string {
    if (typeof p !== 'string') {
      this.bad(at, 'must be a string');
      return false;
    }
    const reason = checkBundlePath(p);
    if (reason) {
      this.bad(at, `unsafe path ${JSON.stringify(p)} (${reason})`, true);
      return false;
    }
    return true;
  }
}

/** Why the manifest is not a Proofdesk bundle of the version this verifier reads, if it is not. */
function unsupportedFormat(
  v: Record<string, unknown>,
  numbers: ReadonlyMap<string, string> | undefined,
): string | undefined {
  if (v.format !== BUNDLE_FORMAT)
    return `not a Proofdesk bundle: format is ${JSON.stringify(v.format)}, expected "${BUNDLE_FORMAT}"`;
  if (v.version !== BUNDLE_VERSION)
    return `unsupported bundle format version ${JSON.stringify(v.version)}; this verifier reads version ${BUNDLE_VERSION}`;
  if (!spelledAsInteger(numbers, '$.version'))
    return `the bundle format version is written ${numbers?.get('$.version')}; it must be the JSON integer ${BUNDLE_VERSION}`;
  return undefined;
}

/** The origin, or '' when it is unusable (a problem). */
function readOrigin(c: ManifestProblems, origin: unknown): string {
  if (typeof origin !== 'string' || origin.length === 0) c.bad('$.origin', 'must be a non-empty string');
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(origin)) c.bad('$.origin', 'must not contain control characters');
  else {
    const hidden = unprintableIn(origin);
    // Readable as one thing and displayed as another: the origin is kept (it is what the
    // checkpoints sign) and the bundle fails, naming the character.
    if (hidden)
      c.bad(
        '$.origin',
        `must be printable: it holds ${hidden}, which changes how the origin is displayed without being seen`,
      );
    return origin;
  }
  return '';
}

/** The entries file, or undefined when it cannot be located. An unusable count is -1. */
function readEntries(c: ManifestProblems, raw: unknown): Manifest['entries'] | undefined {
  if (!isObject(raw)) {
    c.bad('$.entries', 'must be an object');
    return undefined;
  }
  const pathOk = c.path(raw.path, '$.entries.path');
  if (!isCount(raw.count)) c.bad('$.entries.count', 'must be a non-negative integer');
  else c.integerForm('$.entries.count');
  const firstSeq = raw.first_seq === undefined ? 0 : raw.first_seq;
  if (!isCount(firstSeq)) c.bad('$.entries.first_seq', 'must be a non-negative integer');
  else c.integerForm('$.entries.first_seq');
  if (!pathOk) return undefined;
  return {
    path: raw.path as string,
    count: isCount(raw.count) ? raw.count : -1,
    first_seq: isCount(firstSeq) ? firstSeq : 0,
  };
}

/**
 * One list of paths (`$.checkpoints`, `$.proofs`, `$.keys`). `roleOf` holds the JSON location of
 * each file named so far (by sameFileKey): a path named again is a problem and is left out.
 */
function readPathList(
  c: ManifestProblems,
  key: 'checkpoints' | 'proofs' | 'keys',
  raw: unknown,
  roleOf: Map<string, string>,
): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    c.bad(`$.${key}`, 'must be an array of paths');
    return [];
  }
  const out: string[] = [];
  raw.forEach((p, i) => {
    const at = `$.${key}[${i}]`;
    if (!c.path(p, at)) return;
    const first = roleOf.get(sameFileKey(p));
    if (first !== undefined) {
      c.bad(
        at,
        `${JSON.stringify(p)} names the same file as ${first}; a file is listed once, in one role (ignored here)`,
      );
      return;
    }
    roleOf.set(sameFileKey(p), at);
    out.push(p);
  });
  return out;
}

/** The `$.files` list, each file once (by sameFileKey); a file with an unusable path is left out. */
function readFiles(c: ManifestProblems, raw: readonly unknown[]): ManifestFile[] {
  const files: ManifestFile[] = [];
  const seen = new Map<string, string>();
  raw.forEach((f, i) => {
    const file = readFile(c, f, `$.files[${i}]`, seen);
    if (file) files.push(file);
  });
  return files;
}

/** One member of `$.files` at `at`; `seen` maps each file listed so far to its location. */
function readFile(c: ManifestProblems, f: unknown, at: string, seen: Map<string, string>): ManifestFile | undefined {
  if (!isObject(f)) {
    c.bad(at, 'must be an object');
    return undefined;
  }
  const okPath = c.path(f.path, `${at}.path`);
  const okSize = isCount(f.size);
  // A file whose size or digest is unusable is still the file the manifest names: it is read
  // and judged in its role, and the problem is reported where it is, not as a missing file.
  if (!okSize) c.bad(`${at}.size`, 'must be a non-negative integer; the size is not compared');
  else c.integerForm(`${at}.size`);
  const sha256 = readDigest(c, f.sha256, `${at}.sha256`);
  const key = okPath ? sameFileKey(f.path as string) : '';
  const first = okPath ? seen.get(key) : undefined;
  if (first !== undefined)
    c.bad(`${at}.path`, `${JSON.stringify(f.path)} names the same file as ${first}; listed once only (ignored here)`);
  else if (okPath) seen.set(key, `${at}.path`);
  if (!okPath || first !== undefined) return undefined;
  return {
    path: f.path as string,
    ...(okSize ? { size: f.size as number } : {}),
    ...(sha256 !== undefined ? { sha256 } : {}),
  };
}

/** A file's digest as lowercase hex, or undefined (a problem) when it is not one. */
function readDigest(c: ManifestProblems, raw: unknown, at: string): string | undefined {
  if (typeof raw === 'string' && HEX64.test(raw)) return raw;
  if (typeof raw === 'string' && /^[0-9a-fA-F]{64}$/.test(raw)) {
    c.bad(at, 'must be 64 lowercase hex characters; it has uppercase letters (compared ignoring case)');
    return raw.toLowerCase();
  }
  c.bad(at, 'must be 64 lowercase hex characters; the digest is not compared');
  return undefined;
}

/** Every path named in a role must be listed in `$.files`. */
function requireListed(
  c: ManifestProblems,
  files: readonly ManifestFile[],
  entries: Manifest['entries'] | undefined,
  lists: Readonly<Record<'checkpoints' | 'proofs' | 'keys', readonly string[]>>,
): void {
  const listed = new Set(files.map((f) => f.path));
  if (entries !== undefined && !listed.has(entries.path))
    c.bad('$.entries.path', `${JSON.stringify(entries.path)} is not listed in $.files`);
  for (const key of ['checkpoints', 'proofs', 'keys'] as const) {
    lists[key].forEach((p, i) => {
      if (!listed.has(p)) c.bad(`$.${key}[${i}]`, `${JSON.stringify(p)} is not listed in $.files`);
    });
  }
}

/**
 * Validates a parsed manifest. Problems that leave the entries file locatable are returned
 * with kind 'ok' (they become MANIFEST_INVALID / PATH_UNSAFE findings); the bundle is still
 * verified as far as possible.
 */
export function validateManifest(v: unknown, numbers?: ReadonlyMap<string, string>): ManifestValidation {
  if (!isObject(v)) return { kind: 'invalid', problems: [{ path: '$', message: 'manifest is not a JSON object' }] };
  const unsupported = unsupportedFormat(v, numbers);
  if (unsupported !== undefined) return { kind: 'unsupported', message: unsupported };
  const c = new ManifestProblems(numbers);
  const origin = readOrigin(c, v.origin);
  if (v.hash !== 'sha256') c.bad('$.hash', 'must be "sha256"');
  const entries = readEntries(c, v.entries);
  // Every file has one role: a path named twice (in one list or in two, or as the entries
  // file) would be read and judged twice, and its role would depend on the order of checks.
  const roleOf = new Map<string, string>();
  if (entries) roleOf.set(sameFileKey(entries.path), '$.entries.path');
  const checkpoints = readPathList(c, 'checkpoints', v.checkpoints, roleOf);
  const proofs = readPathList(c, 'proofs', v.proofs, roleOf);
  const keys = readPathList(c, 'keys', v.keys, roleOf);
  let files: ManifestFile[] = [];
  if (!Array.isArray(v.files)) c.bad('$.files', 'must be an array');
  else {
    files = readFiles(c, v.files);
    requireListed(c, files, entries, { checkpoints, proofs, keys });
  }
  if (v.created !== undefined && typeof v.created !== 'string') c.bad('$.created', 'must be a string');
  if (v.producer !== undefined && typeof v.producer !== 'string') c.bad('$.producer', 'must be a string');
  if (!entries || origin === '') return { kind: 'invalid', problems: c.list };
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
  return { kind: 'ok', manifest, problems: c.list };
}
