/**
 * Proof-of-misbehaviour files (docs/diff.md §6): two checkpoints signed by one log key that
 * cannot both be true, with everything needed to show it and nothing else — no export, no
 * network. The Go checksum database client prints the same kind of evidence (both signed tree
 * notes and the proof that they disagree) when it catches its server equivocating, for the same
 * reason: the evidence must outlive the data it was found in.
 *
 *     proofdesk/misbehaviour-proof@v1
 *     key <C2SP note verifier key>            one or two lines: the key(s) that signed the notes
 *     sizes <size1> <size2>                    size1 <= size2
 *     prefix <n>                               only when size1 < size2: the compact range of the
 *     <base64 hash> × n                        larger tree over [0, size1) …
 *     suffix <n>                               … and over [size1, size2) (rangeNodes order)
 *     <base64 hash> × n
 *     leaf <index>                             optional: the first leaf the two trees disagree on,
 *     entry1 <base64 leaf data>                the entry each tree holds there and its RFC 9162
 *     path1 <n>                                inclusion proof in that tree
 *     <base64 hash> × n
 *     entry2 <base64 leaf data>
 *     path2 <n>
 *     <base64 hash> × n
 *     <blank line>
 *     <checkpoint note of size1, verbatim>
 *     <blank line>
 *     <checkpoint note of size2, verbatim>
 *
 * What each part shows (any one suffices; every part present must verify):
 *  - same-size: size1 = size2 and the roots differ;
 *  - not-a-prefix: prefix and suffix hashes fold into the signed root2, and the prefix alone folds
 *    into a root other than the signed root1. Under SHA-256 collision resistance the hashes that
 *    reproduce root2 are the larger tree's own subtree roots, so its first size1 leaves do not
 *    have root1. (An RFC 9162 consistency proof cannot carry this: when size1 is a power of two
 *    it omits the very node that differs.)
 *  - different-leaves: two valid inclusion proofs put different entries at the same index.
 *
 * Misbehaviour is held against a key, so one embedded key must have signed both checkpoints
 * (as the log, for one origin): two checkpoints by two different keys contradict nothing either
 * key said, and would let any key holder (a witness, another log) frame an honest log. The
 * examiner's key counts only if it is trusted in the 'log' role.
 */

import { type Sha256, sha256 } from '../crypto/hash.js';
import { bytesEqual, toBase64, toHex, tryDecodeUtf8, tryFromBase64, utf8 } from '../encoding/bytes.js';
import { keyFingerprint, NOTE_SIG_ED25519, parseNoteVerifierKey } from '../keys/keys.js';
import { hasRole, type TrustedKey } from '../keys/trust.js';
import { parseCheckpointBody } from '../tlog/checkpoint.js';
import { type CheckpointCheck, logSigners, verifyCheckpointNote } from '../tlog/checkpoint-verify.js';
import { CompactRange, rangeNodes } from '../tlog/merkle/compact.js';
import { hashLeaf } from '../tlog/merkle/hash.js';
import { verifyInclusion } from '../tlog/merkle/proof.js';
import { type Ed25519VerifyFn, parseNote } from '../tlog/note.js';
import { type Finding, finding } from '../verdict/findings.js';

export const MISBEHAVIOUR_PROOF_HEADER = 'proofdesk/misbehaviour-proof@v1';
/** Same bound as other proof files (shared/tlog/proof-file.ts), so `check-proof` reads every kind alike. */
const MAX_MISBEHAVIOUR_PROOF_BYTES = 4 * 1024 * 1024;
/** Largest entry carried in the leaf part; a larger one is left out (the other parts still prove the fork). */
export const MAX_PROOF_ENTRY_BYTES = 1024 * 1024;
/** A compact range or audit path over a tree of up to 2^63 leaves has at most 126 hashes. */
const MAX_HASHES = 128;

export interface MisbehaviourLeaf {
  readonly index: number;
  readonly entry1: Uint8Array;
  readonly path1: readonly Uint8Array[];
  readonly entry2: Uint8Array;
  readonly path2: readonly Uint8Array[];
}

export interface MisbehaviourProof {
  /** C2SP note verifier keys (one or two). */
  readonly keys: readonly string[];
  readonly size1: number;
  readonly size2: number;
  readonly prefix?: readonly Uint8Array[];
  readonly suffix?: readonly Uint8Array[];
  readonly leaf?: MisbehaviourLeaf;
  readonly checkpoint1: Uint8Array;
  readonly checkpoint2: Uint8Array;
}

/** Is this the start of a misbehaviour proof file? (For dispatch by header line.) */
export function isMisbehaviourProof(bytes: Uint8Array): boolean {
  const head = utf8(MISBEHAVIOUR_PROOF_HEADER + '\n');
  return bytes.length >= head.length && bytesEqual(bytes.subarray(0, head.length), head);
}

export function formatMisbehaviourProof(p: MisbehaviourProof): Uint8Array {
  const hashes = (label: string, hs: readonly Uint8Array[]) =>
    `${label} ${hs.length}\n${hs.map((h) => `${toBase64(h)}\n`).join('')}`;
  let s = `${MISBEHAVIOUR_PROOF_HEADER}\n`;
  for (const k of p.keys) s += `key ${k}\n`;
  s += `sizes ${p.size1} ${p.size2}\n`;
  if (p.prefix) s += hashes('prefix', p.prefix);
  if (p.suffix) s += hashes('suffix', p.suffix);
  if (p.leaf) {
    s += `leaf ${p.leaf.index}\n`;
    s += `entry1 ${toBase64(p.leaf.entry1)}\n${hashes('path1', p.leaf.path1)}`;
    s += `entry2 ${toBase64(p.leaf.entry2)}\n${hashes('path2', p.leaf.path2)}`;
  }
  s += '\n';
  const parts = [utf8(s), p.checkpoint1, utf8('\n'), p.checkpoint2];
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

export type MisbehaviourParse =
  | { readonly ok: true; readonly proof: MisbehaviourProof }
  | { readonly ok: false; readonly reason: string; readonly line?: number };

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function num(s: string | undefined): number | undefined {
  if (s === undefined || !DECIMAL.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parses a misbehaviour proof file. Total: every malformation is a reason with its line. */
export function parseMisbehaviourProof(bytes: Uint8Array): MisbehaviourParse {
  if (bytes.length > MAX_MISBEHAVIOUR_PROOF_BYTES)
    return { ok: false, reason: `larger than ${MAX_MISBEHAVIOUR_PROOF_BYTES} bytes` };
  const text = tryDecodeUtf8(bytes);
  if (text === undefined) return { ok: false, reason: 'not valid UTF-8' };
  const r = new ProofLines(text.split('\n'));
  if (r.next() !== MISBEHAVIOUR_PROOF_HEADER)
    return { ok: false, reason: `first line must be "${MISBEHAVIOUR_PROOF_HEADER}"`, line: 1 };
  const keys = readKeys(r);
  if (typeof keys === 'string') return r.fail(keys);
  const sizes = readSizes(r);
  if (typeof sizes === 'string') return r.fail(sizes);
  const range = readRange(r);
  if (typeof range === 'string') return r.fail(range);
  const leaf = readLeaf(r);
  if (typeof leaf === 'string') return r.fail(leaf);
  const notes = readCheckpoints(r);
  if (typeof notes === 'string') return r.fail(notes);
  return {
    ok: true,
    proof: {
      keys,
      ...sizes,
      ...(range ? { prefix: range.prefix, suffix: range.suffix } : {}),
      ...(leaf ? { leaf } : {}),
      ...notes,
    },
  };
}

/**
 * The lines of a proof file and the reader's place in them. Each part's reader returns its value,
 * or a reason with the reader left on the line it concerns (which `fail` reports).
 */
class ProofLines {
  #i = 0;

  constructor(private readonly lines: readonly string[]) {}

  /** The line the reader is on. */
  get current(): string | undefined {
    return this.lines[this.#i];
  }

  /** The line the reader is on; moves past it. */
  next(): string | undefined {
    return this.lines[this.#i++];
  }

  /** The lines from the reader's place to the end. */
  rest(): string[] {
    return this.lines.slice(this.#i);
  }

  fail(reason: string): MisbehaviourParse {
    return { ok: false, reason, line: this.#i + 1 };
  }

  /** `<label> <count>` and that many base64 SHA-256 hashes, one a line. */
  hashes(label: string): Uint8Array[] | string {
    const [l, n] = (this.current ?? '').split(' ');
    const count = num(n);
    if (l !== label || count === undefined) return `expected "${label} <count>"`;
    if (count > MAX_HASHES) return `more than ${MAX_HASHES} hashes`;
    this.#i++;
    const out: Uint8Array[] = [];
    for (let k = 0; k < count; k++, this.#i++) {
      const h = tryFromBase64(this.current ?? '');
      if (h?.length !== 32) return 'expected a base64 SHA-256 hash';
      out.push(h);
    }
    return out;
  }

  /** `<label> <base64>`. */
  entry(label: string): Uint8Array | string {
    const l = this.current ?? '';
    if (!l.startsWith(`${label} `)) return `expected "${label} <base64>"`;
    const b = tryFromBase64(l.slice(label.length + 1));
    if (!b) return `${label} is not base64`;
    this.#i++;
    return b;
  }
}

function readKeys(r: ProofLines): string[] | string {
  const keys: string[] = [];
  while (r.current?.startsWith('key ')) {
    if (keys.length === 2) return 'at most two key lines';
    keys.push(r.next()!.slice(4));
  }
  if (keys.length === 0) return 'expected "key <verifier key>"';
  return keys;
}

function readSizes(r: ProofLines): { size1: number; size2: number } | string {
  const sizes = r.current?.split(' ');
  if (sizes?.length !== 3 || sizes[0] !== 'sizes') return 'expected "sizes <size1> <size2>"';
  const size1 = num(sizes[1]);
  const size2 = num(sizes[2]);
  if (size1 === undefined || size2 === undefined) return 'sizes must be decimal numbers without leading zeros';
  if (size1 > size2) return 'size1 must not exceed size2';
  r.next();
  return { size1, size2 };
}

/** The not-a-prefix part, when present: the compact ranges over [0, size1) and [size1, size2). */
function readRange(r: ProofLines): { prefix: Uint8Array[]; suffix: Uint8Array[] } | undefined | string {
  if (!r.current?.startsWith('prefix ')) return undefined;
  const prefix = r.hashes('prefix');
  if (typeof prefix === 'string') return prefix;
  const suffix = r.hashes('suffix');
  if (typeof suffix === 'string') return suffix;
  return { prefix, suffix };
}

/** The different-leaves part, when present. */
function readLeaf(r: ProofLines): MisbehaviourLeaf | undefined | string {
  if (!r.current?.startsWith('leaf ')) return undefined;
  const index = num(r.current.slice(5));
  if (index === undefined) return 'expected "leaf <index>"';
  r.next();
  const entry1 = r.entry('entry1');
  if (typeof entry1 === 'string') return entry1;
  const path1 = r.hashes('path1');
  if (typeof path1 === 'string') return path1;
  const entry2 = r.entry('entry2');
  if (typeof entry2 === 'string') return entry2;
  const path2 = r.hashes('path2');
  if (typeof path2 === 'string') return path2;
  return { index, entry1, path1, entry2, path2 };
}

function readCheckpoints(r: ProofLines): { checkpoint1: Uint8Array; checkpoint2: Uint8Array } | string {
  if (r.current !== '') return 'expected a blank line before the checkpoints';
  r.next();
  // Two notes follow, separated by a blank line. A checkpoint note's text has no blank line, so
  // the first note ends at the blank line that closes its signature block.
  const tail = r.rest();
  const textEnd = tail.indexOf('');
  const sigEnd = textEnd < 0 ? -1 : tail.indexOf('', textEnd + 1);
  if (sigEnd < 0) return 'expected two checkpoint notes separated by a blank line';
  return {
    checkpoint1: utf8(tail.slice(0, sigEnd).join('\n') + '\n'),
    checkpoint2: utf8(tail.slice(sigEnd + 1).join('\n')),
  };
}

/** Why a misbehaviour proof does not prove misbehaviour. */
const MISBEHAVIOUR_REASONS = {
  MALFORMED: 'The file is not a well-formed misbehaviour proof.',
  KEY_INVALID: 'An embedded key is not an Ed25519 C2SP note verifier key.',
  CHECKPOINT_INVALID: 'A checkpoint is malformed or carries no valid signature by an embedded key.',
  SIGNERS_DIFFER:
    'No embedded key signed both checkpoints: checkpoints signed by different keys do not show that either key signed two histories.',
  SIGNATURE_INVALID: 'A signature by an embedded key on a checkpoint does not verify.',
  ORIGIN_DIFFERS: 'The two checkpoints name different logs.',
  SIZE_MISMATCH: "A checkpoint's tree size differs from the sizes line.",
  SAME_CHECKPOINT: 'The checkpoints have the same size and the same root: nothing contradicts.',
  PREFIX_MISSING: 'The sizes differ but no prefix and suffix hashes are given.',
  PREFIX_UNEXPECTED: 'The sizes are equal but prefix and suffix hashes are given.',
  RANGE_WRONG_LENGTH: 'The prefix or suffix holds a number of hashes other than its range requires.',
  RANGE_NOT_ROOT2: "The prefix and suffix hashes do not fold into the larger checkpoint's root.",
  CONSISTENT:
    "The larger tree's first size1 leaves have the smaller checkpoint's root: the checkpoints are consistent.",
  LEAF_OUT_OF_RANGE: 'The differing leaf lies outside one of the trees.',
  LEAF_PROOF_INVALID: 'An inclusion proof of the differing entries does not verify.',
  LEAVES_EQUAL: 'The two entries given as differing are equal.',
} as const;

export type MisbehaviourReason = keyof typeof MISBEHAVIOUR_REASONS;

export type MisbehaviourArgument = 'same-size' | 'not-a-prefix' | 'different-leaves';

export interface MisbehaviourCheck {
  /** proven: every part verifies and at least one shows the checkpoints cannot both be true. */
  readonly status: 'proven' | 'invalid';
  readonly reasons: readonly MisbehaviourReason[];
  readonly shows: readonly MisbehaviourArgument[];
  readonly origin?: string;
  readonly size1?: number;
  readonly size2?: number;
  /** Lowercase hex roots as signed. */
  readonly root1?: string;
  readonly root2?: string;
  /** Root of the larger tree's first size1 leaves, from the prefix hashes. */
  readonly prefixRoot?: string;
  readonly leafIndex?: number;
  /** The embedded keys that signed both checkpoints (the keys the proof is held against), and whether the examiner trusts them as log keys. */
  readonly signers: ReadonlyArray<{ readonly name: string; readonly fingerprint: string; readonly trusted: boolean }>;
  readonly findings: readonly Finding[];
}

export interface MisbehaviourContext {
  /** The examiner's trusted keys: a proof is only held against a key the examiner trusts as a log key. */
  readonly trusted: readonly TrustedKey[];
  readonly verify?: Ed25519VerifyFn;
  readonly hash?: Sha256;
}

function noteOrigin(note: Uint8Array): string | undefined {
  const n = parseNote(note);
  if (!n.ok) return undefined;
  const b = parseCheckpointBody(n.text);
  return b.ok ? b.origin : undefined;
}

type Signer = MisbehaviourCheck['signers'][number];

/** What the two embedded checkpoints establish, before any part of the proof is judged. */
interface CheckedCheckpoints {
  readonly c1: CheckpointCheck;
  readonly c2: CheckpointCheck;
  /** Signature and format findings on the checkpoints, the first checkpoint's first. */
  readonly findings: Finding[];
  /** Reported whatever the outcome: the sizes, the embedded keys that signed both, the origin. */
  readonly base: {
    readonly size1: number;
    readonly size2: number;
    readonly signers: Signer[];
    readonly origin?: string;
  };
}

/** One part of the proof: what it shows, or why it does not hold. */
type PartOutcome = { readonly shows: MisbehaviourArgument } | { readonly reason: MisbehaviourReason };

/**
 * Verifies a misbehaviour proof file. Signatures are checked against the keys embedded in the
 * file (so the proof stands alone); `signers[].trusted` says whether the examiner trusts them.
 * Never throws for bad input.
 */
export function verifyMisbehaviourProof(file: string, bytes: Uint8Array, ctx: MisbehaviourContext): MisbehaviourCheck {
  const parsed = parseMisbehaviourProof(bytes);
  if (!parsed.ok) return malformed(file, parsed);
  const p = parsed.proof;
  const keys = embeddedKeys(p.keys);
  if (!keys) return invalid(file, ['KEY_INVALID'], [], { size1: p.size1, size2: p.size2 });
  const checked = checkCheckpoints(file, p, keys, ctx);
  const { findings, base } = checked;
  const roots = trustedRoots(p, checked);
  if (typeof roots === 'string') return invalid(file, [roots], findings, base);
  const { root1, root2 } = roots;
  const h = ctx.hash ?? sha256;
  const rootsOutcome = rootsPart(p, root1, root2, h);
  const parts: PartOutcome[] = [rootsOutcome, ...(p.leaf ? [leafPart(p.leaf, p, root1, root2, h)] : [])];
  const reasons = parts.flatMap((x) => ('reason' in x ? [x.reason] : []));
  const shows = parts.flatMap((x) => ('shows' in x ? [x.shows] : []));
  const { prefixRoot } = rootsOutcome;
  const extra = {
    ...base,
    root1: toHex(root1),
    root2: toHex(root2),
    ...(prefixRoot ? { prefixRoot } : {}),
    ...(p.leaf ? { leafIndex: p.leaf.index } : {}),
  };
  // Every part present must hold, and at least one must show that the checkpoints contradict.
  if (reasons.length > 0 || shows.length === 0)
    return invalid(file, reasons.length ? reasons : ['SAME_CHECKPOINT'], findings, extra);
  findings.push(...provenFindings(file, p, shows, root1, root2, prefixRoot, base.signers));
  return { status: 'proven', reasons, shows, findings, ...extra };
}

function malformed(file: string, parsed: { readonly reason: string; readonly line?: number }): MisbehaviourCheck {
  const f = finding(
    'PROOF_MALFORMED',
    { file },
    `not a misbehaviour proof: ${parsed.reason}`,
    parsed.line !== undefined ? { line: parsed.line } : undefined,
  );
  return { status: 'invalid', reasons: ['MALFORMED'], shows: [], signers: [], findings: [f] };
}

/** Adds the one PROOF_INVALID finding, naming every reason, to the findings so far. Requires a reason. */
function invalid(
  file: string,
  reasons: MisbehaviourReason[],
  findings: Finding[],
  extra: Partial<MisbehaviourCheck>,
): MisbehaviourCheck {
  findings.push(
    finding('PROOF_INVALID', { file }, `the misbehaviour proof does not hold (${reasons.join(', ')})`, {
      reason: reasons[0] ?? 'MALFORMED',
    }),
  );
  return { status: 'invalid', reasons, shows: [], signers: [], findings, ...extra };
}

/** The embedded verifier keys as log keys, or undefined when one is not an Ed25519 note key. */
function embeddedKeys(lines: readonly string[]): TrustedKey[] | undefined {
  const keys: TrustedKey[] = [];
  for (const k of lines) {
    try {
      const pk = parseNoteVerifierKey(k);
      if (pk.noteSigType !== NOTE_SIG_ED25519) throw new Error('not a log key');
      keys.push({ publicKey: pk.publicKey, fingerprint: keyFingerprint(pk.publicKey), name: pk.name!, roles: ['log'] });
    } catch {
      return undefined;
    }
  }
  return keys;
}

/** Both checkpoints verified under the embedded keys alone, for the first checkpoint's origin. */
function checkCheckpoints(
  file: string,
  p: MisbehaviourProof,
  keys: readonly TrustedKey[],
  ctx: MisbehaviourContext,
): CheckedCheckpoints {
  const trustedFps = new Set(ctx.trusted.filter((k) => hasRole(k, 'log')).map((k) => k.fingerprint));
  const origin = noteOrigin(p.checkpoint1) ?? '';
  const cctx = { origin, trusted: keys, bundleKeys: [], ...(ctx.verify ? { verify: ctx.verify } : {}) };
  const c1 = verifyCheckpointNote(`${file}#checkpoint1`, p.checkpoint1, cctx);
  const c2 = verifyCheckpointNote(`${file}#checkpoint2`, p.checkpoint2, cctx);
  const kept = (f: Finding) => f.code === 'SIGNATURE_INVALID' || f.code === 'CHECKPOINT_MALFORMED';
  const findings = [...c1.findings.filter(kept), ...c2.findings.filter(kept)];
  const by1 = new Set(logSigners(c1.report));
  const by2 = new Set(logSigners(c2.report));
  const signers = keys
    .filter((k) => by1.has(k.fingerprint) && by2.has(k.fingerprint))
    .map((k) => ({ name: k.name!, fingerprint: k.fingerprint, trusted: trustedFps.has(k.fingerprint) }));
  return { c1, c2, findings, base: { size1: p.size1, size2: p.size2, signers, ...(origin ? { origin } : {}) } };
}

/** The two signed roots, or why the checkpoints cannot be held against one key at the stated sizes. */
function trustedRoots(
  p: MisbehaviourProof,
  { c1, c2, base }: CheckedCheckpoints,
): { readonly root1: Uint8Array; readonly root2: Uint8Array } | MisbehaviourReason {
  if (c1.report.origin !== undefined && c2.report.origin !== undefined && c1.report.origin !== c2.report.origin)
    return 'ORIGIN_DIFFERS';
  if (!c1.trusted || !c2.trusted)
    return c1.report.status === 'rejected' || c2.report.status === 'rejected'
      ? 'SIGNATURE_INVALID'
      : 'CHECKPOINT_INVALID';
  if (base.signers.length === 0) return 'SIGNERS_DIFFER';
  if (c1.trusted.size !== p.size1 || c2.trusted.size !== p.size2) return 'SIZE_MISMATCH';
  return { root1: c1.trusted.root, root2: c2.trusted.root };
}

/** Same size with different roots; or prefix and suffix that fold into root2 while the prefix alone is not root1. */
function rootsPart(
  p: MisbehaviourProof,
  root1: Uint8Array,
  root2: Uint8Array,
  h: Sha256,
): PartOutcome & { readonly prefixRoot?: string } {
  if (p.size1 === p.size2) {
    if (p.prefix) return { reason: 'PREFIX_UNEXPECTED' };
    return !bytesEqual(root1, root2) ? { shows: 'same-size' } : { reason: 'SAME_CHECKPOINT' };
  }
  if (!p.prefix || !p.suffix) return { reason: 'PREFIX_MISSING' };
  if (p.prefix.length !== rangeNodes(0, p.size1).length || p.suffix.length !== rangeNodes(p.size1, p.size2).length)
    return { reason: 'RANGE_WRONG_LENGTH' };
  const pre = CompactRange.fromHashes(0, p.size1, p.prefix, h);
  const whole = pre.clone();
  whole.merge(CompactRange.fromHashes(p.size1, p.size2, p.suffix, h));
  const pr = pre.root();
  const prefixRoot = toHex(pr);
  if (!bytesEqual(whole.root(), root2)) return { reason: 'RANGE_NOT_ROOT2', prefixRoot };
  if (bytesEqual(pr, root1)) return { reason: 'CONSISTENT', prefixRoot };
  return { shows: 'not-a-prefix', prefixRoot };
}

/** Two valid inclusion proofs that put different entries at one index. */
function leafPart(
  l: MisbehaviourLeaf,
  p: MisbehaviourProof,
  root1: Uint8Array,
  root2: Uint8Array,
  h: Sha256,
): PartOutcome {
  if (l.index >= p.size1) return { reason: 'LEAF_OUT_OF_RANGE' };
  const v1 = verifyInclusion(l.index, p.size1, hashLeaf(l.entry1, h), l.path1, root1, h);
  const v2 = verifyInclusion(l.index, p.size2, hashLeaf(l.entry2, h), l.path2, root2, h);
  if (!v1.ok || !v2.ok) return { reason: 'LEAF_PROOF_INVALID' };
  return bytesEqual(l.entry1, l.entry2) ? { reason: 'LEAVES_EQUAL' } : { shows: 'different-leaves' };
}

/** The contradiction the proof shows, and each signer the examiner does not trust as a log key. */
function provenFindings(
  file: string,
  p: MisbehaviourProof,
  shows: readonly MisbehaviourArgument[],
  root1: Uint8Array,
  root2: Uint8Array,
  prefixRoot: string | undefined,
  signers: readonly Signer[],
): Finding[] {
  const loc = { file, checkpointSize: p.size2 };
  const findings = [
    shows.includes('same-size')
      ? finding('CHECKPOINT_CONFLICT', loc, `the log key signed two different roots for tree size ${p.size1}`, {
          first: toHex(root1),
          second: toHex(root2),
        })
      : finding(
          'CHECKPOINTS_INCONSISTENT',
          { ...loc, range: [0, p.size1] },
          `the log key signed tree size ${p.size2}, whose first ${p.size1} leaves do not have the root it signed for size ${p.size1}`,
          { expected: toHex(root1), actual: prefixRoot ?? '' },
        ),
  ];
  if (signers.some((s) => s.trusted)) return findings;
  for (const s of signers)
    findings.push(
      finding(
        'KEY_UNTRUSTED',
        { file },
        `the checkpoints are signed by ${s.name} (${s.fingerprint.slice(0, 16)}…), which is not among the trusted log keys`,
        { fingerprint: s.fingerprint },
      ),
    );
  return findings;
}
