/**
 * The divergence verdict (docs/diff.md §3), judged from facts the engine measured: entry counts,
 * the first divergent index, every trusted checkpoint of either export, and each export's Merkle
 * roots at any size it holds.
 *
 * Signed tree heads (size, root) from both exports are pooled. Each export's entries either back
 * a head (same root at that size), contradict it (another root), or stop short of it. Two heads
 * cannot both be true when they have the same size and different roots, or when an export backs
 * the larger and contradicts the smaller: when one trusted log key signed both, that is a fork.
 * Heads signed by different keys are never a fork: no key contradicted itself, and a fork
 * verdict must hold against the key that signed both. Without a fork, differing entries are a
 * rewrite, and the export whose entries still match the signed heads is the faithful one.
 */
import { bytesEqual, toHex } from '../encoding/bytes.js';
import { type Finding, finding } from '../verdict/findings.js';
import type { CheckpointRef, CheckpointRelation, DiffVerdict, ForkPair, Side } from './model.js';

export interface SignedCheckpoint {
  readonly side: Side;
  readonly file: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** Fingerprints of the trusted log keys whose signatures on it count. */
  readonly signers: readonly string[];
}

export interface SideTree {
  readonly count: number;
  /** Root of the first `size` leaves. Requires 0 <= size <= count. */
  rootAt(size: number): Uint8Array;
}

export interface JudgeInput {
  readonly counts: Readonly<Record<Side, number>>;
  /** First index below min(counts) where the entries differ. */
  readonly divergence?: number;
  /** Every trusted checkpoint of either export. */
  readonly checkpoints: readonly SignedCheckpoint[];
  /** Each export's tree; an export without readable entries has none. */
  readonly trees: Partial<Readonly<Record<Side, SideTree>>>;
  /** Most fork pairs listed (default 100); the rest are counted. */
  readonly maxForks?: number;
}

export interface Judgement {
  readonly verdict: DiffVerdict;
  readonly relations: readonly CheckpointRelation[];
  readonly forks: readonly ForkPair[];
  readonly forksOmitted: number;
  readonly rewritten?: { readonly index: number; readonly side: Side | 'unknown' };
  readonly extension?: { readonly longer: Side; readonly from: number; readonly to: number; readonly signedTo: number };
  readonly truncation: ReadonlyArray<{ readonly side: Side; readonly held: number; readonly committed: number }>;
  /** The newest signed head of each export, when both are backed and differ: a consistency proof between them can be made from `tree`. */
  readonly consistencyPair?: { readonly older: CheckpointRef; readonly newer: CheckpointRef; readonly tree: Side };
  readonly findings: readonly Finding[];
}

const SIDES: readonly Side[] = ['A', 'B'];

interface Head {
  readonly size: number;
  readonly root: Uint8Array;
  readonly rootHex: string;
  readonly files: Array<{ side: Side; file: string }>;
  readonly signers: Set<string>;
  readonly backedBy: Side[];
  readonly contradictedBy: Side[];
  readonly beyond: Side[];
}

function ref(h: Head, prefer?: Side): CheckpointRef {
  const f = h.files.find((x) => x.side === prefer) ?? h.files[0]!;
  return { size: h.size, rootHash: h.rootHex, side: f.side, file: f.file };
}

/** Root of one export's first `size` leaves, or undefined beyond its entries (or without entries). */
type RootAt = (side: Side, size: number) => Uint8Array | undefined;

/** Fingerprints, sorted, of the trusted log keys that signed both heads; a pair with none is no fork. */
function commonSigners(x: Head, y: Head): string[] {
  return [...x.signers].filter((fp) => y.signers.has(fp)).sort();
}

export function judgeDivergence(input: JudgeInput): Judgement {
  const { counts } = input;
  const maxForks = input.maxForks ?? 100;
  const rootAt = memoRoots(input);
  const heads = poolHeads(input.checkpoints, rootAt);
  const forks = findForks(heads, rootAt);
  const truncation = truncationOf(heads, counts);
  const extension = extensionOf(input, heads);
  const listed = forks.slice(0, maxForks);
  const { verdict, findings, rewritten } = decide(input, heads, forks, listed, truncation);
  const consistencyPair = verdict !== 'FORKED' ? consistencyPairOf(heads) : undefined;
  const relations: CheckpointRelation[] = heads.map((h) => ({
    size: h.size,
    rootHash: h.rootHex,
    files: h.files,
    backedBy: h.backedBy,
    contradictedBy: h.contradictedBy,
    beyond: h.beyond,
  }));
  return {
    verdict,
    relations,
    forks: listed,
    forksOmitted: Math.max(0, forks.length - maxForks),
    ...(rewritten ? { rewritten } : {}),
    ...(extension ? { extension } : {}),
    truncation,
    ...(consistencyPair ? { consistencyPair } : {}),
    findings,
  };
}

/** Both exports agree on their first `agree` leaves, so a root at such a size is computed once. */
function memoRoots(input: JudgeInput): RootAt {
  const agree = input.divergence ?? Math.min(input.counts.A, input.counts.B);
  const memo = new Map<string, Uint8Array>();
  return (side, size) => {
    const tree = input.trees[side];
    if (!tree || size > tree.count) return undefined;
    const shared = size <= agree && input.trees.A && input.trees.B;
    const key = shared ? `*:${size}` : `${side}:${size}`;
    let r = memo.get(key);
    if (!r) {
      r = tree.rootAt(size);
      memo.set(key, r);
    }
    return r;
  };
}

/**
 * The signed heads of both exports, one per (size, root), sorted by size then root, each with
 * its files and signers pooled and what each export's entries say of it.
 */
function poolHeads(checkpoints: readonly SignedCheckpoint[], rootAt: RootAt): Head[] {
  const byKey = new Map<string, Head>();
  for (const c of checkpoints) {
    const rootHex = toHex(c.root);
    const key = `${c.size}:${rootHex}`;
    let h = byKey.get(key);
    if (!h) {
      h = {
        size: c.size,
        root: c.root,
        rootHex,
        files: [],
        signers: new Set(),
        backedBy: [],
        contradictedBy: [],
        beyond: [],
      };
      byKey.set(key, h);
    }
    for (const fp of c.signers) h.signers.add(fp);
    if (!h.files.some((f) => f.side === c.side && f.file === c.file)) h.files.push({ side: c.side, file: c.file });
  }
  const heads = [...byKey.values()].sort(
    (x, y) => x.size - y.size || (x.rootHex < y.rootHex ? -1 : x.rootHex > y.rootHex ? 1 : 0),
  );
  for (const h of heads) {
    h.files.sort((x, y) =>
      x.side !== y.side ? (x.side < y.side ? -1 : 1) : x.file < y.file ? -1 : x.file > y.file ? 1 : 0,
    );
    for (const s of SIDES) {
      const r = rootAt(s, h.size);
      if (!r) h.beyond.push(s);
      else if (bytesEqual(r, h.root)) h.backedBy.push(s);
      else h.contradictedBy.push(s);
    }
  }
  return heads;
}

/**
 * Pairs of heads one key signed that cannot both be true: same size with different roots, or a
 * larger head an export backs whose prefix contradicts a smaller one. Each pair once, sorted.
 */
function findForks(heads: readonly Head[], rootAt: RootAt): ForkPair[] {
  const forks = new Map<string, ForkPair>();
  const add = (f: ForkPair) => {
    const key = `${f.smaller.size}:${f.smaller.rootHash}|${f.larger.size}:${f.larger.rootHash}`;
    if (!forks.has(key)) forks.set(key, f);
  };
  for (let i = 0; i < heads.length; i++) {
    for (let j = i + 1; j < heads.length && heads[j]!.size === heads[i]!.size; j++) {
      const x = heads[i]!;
      const y = heads[j]!;
      const signers = commonSigners(x, y);
      if (signers.length === 0) continue;
      const tree = y.backedBy[0] ?? x.backedBy[0];
      add({ kind: 'same-size', smaller: ref(x), larger: ref(y), signers, ...(tree ? { tree } : {}) });
    }
  }
  for (const c of heads) {
    for (const s of c.contradictedBy) {
      const d = heads.find((h) => h.size > c.size && h.backedBy.includes(s) && commonSigners(c, h).length > 0);
      if (!d) continue;
      const prefixRoot = toHex(rootAt(s, c.size)!);
      add({
        kind: 'not-a-prefix',
        smaller: ref(c),
        larger: ref(d, s),
        signers: commonSigners(c, d),
        tree: s,
        prefixRoot,
      });
    }
  }
  return [...forks.values()].sort(
    (p, q) =>
      p.smaller.size - q.smaller.size ||
      p.larger.size - q.larger.size ||
      (p.kind < q.kind ? -1 : p.kind > q.kind ? 1 : 0),
  );
}

/** An export missing entries its own signed heads commit to. */
function truncationOf(heads: readonly Head[], counts: Readonly<Record<Side, number>>): Judgement['truncation'] {
  const truncation: Array<{ side: Side; held: number; committed: number }> = [];
  for (const s of SIDES) {
    const committed = Math.max(0, ...heads.filter((h) => h.files.some((f) => f.side === s)).map((h) => h.size));
    if (committed > counts[s]) truncation.push({ side: s, held: counts[s], committed });
  }
  return truncation;
}

/** When one export holds all of the other and more: how far, and how far its own entries back a signed head. */
function extensionOf(input: JudgeInput, heads: readonly Head[]): Judgement['extension'] {
  const { counts } = input;
  if (input.divergence !== undefined || counts.A === counts.B) return undefined;
  const longer: Side = counts.A > counts.B ? 'A' : 'B';
  const shorter: Side = longer === 'A' ? 'B' : 'A';
  const signedTo = Math.max(0, ...heads.filter((h) => h.backedBy.includes(longer)).map((h) => h.size));
  return { longer, from: counts[shorter], to: counts[longer], signedTo };
}

/** The verdict, in order of weight: a fork, then a rewrite, then equal, truncated or extended; findings for the listed forks or the truncation. */
function decide(
  input: JudgeInput,
  heads: readonly Head[],
  forks: readonly ForkPair[],
  listed: readonly ForkPair[],
  truncation: Judgement['truncation'],
): { verdict: DiffVerdict; findings: Finding[]; rewritten?: Judgement['rewritten'] } {
  const { counts } = input;
  // Any fork decides, even when none is listed (maxForks 0).
  if (forks.length > 0) return { verdict: 'FORKED', findings: listed.map(forkFinding) };
  if (input.divergence !== undefined)
    return { verdict: 'REWRITTEN', findings: [], rewritten: rewrittenAt(heads, input.divergence) };
  if (counts.A === counts.B) return { verdict: 'IDENTICAL', findings: [] };
  const shorter: Side = counts.A < counts.B ? 'A' : 'B';
  const t = truncation.find((x) => x.side === shorter);
  if (!t) return { verdict: shorter === 'A' ? 'B_EXTENDS_A' : 'A_EXTENDS_B', findings: [] };
  const missing = finding(
    'EXPORT_TRUNCATED',
    { range: [t.held, t.committed] },
    `export ${shorter} holds ${t.held} entries, a prefix of the other export, but its signed checkpoints commit to ${t.committed}: entries ${t.held}..${t.committed - 1} are missing`,
    { side: shorter, held: t.held, committed: t.committed },
  );
  return { verdict: 'TRUNCATED', findings: [missing] };
}

/** The export that departs from the signed history: the one whose entries back no signed head past `k` while the other's do. */
function rewrittenAt(heads: readonly Head[], k: number): NonNullable<Judgement['rewritten']> {
  const signed = (s: Side) => heads.some((h) => h.size > k && h.backedBy.includes(s));
  const side: Side | 'unknown' = signed('A') && !signed('B') ? 'B' : signed('B') && !signed('A') ? 'A' : 'unknown';
  return { index: k, side };
}

function forkFinding(f: ForkPair): Finding {
  if (f.kind === 'same-size')
    return finding(
      'CHECKPOINT_CONFLICT',
      { file: `${f.larger.side}:${f.larger.file}`, checkpointSize: f.larger.size },
      `two trusted checkpoints of size ${f.larger.size} sign different roots (${f.smaller.side}:${f.smaller.file} and ${f.larger.side}:${f.larger.file})`,
      { first: f.smaller.rootHash, second: f.larger.rootHash },
    );
  return finding(
    'CHECKPOINTS_INCONSISTENT',
    { file: `${f.smaller.side}:${f.smaller.file}`, checkpointSize: f.smaller.size, range: [0, f.smaller.size] },
    `checkpoint ${f.smaller.side}:${f.smaller.file} (size ${f.smaller.size}) is not a prefix of ${f.larger.side}:${f.larger.file} (size ${f.larger.size}), whose first ${f.smaller.size} entries in export ${f.tree} have another root`,
    {
      expected: f.smaller.rootHash,
      actual: f.prefixRoot ?? null,
      largerSize: f.larger.size,
    },
  );
}

/** The newest backed head of each export, when their sizes differ and one export's entries back both. */
function consistencyPairOf(heads: readonly Head[]): Judgement['consistencyPair'] {
  const newest = (s: Side) =>
    [...heads].reverse().find((h) => h.files.some((f) => f.side === s) && h.backedBy.length > 0);
  const ha = newest('A');
  const hb = newest('B');
  if (!ha || !hb || ha === hb || ha.size === hb.size) return undefined;
  const [older, newer] = ha.size < hb.size ? [ha, hb] : [hb, ha];
  const olderSide: Side = older === ha ? 'A' : 'B';
  const newerSide: Side = newer === ha ? 'A' : 'B';
  const tree = newer.backedBy.includes(newerSide) ? newerSide : newer.backedBy[0]!;
  if (!older.backedBy.includes(tree)) return undefined;
  return { older: ref(older, olderSide), newer: ref(newer, newerSide), tree };
}
