/**
 * The work a verification worker does, as plain functions over a file region so they can be
 * tested without threads: count lines (scan), hash a region (digest), and verify a range of
 * entry lines (verify). This is the hot loop of Proofdesk: for 10 million entries it runs
 * 10 million times, so it hashes lines in place and allocates little per entry.
 *
 * The rules it applies come from shared/ (entry fields, chain, Merkle, Ed25519); this file
 * only decides how to read bytes fast.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, readSync } from 'node:fs';
import {
  type EntryFields,
  entryEvent,
  entryFieldsDiffer,
  entrySignatureMessage,
  parseEntryLine,
  readEntryLine,
} from '../../../shared/bundle/entry.js';
import { verifyEd25519 } from '../../../shared/crypto/ed25519.js';
import { judgeEntrySignature, witnessLookup } from '../../../shared/keys/entry-validity.js';
import type {
  DigestJob,
  DigestResult,
  KnownValue,
  ScanJob,
  ScanResult,
  VerifyJob,
  VerifyResult,
} from '../../../shared/protocol/worker.js';
import { CompactRange } from '../../../shared/tlog/merkle/compact.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import {
  type EvidenceValue,
  type Finding,
  type FindingCode,
  finding,
  type Location,
} from '../../../shared/verdict/findings.js';
import { batchHasher } from '../../platform/batch-hash.js';
import { verifyEd25519Node } from '../../platform/ed25519-node.js';
import { createHash, nodeSha256 } from '../../platform/node-hash.js';
import { openRegion } from '../../platform/open-regular.js';

const READ_CHUNK = 4 * 1024 * 1024;
/**
 * Lines read, hashed and judged together (the hashing is batched per call). Small enough that a
 * batch's fields die young: 4096 lines kept them alive past the young generation, and peak RSS
 * with two workers went from 136 to 205 MB at 1M entries; 128 lines keep it at 136 MB, and the
 * addon's per-call cost is still paid once per 128 lines.
 */
const BATCH = 128;
/** Leaves per block when the job asks for no block output (the tree is the same). */
const BLOCK = 256;
/** What reading a line gave, when not its fields or a JSON error: too large to parse, not UTF-8. */
const TOO_LARGE = 1;
const NOT_UTF8 = 2;
const LF = 0x0a;
/** Failed-entry ranges kept per job before coarsening (see RangeSet). */
const MAX_FAILED_RANGES = 50_000;

/**
 * One read buffer per thread, shared by its jobs. Jobs run to completion one at a time and no
 * view of the buffer outlives a job, so reuse is safe; a fresh 4 MiB buffer per job instead
 * sits outside the heap until a full collection, 24-48 MB per worker at 10 million entries.
 * Larger buffers (a raised entry-size limit) are allocated per job and not kept.
 */
let spareBuffer: Buffer | undefined;
function readBuffer(minBytes: number): Buffer {
  if (minBytes > READ_CHUNK + 1) return Buffer.allocUnsafe(minBytes);
  return (spareBuffer ??= Buffer.allocUnsafe(READ_CHUNK + 1));
}

function readAt(fd: number, buf: Buffer, off: number, len: number, pos: number): number {
  let done = 0;
  while (done < len) {
    const n = readSync(fd, buf, off + done, len - done, pos + done);
    if (n <= 0)
      throw new ProofdeskError('INPUT_UNREADABLE', 'file ended early (was it modified while being verified?)');
    done += n;
  }
  return done;
}

/**
 * SHA-256 of a whole region, streamed. With `wholeFile`, the same single pass also hashes the
 * whole file the region lies in (a tar archive: the digest a report lists for it), so the
 * archive digest is of the bytes this run read and costs no second read of the entries.
 */
export function digestRegion(job: DigestJob, progress?: (bytes: number) => void): DigestResult {
  const fd = openRegion(job.region);
  try {
    const { offset, size } = job.region;
    const h = createHash('sha256');
    const whole = job.wholeFile ? createHash('sha256') : undefined;
    const buf = readBuffer(READ_CHUNK);
    const from = whole ? 0 : offset;
    const to = whole ? fstatSync(fd).size : offset + size;
    let pos = from;
    let lastReport = Date.now();
    while (pos < to) {
      const n = readAt(fd, buf, 0, Math.min(READ_CHUNK, to - pos), pos);
      const chunk = buf.subarray(0, n);
      whole?.update(chunk);
      // The part of this chunk inside the region.
      const a = Math.max(pos, offset);
      const b = Math.min(pos + n, offset + size);
      if (a < b) h.update(chunk.subarray(a - pos, b - pos));
      pos += n;
      if (progress && Date.now() - lastReport > 100) {
        progress(Math.max(0, Math.min(pos, offset + size) - offset));
        lastReport = Date.now();
      }
    }
    return {
      kind: 'digest',
      sha256: h.digest('hex'),
      ...(whole ? { file: { size: to, sha256: whole.digest('hex') } } : {}),
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * Counts line starts in [from, to) of the region: offset 0 (when the region is non-empty)
 * and every offset right after a line feed, excluding the region end.
 */
export function scanRegion(job: ScanJob): ScanResult {
  const { region, from, to } = job;
  if (from >= to || from >= region.size) return { kind: 'scan', firstStart: -1, starts: 0 };
  const fd = openRegion(region);
  try {
    let starts = 0;
    let firstStart = -1;
    if (from === 0) {
      starts = 1;
      firstStart = 0;
    }
    // A line starts at p > 0 when byte p-1 is a line feed: scan bytes [from-1, to-1).
    let pos = Math.max(from - 1, 0);
    const stop = Math.min(to, region.size) - 1;
    const buf = readBuffer(READ_CHUNK);
    while (pos < stop) {
      const n = readAt(fd, buf, 0, Math.min(READ_CHUNK, stop - pos), region.offset + pos);
      let i = buf.indexOf(LF, 0);
      while (i >= 0 && i < n) {
        if (pos + i + 1 < region.size) {
          starts++;
          if (firstStart < 0) firstStart = pos + i + 1;
        }
        i = buf.indexOf(LF, i + 1);
      }
      pos += n;
    }
    return { kind: 'scan', firstStart, starts };
  } finally {
    closeSync(fd);
  }
}

/** Keeps the first `limit` findings of each code and counts the rest. */
export class FindingSink {
  readonly findings: Finding[] = [];
  readonly omitted: Partial<Record<FindingCode, number>> = {};
  readonly #perCode = new Map<FindingCode, number>();
  constructor(readonly limit: number) {}

  add(code: FindingCode, location: Location, message: string, evidence?: Record<string, EvidenceValue>): void {
    const n = this.#perCode.get(code) ?? 0;
    this.#perCode.set(code, n + 1);
    if (n < this.limit) this.findings.push(finding(code, location, message, evidence));
    else this.omitted[code] = (this.omitted[code] ?? 0) + 1;
  }
}

/**
 * Sorted [from, to) ranges of failed entries, added in increasing order. Past `cap` ranges
 * the last one is stretched to cover new failures: this can only report more entries as
 * failed, never fewer, so coverage stays conservative under hostile input.
 */
export class RangeSet {
  readonly ranges: Array<[number, number]> = [];
  constructor(readonly cap: number) {}
  add(i: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (last && i < last[1]) return;
    if (last && (i === last[1] || this.ranges.length >= this.cap)) last[1] = i + 1;
    else this.ranges.push([i, i + 1]);
  }
}

/**
 * Verifies the entry lines that start in [job.start, job.end) of the region. Requires
 * job.start to be a line start. Calls progress(entries, bytes) about every 100 ms.
 */
export function verifyRange(job: VerifyJob, progress?: (entries: number, bytes: number) => void): VerifyResult {
  const entryKeys = new Map(job.entryKeys.map((k) => [k.fingerprint, k]));
  const sink = new FindingSink(job.findingsPerCode);
  const failed = new RangeSet(MAX_FAILED_RANGES);
  const anomalies = new RangeSet(MAX_FAILED_RANGES);
  const signerUntrusted = new RangeSet(MAX_FAILED_RANGES);
  const undated = new RangeSet(MAX_FAILED_RANGES);
  const witness = witnessLookup(job.witnessSteps);
  const witnessDated = job.witnessSteps.map(() => new RangeSet(MAX_FAILED_RANGES));
  const witnessDatedCount = job.witnessSteps.map(() => 0);
  const snapshotSizes = [...job.snapshotSizes].sort((a, b) => a - b);
  const wantLeaf = new Set(job.leafIndices);
  const leafHashes: Array<{ index: number; hash: Uint8Array; ts?: string }> = [];
  const snapshots: Array<{ size: number; range: Uint8Array[] }> = [];
  const blockLeaves = job.blockLeaves > 0 ? job.blockLeaves : 0;
  const blockRoots: Uint8Array[] = [];
  const blockStarts: Array<{ block: number; offset: number }> = [];
  const counters = {
    entries: 0,
    malformed: 0,
    linksChecked: 0,
    linksBroken: 0,
    seqChecked: 0,
    seqProblems: 0,
    tsChecked: 0,
    tsRegressions: 0,
    signatures: 0,
    signaturesValid: 0,
    signaturesInvalid: 0,
    signaturesUntrusted: 0,
    signaturesOutsideWindow: 0,
    signaturesUndated: 0,
    tooLarge: 0,
  };

  // Merkle state. The leaf hashes of the current block are kept (copied) in `block`; once a
  // block completes, its root (one batched call) goes into `outer`, a compact range over block
  // indices: above the block level the tree over block roots is the tree over leaves, so no
  // hash is computed twice and each block root is captured for the entry index (diff, entry
  // browser). Blocks are BLOCK leaves whether or not the job asks for block output.
  const hasher = batchHasher(job.crossCheck);
  const B = blockLeaves || BLOCK;
  const block = Buffer.alloc(B * 32);
  let head: Uint8Array[] | undefined; // partial block at the start of the job
  let outer: CompactRange | undefined;
  let firstFullBlock = -1;
  /** Compact-range hashes of the leaves [from, end) of the current block (copies). */
  const blockRange = (from: number, end: number): Uint8Array[] => {
    const r = new CompactRange(from, nodeSha256);
    // Copies (new Uint8Array): Buffer.slice would be a view of the block buffer, which is reused.
    for (let j = from; j < end; j++) r.append(new Uint8Array(block.subarray((j % B) * 32, (j % B) * 32 + 32)));
    return r.hashes() as Uint8Array[];
  };
  /** The compact range of this job's leaves [baseIndex, end), end being just after a leaf appended. */
  const rangeHashes = (end: number): Uint8Array[] => [
    ...(head ?? []),
    ...(outer ? outer.hashes() : []),
    ...blockRange(Math.max(end - (end % B), job.baseIndex), end),
  ];

  // Per-entry state lives in plain variables (not objects) because this runs per entry.
  // The link the next prev must equal: 32 bytes at expBuf[expOff], when known.
  const carry = Buffer.alloc(32);
  let expBuf: Buffer = carry;
  let expOff = 0;
  let expKnown = false;
  let lastSeqIndex = -2;
  let lastSeqOffset = -1;
  let lastSeqValue = 0;
  let lastTimeIndex = -2;
  let lastTimeOffset = -1;
  let lastSeconds = 0;
  let lastNanos = 0;
  let lastTs = '';
  if (job.baseIndex === 0) {
    if (job.genesis) {
      carry.write(job.genesis, 0, 32, 'hex');
      expKnown = true;
    }
    lastSeqIndex = -1;
    lastSeqValue = job.firstSeq - 1;
  }
  let firstPrev: KnownValue<string> | undefined;
  let firstSeq: KnownValue<number> | undefined;
  let firstTime: VerifyResult['firstTime'];
  let lastLinkIndex = -1;
  let lastLinkOffset = -1;
  let lastLinkK = -1; // the last link's slot in this batch, until the batch ends
  const lastLink = Buffer.alloc(32);

  // One batch of lines: where they are, what reading them gave, and their hashes. Lines are
  // read (fields) first, then hashed in batched calls (leaves, links), then judged in order.
  const starts = new Int32Array(BATCH);
  const ends = new Int32Array(BATCH);
  const offsets = new Float64Array(BATCH);
  const reads: Array<EntryFields | string | number> = new Array(BATCH).fill(0);
  const leaves = Buffer.alloc(BATCH * 32);
  const prevs = Buffer.alloc(BATCH * 32);
  const has = new Uint8Array(BATCH);
  const links = Buffer.alloc(BATCH * 32);

  const file = job.entriesPath;
  let index = job.baseIndex;
  let curOffset = 0;
  let entryFailed = false;
  let entryAnomalous = false;
  let entryUndated = false;
  const fail = (code: FindingCode, message: string, evidence?: Record<string, EvidenceValue>) => {
    sink.add(code, { file, entry: index, offset: curOffset }, message, evidence);
    entryFailed = true;
  };
  /** A chain, sequence or time rule broken here: which entry is to blame is the diagnosis's call. */
  const anomaly = (code: FindingCode, message: string, evidence?: Record<string, EvidenceValue>) => {
    sink.add(code, { file, entry: index, offset: curOffset }, message, evidence);
    entryAnomalous = true;
  };

  /** Reads line k of the batch (buf[starts[k], ends[k])): its fields, or why it has none. */
  /** Set per batch: the batch's bytes are valid UTF-8 as a whole, so each of its lines is. */
  let batchUtf8 = false;
  const readLine = (buf: Buffer, k: number): void => {
    const s = starts[k]!;
    const e = ends[k]!;
    let r: EntryFields | string | number;
    if (e - s > job.maxEntryBytes) r = TOO_LARGE;
    else if (!batchUtf8 && !isUtf8(buf.subarray(s, e))) r = NOT_UTF8;
    else {
      const text = buf.toString('utf8', s, e);
      // The one-pass scan (the reference JSON.parse path for anything unusual); with
      // --cross-check both readings of every line, which must agree.
      r = readEntryLine(text);
      if (job.crossCheck) {
        const where = entryFieldsDiffer(r, parseEntryLine(text));
        if (where !== undefined)
          throw new ProofdeskError('INTERNAL', `the two entry readers disagree on ${where} of entry ${index + k}`);
      }
    }
    reads[k] = r;
    if (typeof r === 'object' && r.prev !== undefined) {
      prevs.write(r.prev, 32 * k, 32, 'hex');
      has[k] = 1;
    } else has[k] = 0;
  };

  /** Judges line k of the batch, whose leaf hash and link are computed: entry index `index`. */
  const processLine = (k: number): void => {
    const i = index;
    const offset = offsets[k]!;
    curOffset = offset;
    entryFailed = false;
    entryAnomalous = false;
    entryUndated = false;
    // Merkle.
    leaves.copy(block, (i % B) * 32, 32 * k, 32 * k + 32);
    const wanted = wantLeaf.has(i)
      ? {
          index: i,
          hash: Uint8Array.from(leaves.subarray(32 * k, 32 * k + 32)) as Uint8Array,
          ts: undefined as string | undefined,
        }
      : undefined;
    if (wanted) leafHashes.push(wanted);
    if ((i + 1) % B === 0) {
      const blockStart = i + 1 - B;
      if (blockStart >= job.baseIndex) {
        const root = new Uint8Array(32);
        hasher.root(block, B, root);
        const b = blockStart / B;
        if (!outer) {
          outer = new CompactRange(b, nodeSha256);
          firstFullBlock = b;
        }
        outer.append(root);
        if (blockLeaves) blockRoots.push(root);
      } else head = blockRange(job.baseIndex, i + 1);
    }
    if (blockLeaves && i % blockLeaves === 0) blockStarts.push({ block: i / blockLeaves, offset });
    if (snapshotSizes.length && snapshotSizes[0] === i + 1) {
      snapshots.push({ size: i + 1, range: rangeHashes(i + 1) });
      snapshotSizes.shift();
    }

    // Fields.
    let fields: EntryFields | undefined;
    const read = reads[k]!;
    if (read === TOO_LARGE) {
      counters.tooLarge++;
      fail('ENTRY_TOO_LARGE', `entry is larger than ${job.maxEntryBytes} bytes; hashed but not parsed`, {
        limit: job.maxEntryBytes,
      });
    } else if (read === NOT_UTF8) {
      counters.malformed++;
      fail('ENTRY_MALFORMED', 'entry is not valid UTF-8');
    } else if (typeof read === 'string') {
      counters.malformed++;
      fail('ENTRY_MALFORMED', `entry is not valid JSON: ${read}`);
    } else if (typeof read === 'object') {
      fields = read;
      for (const p of fields.problems) fail(p.code, p.message, p.member ? { member: p.member } : undefined);
      if (wanted && fields.ts !== undefined) wanted.ts = fields.ts;
    }

    // Chain: prev_i must equal link_{i-1} (compared as bytes: both are lowercase hex of 32
    // bytes, so bytes equal exactly when the hex does); link_i = SHA-256(prev_i || leaf_i).
    const prev = fields?.prev;
    if (prev !== undefined) {
      if (i === job.baseIndex && job.baseIndex !== 0) firstPrev = { index: i, offset, value: prev };
      else if (expKnown) {
        counters.linksChecked++;
        if (prevs.compare(expBuf, expOff, expOff + 32, 32 * k, 32 * k + 32) !== 0) {
          counters.linksBroken++;
          anomaly(
            'CHAIN_BROKEN',
            i === 0
              ? 'entry 0 does not start the chain at the genesis value'
              : `entry ${i} does not link to entry ${i - 1}`,
            {
              expected: expBuf.toString('hex', expOff, expOff + 32),
              actual: prev,
            },
          );
        }
      }
      expBuf = links;
      expOff = 32 * k;
      expKnown = true;
      lastLinkIndex = i;
      lastLinkOffset = offset;
      lastLinkK = k;
    } else expKnown = false;

    // Sequence: compared with the nearest readable seq before it, adjusted by distance.
    const seq = fields?.seq;
    if (seq !== undefined) {
      if (!firstSeq) firstSeq = { index: i, offset, value: seq };
      if (lastSeqIndex >= -1) {
        counters.seqChecked++;
        const expected = lastSeqValue + (i - lastSeqIndex);
        if (seq !== expected) {
          counters.seqProblems++;
          anomaly(
            seq > expected ? 'SEQ_GAP' : 'SEQ_REGRESSION',
            seq > expected
              ? `seq jumps from the expected ${expected} to ${seq}`
              : `seq ${seq} is not after the previous seq`,
            { expected, actual: seq },
          );
        }
      }
      lastSeqIndex = i;
      lastSeqOffset = offset;
      lastSeqValue = seq;
    }

    // Time: non-decreasing.
    const time = fields?.time;
    if (time !== undefined && fields!.ts !== undefined) {
      const ts = fields!.ts;
      if (!firstTime) firstTime = { index: i, offset, value: { seconds: time.seconds, nanos: time.nanos, ts } };
      if (lastTimeIndex >= -1) {
        counters.tsChecked++;
        if (time.seconds < lastSeconds || (time.seconds === lastSeconds && time.nanos < lastNanos)) {
          counters.tsRegressions++;
          anomaly('TIMESTAMP_REGRESSION', `ts ${ts} is earlier than the previous entry's ${lastTs}`, {
            previous: lastTs,
            actual: ts,
          });
        }
      }
      lastTimeIndex = i;
      lastTimeOffset = offset;
      lastSeconds = time.seconds;
      lastNanos = time.nanos;
      lastTs = ts;
    }

    // Entry signature.
    if (fields?.sig && fields.hasEvent) {
      counters.signatures++;
      const key = entryKeys.get(fields.sig.key);
      if (!key) {
        counters.signaturesUntrusted++;
        // A setup question (which key signs this source?), not a fault of the entry: unverifiable.
        sink.add(
          'KEY_UNTRUSTED',
          { file, entry: i, offset },
          'entry is signed by a key that is not trusted as an event source',
          {
            fingerprint: fields.sig.key,
          },
        );
        signerUntrusted.add(i);
      } else {
        let message: Uint8Array | undefined;
        try {
          message = entrySignatureMessage(entryEvent(fields));
        } catch {
          fail('ENTRY_FIELD_INVALID', 'event is not I-JSON and cannot be canonicalised for its signature', {
            member: 'event',
          });
        }
        if (message) {
          const ok = verifyEd25519Node(key.publicKey, message, fields.sig.signature);
          if (job.crossCheck && verifyEd25519(key.publicKey, message, fields.sig.signature) !== ok) {
            throw new ProofdeskError('INTERNAL', `Ed25519 implementations disagree on the signature of entry ${i}`);
          }
          const w = key.window;
          if (ok && !w) counters.signaturesValid++;
          else if (ok && w) {
            // A key with a window counts only where the evidence shows it was inside it.
            const j = judgeEntrySignature(
              key.fingerprint,
              w,
              i,
              time !== undefined ? time.seconds + time.nanos / 1e9 : undefined,
              witness,
            );
            if (j.finding) {
              if (j.counts || j.undated)
                sink.add(j.finding.code, { file, entry: i, offset }, j.finding.message, j.finding.evidence);
              else fail(j.finding.code, j.finding.message, j.finding.evidence);
            }
            if (j.counts) counters.signaturesValid++;
            else if (j.undated) counters.signaturesUndated++;
            else counters.signaturesOutsideWindow++;
            if (j.witnessStep !== undefined) {
              witnessDated[j.witnessStep]!.add(i);
              witnessDatedCount[j.witnessStep]!++;
            }
            entryUndated = j.undated;
          } else {
            counters.signaturesInvalid++;
            fail('SIGNATURE_INVALID', 'entry signature does not verify', { fingerprint: fields.sig.key });
          }
        }
      }
    }
    if (entryFailed) failed.add(i);
    else if (entryUndated) undated.add(i);
    if (entryAnomalous) anomalies.add(i);
    counters.entries++;
    index++;
  };

  /** Reads, hashes and judges the `count` lines of the batch (leafReady: leaves[0] is already hashed). */
  const flush = (buf: Buffer, count: number, leafReady = false): void => {
    if (count === 0) return;
    if (!leafReady) {
      // Lines are split at line feeds, which no UTF-8 sequence contains: when the batch's bytes
      // are valid UTF-8 as a whole, every line is, and only a batch that is not checks line by line.
      batchUtf8 = isUtf8(buf.subarray(starts[0]!, ends[count - 1]!));
      for (let k = 0; k < count; k++) readLine(buf, k);
      hasher.leaves(buf, starts, ends, count, leaves);
    }
    hasher.links(prevs, leaves, has, count, links);
    lastLinkK = -1;
    for (let k = 0; k < count; k++) processLine(k);
    // The batch's buffers are reused: keep what outlives it.
    if (expKnown && expBuf === links) {
      links.copy(carry, 0, expOff, expOff + 32);
      expBuf = carry;
      expOff = 0;
    }
    if (lastLinkK >= 0) links.copy(lastLink, 0, 32 * lastLinkK, 32 * lastLinkK + 32);
  };

  const fd = openRegion(job.region);
  let bytesDone = 0;
  try {
    const cap = Math.max(READ_CHUNK, job.maxEntryBytes + 2);
    // buf[0] is headroom: the byte before a line may be overwritten with 0x00 while the line is
    // hashed, so the RFC 9162 leaf input 0x00 || line is hashed without copying the line.
    const buf = readBuffer(cap + 1);
    let winStart = job.start; // region offset of buf[1]
    let len = 0; // valid bytes in buf[1 .. 1+len)
    let ls = 1; // buffer index of the current line start
    let lastReport = Date.now();
    let pending = 0; // lines of the current batch
    const end = job.end;
    const fill = () => {
      const want = Math.min(cap - len, end - (winStart + len));
      if (want > 0) len += readAt(fd, buf, 1 + len, want, job.region.offset + winStart + len);
    };
    const flushPending = () => {
      flush(buf, pending);
      pending = 0;
      if (progress && Date.now() - lastReport > 100) {
        progress(counters.entries, bytesDone);
        lastReport = Date.now();
      }
    };
    fill();
    for (;;) {
      const lineOffset = winStart + ls - 1;
      if (lineOffset >= end) {
        flushPending();
        break;
      }
      const nl = buf.indexOf(LF, ls);
      if (nl >= 0 && nl < 1 + len) {
        starts[pending] = ls;
        ends[pending] = nl;
        offsets[pending] = lineOffset;
        pending++;
        bytesDone += nl - ls + 1;
        ls = nl + 1;
        if (pending === BATCH) flushPending();
        continue;
      }
      // No complete line left in the buffer: judge the batch before the buffer moves.
      flushPending();
      const atEnd = winStart + len >= end;
      if (atEnd) {
        // Bytes after the last line feed: an incomplete line, not an entry.
        if (job.isLast) {
          sink.add(
            'ENTRIES_TRUNCATED',
            { file, offset: lineOffset, entry: index },
            `the entries file ends without a line feed: ${end - lineOffset} trailing bytes are an incomplete line`,
            { trailingBytes: end - lineOffset },
          );
        }
        break;
      }
      if (ls > 1) {
        // Move the partial line to the front and read more after it.
        buf.copy(buf, 1, ls, 1 + len);
        len -= ls - 1;
        winStart += ls - 1;
        ls = 1;
        fill();
        continue;
      }
      // A line longer than the whole buffer: longer than maxEntryBytes by construction.
      // Hash it streaming; never hold it in memory.
      const h = createHash('sha256');
      h.update(Uint8Array.of(0));
      let lineLen = 0;
      let found = -1;
      for (;;) {
        const v = buf.subarray(1, 1 + len);
        found = v.indexOf(LF);
        if (found >= 0) {
          h.update(v.subarray(0, found));
          lineLen += found;
          break;
        }
        h.update(v);
        lineLen += len;
        winStart += len;
        len = 0;
        if (winStart >= end) break;
        fill();
      }
      if (found < 0) {
        if (job.isLast)
          sink.add(
            'ENTRIES_TRUNCATED',
            { file, offset: lineOffset, entry: index },
            `the entries file ends without a line feed: ${lineLen} trailing bytes are an incomplete line`,
            { trailingBytes: lineLen },
          );
        break;
      }
      h.digest().copy(leaves, 0);
      reads[0] = TOO_LARGE;
      has[0] = 0;
      offsets[0] = lineOffset;
      flush(buf, 1, true);
      bytesDone += lineLen + 1;
      ls = 1 + found + 1;
    }
  } finally {
    closeSync(fd);
  }

  const count = index - job.baseIndex;
  return {
    kind: 'verify',
    baseIndex: job.baseIndex,
    count,
    bytes: bytesDone,
    range: rangeHashes(index),
    snapshots,
    ...(firstPrev ? { firstPrev } : {}),
    ...(lastLinkIndex >= 0
      ? { lastLink: { index: lastLinkIndex, offset: lastLinkOffset, value: lastLink.toString('hex') } }
      : {}),
    ...(firstSeq ? { firstSeq } : {}),
    ...(lastSeqIndex >= job.baseIndex
      ? { lastSeq: { index: lastSeqIndex, offset: lastSeqOffset, value: lastSeqValue } }
      : {}),
    ...(firstTime ? { firstTime } : {}),
    ...(lastTimeIndex >= job.baseIndex
      ? {
          lastTime: {
            index: lastTimeIndex,
            offset: lastTimeOffset,
            value: { seconds: lastSeconds, nanos: lastNanos, ts: lastTs },
          },
        }
      : {}),
    findings: sink.findings,
    omitted: sink.omitted,
    failed: failed.ranges,
    anomalies: anomalies.ranges,
    signerUntrusted: signerUntrusted.ranges,
    undated: undated.ranges,
    witnessDated: witnessDated.map((r, k) => ({ ranges: r.ranges, entries: witnessDatedCount[k]! })),
    leafHashes,
    blocks: { first: blockLeaves ? firstFullBlock : -1, roots: concat(blockRoots) },
    blockStarts,
    counters,
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.length * 32);
  parts.forEach((p, k) => out.set(p, k * 32));
  return out;
}
