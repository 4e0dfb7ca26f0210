/** What one Sigstore verification run is given, the state its steps build up, and its result. */
import type { EcdsaVerifyFn } from '../../../crypto/ecdsa.js';
import type { Sha256 } from '../../../crypto/hash.js';
import type { FormatPublicKey } from '../../../keys/public-key.js';
import type { KeyWindow } from '../../../keys/validity.js';
import type { Ed25519VerifyFn } from '../../../tlog/note.js';
import type { Finding, Location } from '../../../verdict/findings.js';
import type { EntryStatus } from '../../../verdict/format-result.js';
import type { CheckpointReport, ProofReport } from '../../../verdict/result.js';
import type { TlogEntry } from '../bundle.js';
import type { TlogInstance, TrustedRoot } from '../trusted-root.js';

export interface SigstoreContext {
  readonly name: string;
  readonly roots: readonly TrustedRoot[];
  readonly ed25519: Ed25519VerifyFn;
  readonly ecdsa: EcdsaVerifyFn;
  readonly sha256: Sha256;
  /** The artifact's bytes, when the examiner gives it. */
  readonly artifact?: Uint8Array;
  /** Keys for bundles signed by a key instead of a certificate. */
  readonly signingKeys?: readonly FormatPublicKey[];
}

export interface SigstoreCounters {
  readonly sets: number;
  readonly setsInvalid: number;
  readonly artifactChecks: number;
  readonly artifactProblems: number;
  readonly bodyProblems: number;
}

export interface SigstoreVerification {
  readonly statuses: readonly EntryStatus[];
  readonly checkpoints: readonly CheckpointReport[];
  readonly proofs: readonly ProofReport[];
  readonly findings: readonly Finding[];
  readonly counters: SigstoreCounters;
  /** The authenticated signing times (integrated times under a verified SET), seconds. */
  readonly times: readonly number[];
  /**
   * A signature asked about was not judged: a certificate's validity window with no authenticated
   * time, or an artifact given with no key for its signature. Nothing failed, nothing passed.
   */
  readonly inconclusive: boolean;
}

/** The run's state: the steps append to it in bundle order, so findings keep that order. */
export class SigstoreRun {
  readonly findings: Finding[] = [];
  readonly statuses: EntryStatus[] = [];
  readonly checkpoints: CheckpointReport[] = [];
  readonly proofs: ProofReport[] = [];
  readonly times: number[] = [];
  readonly counters = { sets: 0, setsInvalid: 0, artifactChecks: 0, artifactProblems: 0, bodyProblems: 0 };
  inconclusive = false;

  constructor(readonly ctx: SigstoreContext) {}

  /** Whether an error was found since the findings numbered `before`. */
  errorsSince(before: number): boolean {
    for (let k = before; k < this.findings.length; k++) if (this.findings[k]!.severity === 'error') return true;
    return false;
  }

  result(): SigstoreVerification {
    const { statuses, checkpoints, proofs, findings, counters, times, inconclusive } = this;
    return { statuses, checkpoints, proofs, findings, counters, times, inconclusive };
  }
}

/** Where in the bundle a finding about tlog entry `entry` points. */
export function entryLocation(file: string, entry: number, path: string, extra: Partial<Location> = {}): Location {
  return { file, entry, path, ...extra };
}

/** A tlog entry whose log a trusted root lists, with that log and its key's validity window. */
export interface LoggedEntry {
  readonly entry: TlogEntry;
  readonly index: number;
  readonly tlog: TlogInstance;
  readonly window: KeyWindow;
}
