/**
 * Proof files (docs/bundle-format.md §6): inclusion proofs in C2SP tlog-proof@v1 form and
 * consistency proofs in Proofdesk's analogous text form. Parsing is total (reasons, not
 * exceptions); verification judges the embedded checkpoints with the same rules as bundle
 * checkpoints (checkpoint-verify.ts, then key validity: formats/validity.ts) and the paths
 * with RFC 9162 (merkle/proof.ts).
 */
import { bytesEqual, toBase64, toHex, tryDecodeUtf8, tryFromBase64, utf8 } from '../encoding/bytes.js';
import { applyKeyValidity, windowsOf } from '../keys/validity.js';
import { type Finding, finding } from '../verdict/findings.js';
import type { ProofReport } from '../verdict/result.js';
import { type CheckpointContext, verifyCheckpointNote } from './checkpoint-verify.js';
import { hashLeaf } from './merkle/hash.js';
import { consistencyProofRanges, inclusionProofRanges, verifyConsistency, verifyInclusion } from './merkle/proof.js';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
const CONSISTENCY_PROOF_HEADER = 'proofdesk/consistency-proof@v1';
export const MAX_PROOF_FILE_BYTES = 4 * 1024 * 1024;
/** An RFC 9162 proof for a tree of up to 2^63 leaves has at most 126 elements. */
const MAX_PROOF_HASHES = 128;

export interface InclusionProofFile {
  readonly kind: 'inclusion';
  readonly index: number;
  readonly hashes: readonly Uint8Array[];
  /** Opaque extra data. Proofdesk's `prove` puts the entry line here so the proof is self-contained. */
  readonly extra?: Uint8Array;
  readonly checkpoint: Uint8Array;
}

export interface ConsistencyProofFile {
  readonly kind: 'consistency';
  readonly size1: number;
  readonly size2: number;
  readonly hashes: readonly Uint8Array[];
  readonly checkpoint1: Uint8Array;
  readonly checkpoint2: Uint8Array;
}

export type ParsedProof = InclusionProofFile | ConsistencyProofFile;
export type ProofParseResult =
  | { readonly ok: true; readonly proof: ParsedProof }
  | { readonly ok: false; readonly reason: string };

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function decimal(s: string | undefined, prefix: string): number | undefined {
  if (s === undefined || !s.startsWith(prefix)) return undefined;
  const d = s.slice(prefix.length);
  if (!DECIMAL.test(d)) return undefined;
  const n = Number(d);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Reads base64 hash lines from lines[i] up to the first empty line; returns the hashes and the index after the blank line. */
function hashLines(lines: string[], i: number): { hashes: Uint8Array[]; next: number } | string {
  const hashes: Uint8Array[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') return { hashes, next: i + 1 };
    const h = tryFromBase64(l);
    if (!h || h.length !== 32) return `line ${i + 1} is not a base64 SHA-256 hash`;
    if (hashes.length >= MAX_PROOF_HASHES) return `more than ${MAX_PROOF_HASHES} proof hashes`;
    hashes.push(h);
  }
  return 'missing the blank line before the checkpoint';
}

export function parseProofFile(bytes: Uint8Array): ProofParseResult {
  if (bytes.length > MAX_PROOF_FILE_BYTES) return { ok: false, reason: `larger than ${MAX_PROOF_FILE_BYTES} bytes` };
  const text = tryDecodeUtf8(bytes);
  if (text === undefined) return { ok: false, reason: 'not valid UTF-8' };
  const lines = text.split('\n');
  const rest = (from: number) => utf8(lines.slice(from).join('\n'));
  if (lines[0] === TLOG_PROOF_HEADER) {
    let i = 1;
    let extra: Uint8Array | undefined;
    if (lines[i]?.startsWith('extra ')) {
      extra = tryFromBase64(lines[i]!.slice(6));
      if (!extra) return { ok: false, reason: 'line 2: extra data is not base64' };
      i++;
    }
    const index = decimal(lines[i], 'index ');
    if (index === undefined) return { ok: false, reason: `line ${i + 1}: expected "index <decimal>"` };
    const h = hashLines(lines, i + 1);
    if (typeof h === 'string') return { ok: false, reason: h };
    return {
      ok: true,
      proof: { kind: 'inclusion', index, hashes: h.hashes, ...(extra ? { extra } : {}), checkpoint: rest(h.next) },
    };
  }
  if (lines[0] === CONSISTENCY_PROOF_HEADER) {
    const size1 = decimal(lines[1], 'old ');
    const size2 = decimal(lines[2], 'new ');
    if (size1 === undefined || size2 === undefined)
      return { ok: false, reason: 'lines 2-3: expected "old <decimal>" and "new <decimal>"' };
    const h = hashLines(lines, 3);
    if (typeof h === 'string') return { ok: false, reason: h };
    // Two notes follow, separated by a blank line. A checkpoint note's text has no blank line,
    // so the first note ends at the blank line after its signature block.
    const tail = lines.slice(h.next);
    const textEnd = tail.indexOf('');
    const sigEnd = textEnd < 0 ? -1 : tail.indexOf('', textEnd + 1);
    if (sigEnd < 0) return { ok: false, reason: 'expected two checkpoint notes separated by a blank line' };
    return {
      ok: true,
      proof: {
        kind: 'consistency',
        size1,
        size2,
        hashes: h.hashes,
        checkpoint1: utf8(tail.slice(0, sigEnd).join('\n') + '\n'),
        checkpoint2: utf8(tail.slice(sigEnd + 1).join('\n')),
      },
    };
  }
  return {
    ok: false,
    reason: `unknown proof format (first line must be "${TLOG_PROOF_HEADER}" or "${CONSISTENCY_PROOF_HEADER}")`,
  };
}

export function formatInclusionProof(
  index: number,
  hashes: readonly Uint8Array[],
  checkpoint: Uint8Array,
  extra?: Uint8Array,
): Uint8Array {
  let s = `${TLOG_PROOF_HEADER}\n`;
  if (extra) s += `extra ${toBase64(extra)}\n`;
  s += `index ${index}\n`;
  for (const h of hashes) s += `${toBase64(h)}\n`;
  s += '\n';
  const head = utf8(s);
  const out = new Uint8Array(head.length + checkpoint.length);
  out.set(head);
  out.set(checkpoint, head.length);
  return out;
}

export function formatConsistencyProof(
  size1: number,
  size2: number,
  hashes: readonly Uint8Array[],
  checkpoint1: Uint8Array,
  checkpoint2: Uint8Array,
): Uint8Array {
  let s = `${CONSISTENCY_PROOF_HEADER}\nold ${size1}\nnew ${size2}\n`;
  for (const h of hashes) s += `${toBase64(h)}\n`;
  s += '\n';
  const parts = [utf8(s), checkpoint1, utf8('\n'), checkpoint2];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface ProofContext extends CheckpointContext {
  /** Leaf hash of bundle entry i, when the proof is checked against a bundle. */
  readonly leafHash?: (index: number) => Uint8Array | undefined;
  /** Number of entries in the bundle, when checked against one. */
  readonly entryCount?: number;
  /**
   * `extra` is opaque application data (C2SP tlog-proof from another log), not necessarily the
   * entry: a path that verifies for the given entry proves it whatever `extra` holds. Otherwise
   * (Proofdesk bundles and proofs) `extra`, when present, is the entry line the proof is for.
   */
  readonly extraIsOpaque?: boolean;
  /**
   * The judgement of an embedded checkpoint, when the caller has already judged it with every
   * other checkpoint (a bundle does: signature, key window, root, conflicts, size); its findings
   * are then the caller's, and are not repeated here.
   */
  readonly judged?: (bytes: Uint8Array) => JudgedNote | undefined;
}

/** What a proof needs to know of its checkpoint: trusted (size and root), or why not. */
export interface JudgedNote {
  readonly trusted?: { readonly size: number; readonly root: Uint8Array };
  readonly timeLost?: true;
  readonly findings: readonly Finding[];
}

/** A subtree whose hash a verified proof authenticates: leaves [from, to) of the signed tree hash to `hash`. */
export interface AuthenticatedSubtree {
  readonly from: number;
  readonly to: number;
  readonly hash: Uint8Array;
}

export interface ProofCheck {
  readonly report: ProofReport;
  readonly findings: Finding[];
  /** For a proof that verifies against its trusted checkpoint: the subtrees (and leaf) it authenticates. */
  readonly authenticated?: readonly AuthenticatedSubtree[];
}

function judgeWith(file: string, ctx: ProofContext): (bytes: Uint8Array) => JudgedNote {
  const windows = windowsOf(ctx.trusted);
  return (bytes) => {
    const pre = ctx.judged?.(bytes);
    if (pre) return { ...pre, findings: [] };
    const j = applyKeyValidity(verifyCheckpointNote(file, bytes, ctx), { windows });
    return {
      ...(j.trusted ? { trusted: j.trusted } : {}),
      ...(j.timeLost ? { timeLost: true as const } : {}),
      findings: j.findings,
    };
  };
}

const notCosignature = (f: Finding) => f.code !== 'COSIGNATURE_VALID';

function merkleFailure(v: { reason: string; expected?: string; computed?: string }): Record<string, string> {
  return {
    reason: v.reason,
    ...(v.expected ? { expected: v.expected } : {}),
    ...(v.computed ? { actual: v.computed } : {}),
  };
}

/**
 * Verifies a parsed proof. Its checkpoint is judged with the same rules as bundle checkpoints
 * (checkpoint-verify.ts, then key validity: keys/validity.ts), or taken from `ctx.judged`.
 *
 * An inclusion proof is checked for the entry it carries in `extra` when it carries one (the
 * entry the log signed), else for the given entry at `index` (the bundle's, or the one an
 * examiner gives). When it verifies for `extra`, its path nodes and leaf are authenticated by
 * the signed root, and a given entry that differs is PROOF_LEAF_MISMATCH: that entry is not what
 * the log signed. A path that does not verify for the entry in `extra` is PROOF_INVALID: the
 * proof is wrong, not the entry. With `extraIsOpaque`, a path that verifies for the given entry
 * proves it whatever `extra` holds.
 *
 * A checkpoint in a proof carries no entries, so key validity judges it by its witness
 * cosignatures alone. One that loses its trust only to key validity fails the proof without
 * PROOF_INVALID: the validity finding says why.
 */
export function verifyProof(file: string, proof: ParsedProof, ctx: ProofContext): ProofCheck {
  const judge = judgeWith(file, ctx);
  return proof.kind === 'inclusion'
    ? verifyInclusionProof(file, proof, ctx, judge)
    : verifyConsistencyProof(file, proof, judge);
}

function verifyInclusionProof(
  file: string,
  proof: InclusionProofFile,
  ctx: ProofContext,
  judge: (b: Uint8Array) => JudgedNote,
): ProofCheck {
  const cp = judge(proof.checkpoint);
  const findings: Finding[] = cp.findings.filter(notCosignature);
  const base = { file, kind: 'inclusion' as const, index: proof.index };
  const loc = { file, entry: proof.index };
  if (!cp.trusted) {
    if (!cp.timeLost)
      findings.push(
        finding('PROOF_INVALID', loc, "the proof's checkpoint is not trusted, so the proof proves nothing"),
      );
    return { report: { ...base, status: 'failed' }, findings };
  }
  const size = cp.trusted.size;
  const root = cp.trusted.root;
  const given = ctx.leafHash && proof.index < (ctx.entryCount ?? 0) ? ctx.leafHash(proof.index) : undefined;
  const carried = proof.extra ? hashLeaf(proof.extra) : undefined;
  if (!given && !carried) {
    findings.push(finding('PROOF_INVALID', loc, `entry ${proof.index} is not available to check the proof against`));
    return { report: { ...base, size, status: 'failed' }, findings };
  }
  const authenticate = (leaf: Uint8Array): AuthenticatedSubtree[] => {
    const ranges = inclusionProofRanges(proof.index, size);
    const out: AuthenticatedSubtree[] = [{ from: proof.index, to: proof.index + 1, hash: leaf }];
    proof.hashes.forEach((h, k) => {
      const r = ranges[k];
      if (r) out.push({ from: r[0], to: r[1], hash: h });
    });
    return out;
  };
  const forCarried = carried ? verifyInclusion(proof.index, size, carried, proof.hashes, root) : undefined;
  if (forCarried?.ok) {
    const authenticated = authenticate(carried as Uint8Array);
    if (given && !bytesEqual(carried as Uint8Array, given)) {
      findings.push(
        finding(
          'PROOF_LEAF_MISMATCH',
          loc,
          `entry ${proof.index} differs from the entry the log signed, which the proof carries and proves`,
          { expected: toHex(carried as Uint8Array), actual: toHex(given) },
        ),
      );
      return { report: { ...base, size, status: 'failed' }, findings, authenticated };
    }
    return { report: { ...base, size, status: 'verified' }, findings, authenticated };
  }
  // Where `extra` is opaque application data (C2SP), a path that does not verify for it may still
  // be the path of the given entry.
  const opaque = ctx.extraIsOpaque === true;
  const same = carried !== undefined && given !== undefined && bytesEqual(carried, given);
  const forGiven =
    given && !same && (opaque || !carried) ? verifyInclusion(proof.index, size, given, proof.hashes, root) : undefined;
  if (forGiven?.ok)
    return {
      report: { ...base, size, status: 'verified' },
      findings,
      authenticated: authenticate(given as Uint8Array),
    };
  const v = (forCarried ?? forGiven) as Exclude<typeof forGiven, undefined>;
  // A path that does not reach the root from the entry the proof carries is the proof's fault;
  // a path checked only for the given entry cannot tell which of the two is wrong.
  const carriesEntry = carried !== undefined && (!opaque || same);
  const code = !carriesEntry && v.reason === 'ROOT_MISMATCH' ? 'PROOF_LEAF_MISMATCH' : 'PROOF_INVALID';
  const what = carriesEntry ? 'for the entry it carries' : `for entry ${proof.index}`;
  findings.push(
    finding(
      code,
      { ...loc, checkpointSize: size },
      `inclusion proof ${what} in tree size ${size} fails (${v.reason})`,
      merkleFailure(v),
    ),
  );
  return { report: { ...base, size, status: 'failed' }, findings };
}

function verifyConsistencyProof(
  file: string,
  proof: ConsistencyProofFile,
  judge: (b: Uint8Array) => JudgedNote,
): ProofCheck {
  const base = { file, kind: 'consistency' as const, size1: proof.size1, size2: proof.size2 };
  const c1 = judge(proof.checkpoint1);
  const c2 = judge(proof.checkpoint2);
  const findings: Finding[] = [...c1.findings, ...c2.findings].filter(notCosignature);
  const loc = { file, checkpointSize: proof.size2 };
  if (!c1.trusted || !c2.trusted) {
    const byValidity = (c1.trusted || c1.timeLost) && (c2.trusted || c2.timeLost);
    if (!byValidity)
      findings.push(
        finding(
          'PROOF_INVALID',
          loc,
          'a checkpoint of the consistency proof is not trusted, so the proof proves nothing',
        ),
      );
    return { report: { ...base, status: 'failed' }, findings };
  }
  if (c1.trusted.size !== proof.size1 || c2.trusted.size !== proof.size2) {
    findings.push(
      finding(
        'PROOF_INVALID',
        loc,
        `the proof states sizes ${proof.size1} → ${proof.size2}, its checkpoints have ${c1.trusted.size} → ${c2.trusted.size}`,
      ),
    );
    return { report: { ...base, status: 'failed' }, findings };
  }
  const v = verifyConsistency(proof.size1, proof.size2, c1.trusted.root, c2.trusted.root, proof.hashes);
  if (!v.ok) {
    findings.push(
      finding(
        'PROOF_INVALID',
        loc,
        `consistency proof ${proof.size1} → ${proof.size2} fails (${v.reason})`,
        merkleFailure(v),
      ),
    );
    return { report: { ...base, status: 'failed' }, findings };
  }
  const ranges = consistencyProofRanges(proof.size1, proof.size2);
  const authenticated: AuthenticatedSubtree[] = [];
  proof.hashes.forEach((h, k) => {
    const r = ranges[k];
    if (r) authenticated.push({ from: r[0], to: r[1], hash: h });
  });
  return { report: { ...base, status: 'verified' }, findings, authenticated };
}
