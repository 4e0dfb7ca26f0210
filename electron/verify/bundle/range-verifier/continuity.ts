/**
 * The rules between neighbouring entries: the hash chain, the sequence and the time. Each is
 * judged against the nearest readable value before it in the job; what the first entries are
 * judged against lies in the previous job, so the first and last known values go to the merge.
 * State lives in plain fields (not objects) because this runs per entry.
 */
import type { Instant } from '../../../../shared/bundle/entry.js';
import type { KnownValue, VerifyJob, VerifyResult } from '../../../../shared/protocol/worker.js';
import type { RangeCounters } from './counters.js';
import type { EntryFindings } from './entry-findings.js';

/** The part of a job's result the merge joins ranges with. */
export type KnownEnds = Pick<
  VerifyResult,
  'firstPrev' | 'lastLink' | 'firstSeq' | 'lastSeq' | 'firstTime' | 'lastTime'
>;

export class Continuity {
  readonly baseIndex: number;
  // The link the next prev must equal: 32 bytes at expBuf[expOff], when known.
  readonly carry = Buffer.alloc(32);
  expBuf: Buffer;
  expOff = 0;
  expKnown = false;
  lastSeqIndex = -2;
  lastSeqOffset = -1;
  lastSeqValue = 0;
  lastTimeIndex = -2;
  lastTimeOffset = -1;
  lastSeconds = 0;
  lastNanos = 0;
  lastTs = '';
  firstPrev: KnownValue<string> | undefined;
  firstSeq: KnownValue<number> | undefined;
  firstTime: VerifyResult['firstTime'];
  lastLinkIndex = -1;
  lastLinkOffset = -1;
  lastLinkK = -1; // the last link's slot in this batch, until the batch ends
  readonly lastLink = Buffer.alloc(32);

  constructor(
    job: VerifyJob,
    readonly findings: EntryFindings,
    readonly counters: RangeCounters,
  ) {
    this.baseIndex = job.baseIndex;
    this.expBuf = this.carry;
    this.firstPrev = undefined;
    this.firstSeq = undefined;
    this.firstTime = undefined;
    if (job.baseIndex === 0) {
      if (job.genesis) {
        this.carry.write(job.genesis, 0, 32, 'hex');
        this.expKnown = true;
      }
      this.lastSeqIndex = -1;
      this.lastSeqValue = job.firstSeq - 1;
    }
  }

  /**
   * Chain: prev_i must equal link_{i-1} (compared as bytes: both are lowercase hex of 32 bytes,
   * so bytes equal exactly when the hex does); link_i = SHA-256(prev_i || leaf_i) is links[32k].
   * Entry i is line k of the batch; prevs and links are the batch's.
   */
  chain(i: number, k: number, offset: number, prev: string | undefined, prevs: Buffer, links: Buffer): void {
    if (prev === undefined) {
      this.expKnown = false;
      return;
    }
    if (i === this.baseIndex && this.baseIndex !== 0) this.firstPrev = { index: i, offset, value: prev };
    else if (this.expKnown) {
      this.counters.linksChecked++;
      if (prevs.compare(this.expBuf, this.expOff, this.expOff + 32, 32 * k, 32 * k + 32) !== 0) {
        this.counters.linksBroken++;
        this.findings.anomaly(
          'CHAIN_BROKEN',
          i === 0
            ? 'entry 0 does not start the chain at the genesis value'
            : `entry ${i} does not link to entry ${i - 1}`,
          {
            expected: this.expBuf.toString('hex', this.expOff, this.expOff + 32),
            actual: prev,
          },
        );
      }
    }
    this.expBuf = links;
    this.expOff = 32 * k;
    this.expKnown = true;
    this.lastLinkIndex = i;
    this.lastLinkOffset = offset;
    this.lastLinkK = k;
  }

  /** Sequence: compared with the nearest readable seq before it, adjusted by distance. */
  sequence(i: number, offset: number, seq: number | undefined): void {
    if (seq === undefined) return;
    if (!this.firstSeq) this.firstSeq = { index: i, offset, value: seq };
    if (this.lastSeqIndex >= -1) {
      this.counters.seqChecked++;
      const expected = this.lastSeqValue + (i - this.lastSeqIndex);
      if (seq !== expected) {
        this.counters.seqProblems++;
        this.findings.anomaly(
          seq > expected ? 'SEQ_GAP' : 'SEQ_REGRESSION',
          seq > expected
            ? `seq jumps from the expected ${expected} to ${seq}`
            : `seq ${seq} is not after the previous seq`,
          { expected, actual: seq },
        );
      }
    }
    this.lastSeqIndex = i;
    this.lastSeqOffset = offset;
    this.lastSeqValue = seq;
  }

  /** Time: non-decreasing. */
  time(i: number, offset: number, time: Instant | undefined, ts: string | undefined): void {
    if (time === undefined || ts === undefined) return;
    if (!this.firstTime) this.firstTime = { index: i, offset, value: { seconds: time.seconds, nanos: time.nanos, ts } };
    if (this.lastTimeIndex >= -1) {
      this.counters.tsChecked++;
      if (time.seconds < this.lastSeconds || (time.seconds === this.lastSeconds && time.nanos < this.lastNanos)) {
        this.counters.tsRegressions++;
        this.findings.anomaly('TIMESTAMP_REGRESSION', `ts ${ts} is earlier than the previous entry's ${this.lastTs}`, {
          previous: this.lastTs,
          actual: ts,
        });
      }
    }
    this.lastTimeIndex = i;
    this.lastTimeOffset = offset;
    this.lastSeconds = time.seconds;
    this.lastNanos = time.nanos;
    this.lastTs = ts;
  }

  beginBatch(): void {
    this.lastLinkK = -1;
  }

  /** The batch's buffers are reused: keep what outlives it. */
  endBatch(links: Buffer): void {
    if (this.expKnown && this.expBuf === links) {
      links.copy(this.carry, 0, this.expOff, this.expOff + 32);
      this.expBuf = this.carry;
      this.expOff = 0;
    }
    if (this.lastLinkK >= 0) links.copy(this.lastLink, 0, 32 * this.lastLinkK, 32 * this.lastLinkK + 32);
  }

  /** The first and last known values of the job, each present only when the job has one. */
  knownEnds(): KnownEnds {
    const b = this.baseIndex;
    return {
      ...(this.firstPrev ? { firstPrev: this.firstPrev } : {}),
      ...(this.lastLinkIndex >= 0
        ? { lastLink: { index: this.lastLinkIndex, offset: this.lastLinkOffset, value: this.lastLink.toString('hex') } }
        : {}),
      ...(this.firstSeq ? { firstSeq: this.firstSeq } : {}),
      ...(this.lastSeqIndex >= b
        ? { lastSeq: { index: this.lastSeqIndex, offset: this.lastSeqOffset, value: this.lastSeqValue } }
        : {}),
      ...(this.firstTime ? { firstTime: this.firstTime } : {}),
      ...(this.lastTimeIndex >= b
        ? {
            lastTime: {
              index: this.lastTimeIndex,
              offset: this.lastTimeOffset,
              value: { seconds: this.lastSeconds, nanos: this.lastNanos, ts: this.lastTs },
            },
          }
        : {}),
    };
  }
}
