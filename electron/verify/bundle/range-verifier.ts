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
import { verifyEd25519Node } from '../../platform/ed25519-node.js';
import { createHash, nodeSha256 } from '../../platform/node-hash.js';
import { openRegion } from '../../platform/open-regular.js';

const READ_CHUNK = 4 * 1024 * 1024;
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

  // Merkle state. Leaves of whole blocks go into `inner` and, once a block completes, its
  // root goes into `outer`, a compact range over block indices: above the block level the
  // tree over block roots is the tree over leaves, so no hash is computed twice and each
  // block root is captured for the entry index (diff, entry browser).
  let head: Uint8Array[] | undefined; // partial block at the start of the job
  let inner = new CompactRange(job.baseIndex, nodeSha256);
  let outer: CompactRange | undefined;
  let firstFullBlock = -1;
  const rangeHashes = (): Uint8Array[] => [...(head ?? []), ...(outer ? outer.hashes() : []), ...inner.hashes()];

  // Per-entry state lives in plain variables (not objects) because this runs per entry.
  let expectedPrev: Buffer | undefined; // link_{i-1}
  let expectedPrevHex: string | undefined;
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
      expectedPrev = Buffer.from(job.genesis, 'hex');
      expectedPrevHex = job.genesis;
    }
    lastSeqIndex = -1;
    lastSeqValue = job.firstSeq - 1;
  }
  let firstPrev: KnownValue<string> | undefined;
  let firstSeq: KnownValue<number> | undefined;
  let firstTime: VerifyResult['firstTime'];
  let lastLinkIndex = -1;
  let lastLinkOffset = -1;
  let lastLinkBuf: Buffer | undefined;

  const scratch = Buffer.allocUnsafe(64);
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

  const processLine = (leaf: Buffer, text: string | undefined, offset: number, tooLarge: boolean): void => {
    const i = index;
    curOffset = offset;
    entryFailed = false;
    entryAnomalous = false;
    entryUndated = false;
    // Merkle.
    inner.append(leaf);
    const wanted = wantLeaf.has(i)
      ? { index: i, hash: Uint8Array.from(leaf) as Uint8Array, ts: undefined as string | undefined }
      : undefined;
    if (wanted) leafHashes.push(wanted);
    if (blockLeaves && (i + 1) % blockLeaves === 0) {
      const blockStart = i + 1 - blockLeaves;
      if (blockStart >= job.baseIndex) {
        const root = inner.hashes()[0]!;
        const b = blockStart / blockLeaves;
        if (!outer) {
          outer = new CompactRange(b, nodeSha256);
          firstFullBlock = b;
        }
        outer.append(root);
        // A copy: the digest is a view of an 8 KiB pool slab, and keeping the view would keep
        // the whole slab alive (about 20 MB per 600,000-entry job).
        blockRoots.push(new Uint8Array(root));
      } else head = inner.hashes() as Uint8Array[];
      inner = new CompactRange(i + 1, nodeSha256);
    }
    if (blockLeaves && i % blockLeaves === 0) blockStarts.push({ block: i / blockLeaves, offset });
    if (snapshotSizes.length && snapshotSizes[0] === i + 1) {
      snapshots.push({ size: i + 1, range: rangeHashes() });
      snapshotSizes.shift();
    }

    // Fields.
    let fields: EntryFields | undefined;
    if (tooLarge) {
      counters.tooLarge++;
      fail('ENTRY_TOO_LARGE', `entry is larger than ${job.maxEntryBytes} bytes; hashed but not parsed`, {
        limit: job.maxEntryBytes,
      });
    } else if (text === undefined) {
      counters.malformed++;
      fail('ENTRY_MALFORMED', 'entry is not valid UTF-8');
    } else {
      // The one-pass scan (the reference JSON.parse path for anything unusual); with
      // --cross-check both readings of every line, which must agree.
      const read = readEntryLine(text, expectedPrevHex);
      if (job.crossCheck) {
        const where = entryFieldsDiffer(read, parseEntryLine(text, expectedPrevHex));
        if (where !== undefined)
          throw new ProofdeskError('INTERNAL', `the two entry readers disagree on ${where} of entry ${i}`);
      }
      if (typeof read === 'string') {
        counters.malformed++;
        fail('ENTRY_MALFORMED', `entry is not valid JSON: ${read}`);
      } else {
        fields = read;
        for (const p of fields.problems) fail(p.code, p.message, p.member ? { member: p.member } : undefined);
        if (wanted && fields.ts !== undefined) wanted.ts = fields.ts;
      }
    }

    // Chain: prev_i must equal link_{i-1}. The values are public, so a plain string
    // comparison is as good as a constant-time one here.
    let link: Buffer | undefined;
    const prev = fields?.prev;
    if (prev !== undefined) {
      let prevBytes: Buffer | undefined;
      if (i === job.baseIndex && job.baseIndex !== 0) firstPrev = { index: i, offset, value: prev };
      else if (expectedPrevHex !== undefined) {
        counters.linksChecked++;
        if (prev === expectedPrevHex) prevBytes = expectedPrev;
        else {
          counters.linksBroken++;
          anomaly(
            'CHAIN_BROKEN',
            i === 0
              ? 'entry 0 does not start the chain at the genesis value'
              : `entry ${i} does not link to entry ${i - 1}`,
            {
              expected: expectedPrevHex,
              actual: prev,
            },
          );
        }
      }
      if (prevBytes) prevBytes.copy(scratch, 0);
      else scratch.write(prev, 0, 32, 'hex');
      leaf.copy(scratch, 32);
      link = nodeSha256(scratch) as Buffer;
    }
    expectedPrev = link;
    expectedPrevHex = link ? link.toString('hex') : undefined;
    if (link) {
      lastLinkIndex = i;
      lastLinkOffset = offset;
      lastLinkBuf = link;
    }

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

  const fd = openRegion(job.region);
  let bytesDone = 0;
  try {
    const cap = Math.max(READ_CHUNK, job.maxEntryBytes + 2);
    // buf[0] is headroom: the byte before a line is overwritten with 0x00 while the line is
    // hashed, so the RFC 9162 leaf input 0x00 || line is hashed without copying the line.
    const buf = readBuffer(cap + 1);
    let winStart = job.start; // region offset of buf[1]
    let len = 0; // valid bytes in buf[1 .. 1+len)
    let ls = 1; // buffer index of the current line start
    let lastReport = Date.now();
    const end = job.end;
    const fill = () => {
      const want = Math.min(cap - len, end - (winStart + len));
      if (want > 0) len += readAt(fd, buf, 1 + len, want, job.region.offset + winStart + len);
    };
    fill();
    for (;;) {
      const lineOffset = winStart + ls - 1;
      if (lineOffset >= end) break;
      const view = buf.subarray(0, 1 + len);
      const nl = view.indexOf(LF, ls);
      if (nl >= 0) {
        const lineLen = nl - ls;
        const save = buf[ls - 1]!;
        buf[ls - 1] = 0;
        const leaf = nodeSha256(buf.subarray(ls - 1, nl)) as Buffer;
        buf[ls - 1] = save;
        const tooLarge = lineLen > job.maxEntryBytes;
        const lineBytes = buf.subarray(ls, nl);
        const text = tooLarge ? undefined : isUtf8(lineBytes) ? buf.toString('utf8', ls, nl) : undefined;
        processLine(leaf, text, lineOffset, tooLarge);
        bytesDone += lineLen + 1;
        ls = nl + 1;
        if ((counters.entries & 4095) === 0 && progress && Date.now() - lastReport > 100) {
          progress(counters.entries, bytesDone);
          lastReport = Date.now();
        }
        continue;
      }
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
      processLine(h.digest(), undefined, lineOffset, true);
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
    range: rangeHashes(),
    snapshots,
    ...(firstPrev ? { firstPrev } : {}),
    ...(lastLinkBuf
      ? { lastLink: { index: lastLinkIndex, offset: lastLinkOffset, value: lastLinkBuf.toString('hex') } }
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
    blocks: { first: firstFullBlock, roots: concat(blockRoots) },
    blockStarts,
    counters,
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.length * 32);
  parts.forEach((p, k) => out.set(p, k * 32));
  return out;
}
