/**
 * Proofdesk private-key files (docs/keys.md): an Ed25519 seed, encrypted at rest with a
 * passphrase (scrypt from @noble/hashes → AES-256-GCM from node:crypto), plus the public key
 * and the holder's identity in the clear. Every clear field is bound to the ciphertext as
 * AEAD associated data, so editing the name or public key makes decryption fail.
 *
 * Files are written atomically (temporary file, fsync, rename) with mode 0600, so a crash
 * never leaves a half-written key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { scrypt } from '@noble/hashes/scrypt.js';
import { publicKeyFromSeed } from '../../shared/crypto/ed25519.js';
import { fromBase64, toBase64, utf8 } from '../../shared/encoding/bytes.js';
import { canonicalJson } from '../../shared/encoding/jcs.js';
import { keyFingerprint, parseKey } from '../../shared/keys/keys.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { readRegular } from '../platform/open-regular.js';

export const KEY_FILE_FORMAT = 'proofdesk-key';
export const KEY_FILE_VERSION = 1;
/**
 * scrypt cost for new key files (RFC 7914 §2 parameters): OWASP's current minimum for scrypt,
 * N = 2^17, r = 8, p = 1 (128 MiB). A guess then costs an attacker 4× what the former 2^15 did;
 * here it takes about 0.4 s, and a key is unlocked once or twice per signed report. (age uses
 * 2^18: twice the memory and time again, for a key unlocked on every report signature.) Files
 * written with other parameters, such as the former 2^15, are read as they are.
 */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const MAX_SCRYPT_N = 2 ** 20;
/**
 * The most memory a key file's scrypt may ask for: 128·N·r bytes ≤ 1 GiB, i.e. N·r ≤ 2^23 (N = 2^20
 * with r ≤ 8; r = 32 with N ≤ 2^18). The format's ranges alone (N ≤ 2^20, r ≤ 32) would allow
 * 4 GiB, which no examiner's laptop should be asked for to open a key.
 */
export const MAX_SCRYPT_MEMORY = 2 ** 30;
/** Passphrases shorter than this get a warning when a key is written (NIST SP 800-63B asks for at least 8; 12 leaves a margin). */
export const SHORT_PASSPHRASE = 12;

export interface KeyIdentity {
  /** The holder's display name (an examiner's name, or a log's origin). */
  readonly name: string;
  /** C2SP note key name used in signature lines and verifier keys (no spaces or '+'). */
  readonly keyName?: string;
  readonly organisation?: string;
  readonly email?: string;
}

interface KeyFileHeader {
  readonly format: typeof KEY_FILE_FORMAT;
  readonly version: typeof KEY_FILE_VERSION;
  readonly algorithm: 'ed25519';
  readonly publicKey: string;
  readonly fingerprint: string;
  readonly identity: KeyIdentity;
  readonly created: string;
  readonly kdf: null | {
    readonly name: 'scrypt';
    readonly N: number;
    readonly r: number;
    readonly p: number;
    readonly salt: string;
  };
  readonly cipher: null | { readonly name: 'aes-256-gcm'; readonly nonce: string };
}

export interface KeyFile extends KeyFileHeader {
  /** Base64 of ciphertext || 16-byte tag (encrypted) or of the raw 32-byte seed (kdf and cipher null). */
  readonly secret: string;
}

export interface UnlockedKey {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly fingerprint: string;
  readonly identity: KeyIdentity;
  readonly encrypted: boolean;
}

function aad(h: KeyFileHeader): Buffer {
  return Buffer.from(utf8(canonicalJson(h)));
}

function deriveKey(passphrase: string, kdf: NonNullable<KeyFileHeader['kdf']>): Uint8Array {
  // The library's default memory cap (1 GiB + 1 KiB) is below what some accepted parameters
  // need (its count is 128·r·(N + p + 1) bytes): the cap comes from the parameters, already bounded.
  const maxmem = 128 * kdf.r * (kdf.N + kdf.p + 1) + 1024;
  return scrypt(utf8(passphrase.normalize('NFC')), fromBase64(kdf.salt), {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32,
    maxmem,
  });
}

/** Builds a key file for `seed`. A null passphrase stores the seed unencrypted (for demo and test keys only). */
export function sealKeyFile(
  seed: Uint8Array,
  identity: KeyIdentity,
  passphrase: string | null,
  created = new Date().toISOString(),
  cost: { readonly N: number; readonly r: number; readonly p: number } = DEFAULT_SCRYPT,
): KeyFile {
  if (seed.length !== 32) throw new ProofdeskError('KEY_INVALID', 'an Ed25519 private key seed is 32 bytes');
  const publicKey = publicKeyFromSeed(seed);
  const common = {
    format: KEY_FILE_FORMAT as typeof KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION as typeof KEY_FILE_VERSION,
    algorithm: 'ed25519' as const,
    publicKey: toBase64(publicKey),
    fingerprint: keyFingerprint(publicKey),
    identity,
    created,
  };
  if (passphrase === null) return { ...common, kdf: null, cipher: null, secret: toBase64(seed) };
  if (passphrase.length === 0)
    throw new ProofdeskError('USAGE', 'the passphrase is empty; use --no-passphrase to store a key unencrypted');
  const header: KeyFileHeader = {
    ...common,
    kdf: { name: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: toBase64(randomBytes(16)) },
    cipher: { name: 'aes-256-gcm', nonce: toBase64(randomBytes(12)) },
  };
  const key = deriveKey(passphrase, header.kdf!);
  const c = createCipheriv('aes-256-gcm', key, fromBase64(header.cipher!.nonce));
  c.setAAD(aad(header));
  const ct = Buffer.concat([c.update(seed), c.final(), c.getAuthTag()]);
  return { ...header, secret: toBase64(ct) };
}

/** Parses and checks a key file's structure (not the passphrase). */
export function parseKeyFile(text: string): KeyFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ProofdeskError(
      'KEY_INVALID',
      'not a Proofdesk key file (not JSON); to use a PEM or OpenSSH key, import it first',
    );
  }
  const o = v as Partial<KeyFile>;
  if (o?.format !== KEY_FILE_FORMAT) throw new ProofdeskError('KEY_INVALID', 'not a Proofdesk key file');
  if (o.version !== KEY_FILE_VERSION)
    throw new ProofdeskError('KEY_INVALID', `unsupported key file version ${JSON.stringify(o.version)}`);
  if (
    o.algorithm !== 'ed25519' ||
    typeof o.publicKey !== 'string' ||
    typeof o.secret !== 'string' ||
    typeof o.identity?.name !== 'string'
  ) {
    throw new ProofdeskError('KEY_INVALID', 'key file is missing required fields');
  }
  for (const f of ['keyName', 'organisation', 'email'] as const) {
    if (o.identity[f] !== undefined && typeof o.identity[f] !== 'string')
      throw new ProofdeskError('KEY_INVALID', `key file identity.${f} must be a string`);
  }
  if ((o.kdf === null) !== (o.cipher === null))
    throw new ProofdeskError('KEY_INVALID', 'key file has a KDF without a cipher or the reverse');
  if (o.kdf) {
    const { N, r, p } = o.kdf;
    if (
      o.kdf.name !== 'scrypt' ||
      !Number.isSafeInteger(N) ||
      N < 2 ||
      N > MAX_SCRYPT_N ||
      (N & (N - 1)) !== 0 ||
      !Number.isSafeInteger(r) ||
      r < 1 ||
      r > 32 ||
      !Number.isSafeInteger(p) ||
      p < 1 ||
      p > 16
    ) {
      throw new ProofdeskError('KEY_INVALID', 'key file has unsupported or unsafe scrypt parameters');
    }
    if (128 * N * r > MAX_SCRYPT_MEMORY)
      throw new ProofdeskError(
        'KEY_INVALID',
        `key file's scrypt parameters (N = ${N}, r = ${r}) need ${(128 * N * r) / 2 ** 20} MiB; Proofdesk allows at most ${MAX_SCRYPT_MEMORY / 2 ** 20} MiB (128·N·r, so N·r ≤ 2^23)`,
        { reason: 'SCRYPT_MEMORY', N, r, p },
      );
    if (o.cipher?.name !== 'aes-256-gcm')
      throw new ProofdeskError('KEY_INVALID', 'key file uses an unsupported cipher');
  }
  return o as KeyFile;
}

/**
 * Builds a key file from an existing Ed25519 private key in PEM PKCS#8 (RFC 8410 §7), as
 * `openssl genpkey -algorithm ed25519` writes it. Anything else — a public key, an encrypted
 * PEM, an OpenSSH private key, another algorithm — is KEY_INVALID with a reason.
 */
export function importPrivateKeyPem(
  pemText: string,
  identity: KeyIdentity,
  passphrase: string | null,
  created?: string,
): KeyFile {
  const k = parseKey(pemText);
  if (k.source !== 'pem-pkcs8' || !k.privateSeed) {
    throw new ProofdeskError(
      'KEY_INVALID',
      'not a private key: give the Ed25519 private key in PEM PKCS#8 (-----BEGIN PRIVATE KEY-----)',
      { reason: 'NOT_PRIVATE' },
    );
  }
  return created === undefined
    ? sealKeyFile(k.privateSeed, identity, passphrase)
    : sealKeyFile(k.privateSeed, identity, passphrase, created);
}

export function isEncrypted(k: KeyFile): boolean {
  return k.kdf !== null;
}

/** Decrypts a key file. Wrong passphrase → PASSPHRASE_WRONG; a missing one → PASSPHRASE_REQUIRED. */
export function unlockKeyFile(k: KeyFile, passphrase: string | undefined): UnlockedKey {
  let seed: Uint8Array;
  if (k.kdf === null || k.cipher === null) {
    seed = fromBase64(k.secret);
  } else {
    if (passphrase === undefined)
      throw new ProofdeskError('PASSPHRASE_REQUIRED', 'this key is encrypted: a passphrase is required');
    const { secret, ...header } = k;
    const key = deriveKey(passphrase, k.kdf);
    const blob = Buffer.from(fromBase64(secret));
    if (blob.length !== 32 + 16) throw new ProofdeskError('KEY_INVALID', 'key file ciphertext has the wrong length');
    const d = createDecipheriv('aes-256-gcm', key, fromBase64(k.cipher.nonce));
    d.setAAD(aad(header as KeyFileHeader));
    d.setAuthTag(blob.subarray(32));
    try {
      seed = Buffer.concat([d.update(blob.subarray(0, 32)), d.final()]);
    } catch {
      throw new ProofdeskError('PASSPHRASE_WRONG', 'wrong passphrase (or the key file was altered)');
    }
  }
  const publicKey = publicKeyFromSeed(seed);
  if (toBase64(publicKey) !== k.publicKey)
    throw new ProofdeskError('KEY_INVALID', 'key file is inconsistent: the private key does not match its public key');
  return {
    seed: Uint8Array.from(seed),
    publicKey,
    fingerprint: keyFingerprint(publicKey),
    identity: k.identity,
    encrypted: k.kdf !== null,
  };
}

/**
 * Writes `data` to `path` atomically: a temporary file beside it, fsync, rename, fsync of the
 * directory. Refuses to overwrite an existing file unless `overwrite`.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { mode?: number; overwrite?: boolean } = {},
): void {
  if (!opts.overwrite && existsSync(path))
    throw new ProofdeskError('USAGE', `${path} already exists; not overwriting it`);
  if (!existsSync(dirname(path)))
    throw new ProofdeskError('USAGE', `the output folder ${dirname(path)} does not exist`);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', opts.mode ?? 0o644);
  try {
    // write(2) may write less than asked (a disk that fills up midway): loop, or the file
    // renamed into place would be silently short.
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    // The temporary name means nothing to the examiner; the file being written does.
    if (e instanceof Error && (e as NodeJS.ErrnoException).path === undefined) (e as NodeJS.ErrnoException).path = path;
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    // The target could not be replaced (a directory, a permission): leave no temporary file behind.
    unlinkSync(tmp);
    throw e;
  }
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  }
}

/** Writes a key file atomically with mode 0600; refuses to replace an existing file unless `overwrite`. */
export function writeKeyFile(path: string, k: KeyFile, opts: { overwrite?: boolean } = {}): void {
  writeFileAtomic(path, JSON.stringify(k, null, 2) + '\n', {
    mode: 0o600,
    ...(opts.overwrite ? { overwrite: true } : {}),
  });
}

const MAX_KEY_FILE_BYTES = 64 * 1024;

export function readKeyFile(path: string): KeyFile {
  let text: string;
  try {
    // A regular file only: a named pipe given as the key would block the read forever.
    text = readRegular(path, { what: 'key file', follow: true, maxBytes: MAX_KEY_FILE_BYTES }).toString('utf8');
  } catch (e) {
    if (e instanceof ProofdeskError && e.detail?.reason === 'TOO_LARGE')
      throw new ProofdeskError('KEY_INVALID', 'key file is too large', e.detail);
    if (e instanceof ProofdeskError) throw new ProofdeskError('INPUT_UNREADABLE', e.message, e.detail);
    throw new ProofdeskError('INPUT_UNREADABLE', `cannot read key file ${path}`);
  }
  return parseKeyFile(text);
}
