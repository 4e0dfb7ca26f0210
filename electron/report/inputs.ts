/**
 * Describes the input files of a run for the attestation subject: trusted-key files (by the
 * bytes given to the tool) and the archive of a tar bundle. Reading is streamed and bounded.
 *
 * A report vouches for the bytes the run verified, so what signing reads again is checked
 * against what the run used: the archive against its digest as the run read it (or, in a
 * case, the evidence digest), a trusted-key file against the keys the result lists. A file
 * changed in between refuses the signing (INPUT_UNREADABLE, reason INPUT_CHANGED).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { TrustInput } from '../../shared/report/predicate.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import { type TrustArg, trustArgText, trustedKeyFromFile } from '../keys/trust-files.js';
import { digestRegular, readRegular } from '../platform/open-regular.js';

const MAX_KEY_FILE = 64 * 1024;

/**
 * The key files among `--trust` arguments, with their digests and the fingerprint of the key
 * each holds. Inline keys (not files) are skipped: they appear in the result's trusted keys.
 */
export function describeTrustFiles(args: readonly TrustArg[], cwd: string): TrustInput[] {
  const out: TrustInput[] = [];
  for (const a of args) {
    const path = resolve(cwd, trustArgText(a));
    if (!existsSync(path) || !statSync(path).isFile() || statSync(path).size > MAX_KEY_FILE) continue;
    // The digest and the key come from the same bytes, read once from a regular file.
    const bytes = readRegular(path, { what: 'trusted key file', follow: true, maxBytes: MAX_KEY_FILE });
    out.push({
      name: basename(path),
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      fingerprint: trustedKeyFromFile(a, path, bytes).fingerprint,
    });
  }
  return out;
}

/** SHA-256 and size of a regular file (never a named pipe or device), read in 4 MiB chunks. */
export function fileDigest(path: string): { size: number; sha256: string } {
  return digestRegular(path, { what: 'file', follow: true });
}

export interface InputDigest {
  readonly size: number;
  readonly sha256: string;
}

/** The archive a report on a run lists, and what it must still be when the report is signed. */
export interface VerifiedArchive {
  /** The archive file as it is now (for a case run: its stored copy in the locker). */
  readonly path: string;
  /** Its digest as the run read it (VerifyOutput.archive) or, for a case run, the evidence digest. */
  readonly reference: InputDigest;
}

/**
 * Judges the archive as hashed now against what was verified; returns the digest the report
 * lists (the verified one). Throws INPUT_UNREADABLE (reason INPUT_CHANGED) when they differ.
 */
export function judgeArchive(v: VerifiedArchive, now: InputDigest): InputDigest {
  if (now.size !== v.reference.size || now.sha256 !== v.reference.sha256) {
    throw new ProofdeskError(
      'INPUT_UNREADABLE',
      `${v.path} is not the archive that was verified (SHA-256 ${now.sha256.slice(0, 16)}…, verified ${v.reference.sha256.slice(0, 16)}…): it changed after the run; verify it again before signing a report`,
      {
        reason: 'INPUT_CHANGED',
        expected: v.reference.sha256,
        actual: now.sha256,
      },
    );
  }
  return v.reference;
}

/** What a run's report may list as its archive (see verifiedArchive). */
export interface ArchiveSource {
  readonly result: VerificationResult;
  /** VerifyOutput.archive: the archive as the run read it. */
  readonly archive?: InputDigest;
  /** A case run: the bundle's evidence record and the absolute path of its stored copy (what the run read). */
  readonly evidence?: {
    readonly container: 'file' | 'directory';
    readonly size: number;
    readonly digest: string;
    readonly storedAt: string;
  };
}

/**
 * The archive a report on this run lists, with the digest it must still have: for a case run
 * the evidence digest recorded in the case (and the run must have read exactly that), else the
 * digest the run computed as it read the archive. Undefined for a directory bundle, or when
 * the run recorded no archive digest (the bundle files it read are listed either way).
 */
export function verifiedArchive(src: ArchiveSource, bundlePath: string): VerifiedArchive | undefined {
  if (src.result.bundle.container !== 'tar') return undefined;
  if (src.evidence) {
    if (src.evidence.container !== 'file') return undefined;
    const v = { path: src.evidence.storedAt, reference: { size: src.evidence.size, sha256: src.evidence.digest } };
    if (src.archive) judgeArchive(v, src.archive);
    return v;
  }
  return src.archive ? { path: bundlePath, reference: src.archive } : undefined;
}

/** Hashes the archive now and judges it (judgeArchive). */
export function checkedArchive(v: VerifiedArchive): InputDigest {
  return judgeArchive(v, fileDigest(v.path));
}

/**
 * Refuses trusted-key files that now hold a key the run did not use (the file was replaced
 * after the run): the report would list, as trust, a file the verification never read.
 */
export function assertTrustFilesUsed(inputs: readonly TrustInput[], result: VerificationResult): void {
  const used = new Set(result.trustedKeys.map((k) => k.fingerprint));
  for (const t of inputs) {
    if (!used.has(t.fingerprint)) {
      throw new ProofdeskError(
        'INPUT_UNREADABLE',
        `trusted key file ${t.name} now holds key ${t.fingerprint.slice(0, 16)}…, which the run did not use: it changed after the run; verify again before signing a report`,
        {
          reason: 'INPUT_CHANGED',
          fingerprint: t.fingerprint,
        },
      );
    }
  }
}
