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

export function judgeDivergence(input: JudgeInput): Judgement {
  const { counts } = input;
  const maxForks = input.maxForks ?? 100;
  // Both exports agree on their first `agree` leaves, so a root at such a size is computed once.
  const agree = input.divergence ?? Math.min(counts.A, counts.B);
  const memo = new Map<string, Uint8Array>();
  const rootAt = (side: Side, size: number): Uint8Array | undefined => {
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

  // ── pool the signed heads ──
  const byKey = new Map<string, Head>();
  for (const c of input.checkpoints) {
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

  // ── forks ──
  const forks: ForkPair[] = [];
  const seen = new Set<string>();
  // The keys that signed both heads, sorted; a pair with none is no fork.
  const common = (x: Head, y: Head) => [...x.signers].filter((fp) => y.signers.has(fp)).sort();
  const addFork = (f: ForkPair) => {
    const key = `${f.smaller.size}:${f.smaller.rootHash}|${f.larger.size}:${f.larger.rootHash}`;
    if (seen.has(key)) return;
    seen.add(key);
    forks.push(f);
  };
  for (let i = 0; i < heads.length; i++) {
    for (let j = i + 1; j < heads.length && heads[j]!.size === heads[i]!.size; j++) {
      const x = heads[i]!;
      const y = heads[j]!;
      const signers = common(x, y);
      if (signers.length === 0) continue;
      const tree = y.backedBy[0] ?? x.backedBy[0];
      addFork({ kind: 'same-size', smaller: ref(x), larger: ref(y), signers, ...(tree ? { tree } : {}) });
    }
  }
  for (const c of heads) {
    for (const s of c.contradictedBy) {
      const d = heads.find((h) => h.size > c.size && h.backedBy.includes(s) && common(c, h).length > 0);
      if (!d) continue;
      addFork({
        kind: 'not-a-prefix',
        smaller: ref(c),
        larger: ref(d, s),
        signers: common(c, d),
        tree: s,
        prefixRoot: toHex(rootAt(s, c.size)!),
      });
    }
  }
  forks.sort(
    (p, q) =>
      p.smaller.size - q.smaller.size ||
      p.larger.size - q.larger.size ||
      (p.kind < q.kind ? -1 : p.kind > q.kind ? 1 : 0),
  );

  // ── truncation: an export missing entries its own signed heads commit to ──
  const truncation: Array<{ side: Side; held: number; committed: number }> = [];
  for (const s of SIDES) {
    const committed = Math.max(0, ...heads.filter((h) => h.files.some((f) => f.side === s)).map((h) => h.size));
    if (committed > counts[s]) truncation.push({ side: s, held: counts[s], committed });
  }

  // ── verdict ──
  const findings: Finding[] = [];
  let verdict: DiffVerdict;
  let rewritten: Judgement['rewritten'];
  let extension: Judgement['extension'];
  if (input.divergence === undefined && counts.A !== counts.B) {
    const longer: Side = counts.A > counts.B ? 'A' : 'B';
    const shorter: Side = longer === 'A' ? 'B' : 'A';
    const signedTo = Math.max(0, ...heads.filter((h) => h.backedBy.includes(longer)).map((h) => h.size));
    extension = { longer, from: counts[shorter], to: counts[longer], signedTo };
  }
  if (forks.length > 0) {
    verdict = 'FORKED';
    for (const f of forks.slice(0, maxForks)) {
      if (f.kind === 'same-size') {
        findings.push(
          finding(
            'CHECKPOINT_CONFLICT',
            { file: `${f.larger.side}:${f.larger.file}`, checkpointSize: f.larger.size },
            `two trusted checkpoints of size ${f.larger.size} sign different roots (${f.smaller.side}:${f.smaller.file} and ${f.larger.side}:${f.larger.file})`,
            { first: f.smaller.rootHash, second: f.larger.rootHash },
          ),
        );
      } else {
        findings.push(
          finding(
            'CHECKPOINTS_INCONSISTENT',
            { file: `${f.smaller.side}:${f.smaller.file}`, checkpointSize: f.smaller.size, range: [0, f.smaller.size] },
            `checkpoint ${f.smaller.side}:${f.smaller.file} (size ${f.smaller.size}) is not a prefix of ${f.larger.side}:${f.larger.file} (size ${f.larger.size}), whose first ${f.smaller.size} entries in export ${f.tree} have another root`,
            {
              expected: f.smaller.rootHash,
              actual: f.prefixRoot ?? null,
              largerSize: f.larger.size,
            },
          ),
        );
      }
    }
  } else if (input.divergence !== undefined) {
    verdict = 'REWRITTEN';
    const k = input.divergence;
    const signed = (s: Side) => heads.some((h) => h.size > k && h.backedBy.includes(s));
    const side: Side | 'unknown' = signed('A') && !signed('B') ? 'B' : signed('B') && !signed('A') ? 'A' : 'unknown';
    rewritten = { index: k, side };
  } else if (counts.A === counts.B) {
    verdict = 'IDENTICAL';
  } else {
    const shorter: Side = counts.A < counts.B ? 'A' : 'B';
    const t = truncation.find((x) => x.side === shorter);
    if (t) {
      verdict = 'TRUNCATED';
      findings.push(
        finding(
          'EXPORT_TRUNCATED',
          { range: [t.held, t.committed] },
          `export ${shorter} holds ${t.held} entries, a prefix of the other export, but its signed checkpoints commit to ${t.committed}: entries ${t.held}..${t.committed - 1} are missing`,
          { side: shorter, held: t.held, committed: t.committed },
        ),
      );
    } else verdict = shorter === 'A' ? 'B_EXTENDS_A' : 'A_EXTENDS_B';
  }

  // ── the pair of newest signed heads to prove consistent ──
  let consistencyPair: Judgement['consistencyPair'];
  if (verdict !== 'FORKED') {
    const newest = (s: Side) =>
      [...heads].reverse().find((h) => h.files.some((f) => f.side === s) && h.backedBy.length > 0);
    const ha = newest('A');
    const hb = newest('B');
    if (ha && hb && ha !== hb && ha.size !== hb.size) {
      const [older, newer] = ha.size < hb.size ? [ha, hb] : [hb, ha];
      const olderSide: Side = older === ha ? 'A' : 'B';
      const newerSide: Side = newer === ha ? 'A' : 'B';
      const tree = newer.backedBy.includes(newerSide) ? newerSide : newer.backedBy[0]!;
      if (older.backedBy.includes(tree))
        consistencyPair = { older: ref(older, olderSide), newer: ref(newer, newerSide), tree };
    }
  }

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
    forks: forks.slice(0, maxForks),
    forksOmitted: Math.max(0, forks.length - maxForks),
    ...(rewritten ? { rewritten } : {}),
    ...(extension ? { extension } : {}),
    truncation,
    ...(consistencyPair ? { consistencyPair } : {}),
    findings,
  };
}
