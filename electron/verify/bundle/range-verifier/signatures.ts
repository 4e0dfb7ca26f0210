/**
 * Entry signatures: whether the signing key is trusted as an event source, whether the signature
 * verifies, and, for a key with a validity window, whether the evidence dates it inside the window.
 */
import {
  type EntryFields,
  type EntrySignature,
  entryEvent,
  entrySignatureMessage,
  type Instant,
} from '../../../../shared/bundle/entry.js';
import { verifyEd25519 } from '../../../../shared/crypto/ed25519.js';
import { judgeEntrySignature, type WitnessLookup, witnessLookup } from '../../../../shared/keys/entry-validity.js';
import type { KeyWindow } from '../../../../shared/keys/validity.js';
import type { EntryKeyRef, VerifyJob } from '../../../../shared/protocol/worker.js';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';
import { verifyEd25519Node } from '../../../platform/ed25519-node.js';
import type { RangeCounters } from './counters.js';
import type { EntryFindings } from './entry-findings.js';
import { MAX_FAILED_RANGES, RangeSet } from './sinks.js';

export class EntrySignatures {
  readonly keys: Map<string, EntryKeyRef>;
  readonly witness: WitnessLookup;
  /** Per witness step, the entries whose signature counts only because of that step's time. */
  readonly witnessDated: RangeSet[];
  readonly witnessDatedCount: number[];
  readonly crossCheck: boolean;

  constructor(
    job: VerifyJob,
    readonly findings: EntryFindings,
    readonly counters: RangeCounters,
  ) {
    this.keys = new Map(job.entryKeys.map((k) => [k.fingerprint, k]));
    this.witness = witnessLookup(job.witnessSteps);
    this.witnessDated = job.witnessSteps.map(() => new RangeSet(MAX_FAILED_RANGES));
    this.witnessDatedCount = job.witnessSteps.map(() => 0);
    this.crossCheck = job.crossCheck;
  }

  /** Judges the signature `sig` of entry i, whose fields have an event. */
  judge(i: number, fields: EntryFields, sig: EntrySignature): void {
    this.counters.signatures++;
    const key = this.keys.get(sig.key);
    if (!key) {
      this.counters.signaturesUntrusted++;
      // A setup question (which key signs this source?), not a fault of the entry: unverifiable.
      this.findings.note('KEY_UNTRUSTED', 'entry is signed by a key that is not trusted as an event source', {
        fingerprint: sig.key,
      });
      this.findings.signerUntrusted.add(i);
      return;
    }
    const message = this.signedMessage(fields);
    if (message) this.verify(i, key, message, sig, fields.time);
  }

  /** The bytes the signature covers; undefined (and a finding) when the event cannot be canonicalised. */
  private signedMessage(fields: EntryFields): Uint8Array | undefined {
    try {
      return entrySignatureMessage(entryEvent(fields));
    } catch {
      this.findings.fail('ENTRY_FIELD_INVALID', 'event is not I-JSON and cannot be canonicalised for its signature', {
        member: 'event',
      });
      return undefined;
    }
  }

  private verify(i: number, key: EntryKeyRef, message: Uint8Array, sig: EntrySignature, time: Instant | undefined) {
    const ok = verifyEd25519Node(key.publicKey, message, sig.signature);
    if (this.crossCheck && verifyEd25519(key.publicKey, message, sig.signature) !== ok) {
      throw new ProofdeskError('INTERNAL', `Ed25519 implementations disagree on the signature of entry ${i}`);
    }
    const w = key.window;
    if (ok && !w) this.counters.signaturesValid++;
    else if (ok && w) this.judgeWindow(i, key.fingerprint, w, time);
    else {
      this.counters.signaturesInvalid++;
      this.findings.fail('SIGNATURE_INVALID', 'entry signature does not verify', { fingerprint: sig.key });
    }
  }

  /** A valid signature by a key with a window counts only where the evidence shows it was inside it. */
  private judgeWindow(i: number, fingerprint: string, w: KeyWindow, time: Instant | undefined): void {
    const claimed = time !== undefined ? time.seconds + time.nanos / 1e9 : undefined;
    const j = judgeEntrySignature(fingerprint, w, i, claimed, this.witness);
    if (j.finding) {
      if (j.counts || j.undated) this.findings.note(j.finding.code, j.finding.message, j.finding.evidence);
      else this.findings.fail(j.finding.code, j.finding.message, j.finding.evidence);
    }
    if (j.counts) this.counters.signaturesValid++;
    else if (j.undated) this.counters.signaturesUndated++;
    else this.counters.signaturesOutsideWindow++;
    if (j.witnessStep !== undefined) {
      this.witnessDated[j.witnessStep]!.add(i);
      this.witnessDatedCount[j.witnessStep]!++;
    }
    this.findings.undatedHere = j.undated;
  }
}
