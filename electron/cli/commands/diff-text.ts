/**
 * The sections of `proofdesk diff`'s human-readable report (formatDiff in diff.ts), each
 * appending its lines to the report in the order they are printed. A section with nothing to
 * say adds nothing.
 */
import type { EntryDiff } from '../../../shared/diff/entries.js';
import type { DiffResult, DiffStats, Side } from '../../../shared/diff/model.js';
import { CAUSE_LABELS } from '../../../shared/present/labels.js';
import { formatLocation } from '../format.js';

/** Items listed of a long list; the rest are counted (the JSON output holds them all). */
const LISTED = 20;
const FORKS_LISTED = 10;

export const n = (x: number) => x.toLocaleString('en-US');
export const short = (hex: string) => `${hex.slice(0, 16)}…`;

/** The causes found, numbered. */
export function pushDiagnosis(L: string[], r: DiffResult): void {
  if (!r.diagnosis.length) return;
  L.push('  What differs');
  for (const [k, c] of r.diagnosis.slice(0, LISTED).entries())
    L.push(`    ${k + 1}. ${CAUSE_LABELS[c.cause]}  [${c.cause}]`, `       ${c.text}`);
  if (r.diagnosis.length > LISTED) L.push(`    … ${r.diagnosis.length - LISTED} more (use --json)`);
  L.push('');
}

/** Each export, the prefix they share, and how one extends, truncates or rewrites the other. */
export function pushRelation(L: string[], r: DiffResult): void {
  for (const [s, x] of [
    ['A', r.a],
    ['B', r.b],
  ] as const) {
    L.push(`  ${s}  ${x.name}: ${n(x.entryCount)} entries, verification ${x.verification.verdict}`);
  }
  L.push(`  common prefix  ${n(r.commonPrefix)} entries (${n(r.search.comparisons)} subtree hashes compared)`);
  if (r.extension)
    L.push(
      `  extension      ${r.extension.longer} holds entries ${n(r.extension.from)}..${n(r.extension.to - 1)}; signed checkpoints cover up to ${n(r.extension.signedTo)}`,
    );
  for (const t of r.truncation)
    L.push(`  truncated      ${t.side} holds ${n(t.held)} entries; its checkpoints commit to ${n(t.committed)}`);
  if (r.rewritten)
    L.push(
      `  rewritten      from entry ${n(r.rewritten.index)}; ${r.rewritten.side === 'unknown' ? 'no signed checkpoint covers it, so neither export can be shown faithful' : `export ${r.rewritten.side} departs from the signed history`}`,
    );
}

/** The entries of both exports around the first divergence. */
export function pushDivergence(L: string[], r: DiffResult): void {
  if (!r.divergence) return;
  L.push('', `  first divergence: entry ${n(r.divergence.index)}`);
  for (const [s, views] of [
    ['A', r.divergence.context.a],
    ['B', r.divergence.context.b],
  ] as const) {
    for (const v of views)
      L.push(
        `    ${s} ${String(v.index).padStart(8)} @${v.offset}  ${v.text !== undefined ? v.text.slice(0, 160) : `(${v.length} bytes, not shown)`}`,
      );
  }
}

function relation(label: string, xs: readonly Side[]): string {
  return xs.length ? `${label} ${xs.join('+')}` : '';
}

/** Every signed checkpoint, with the exports that back it, contradict it, or end before it. */
export function pushCheckpoints(L: string[], r: DiffResult): void {
  if (!r.checkpoints.length) return;
  L.push('', '  signed checkpoints');
  for (const c of r.checkpoints) {
    const what = [
      relation('backed by', c.backedBy),
      relation('contradicted by', c.contradictedBy),
      relation('beyond', c.beyond),
    ]
      .filter(Boolean)
      .join('; ');
    L.push(
      `    size ${String(c.size).padStart(10)}  ${short(c.rootHash)}  ${c.files.map((f) => `${f.side}:${f.file}`).join(', ')}  (${what})`,
    );
  }
}

export function pushForks(L: string[], r: DiffResult): void {
  if (!r.forks.length) return;
  L.push('', `  forks (${r.forks.length + r.forksOmitted})`);
  for (const f of r.forks.slice(0, FORKS_LISTED))
    L.push(
      `    ${f.kind}: ${f.smaller.side}:${f.smaller.file} (size ${n(f.smaller.size)}) vs ${f.larger.side}:${f.larger.file} (size ${n(f.larger.size)})`,
    );
}

/** The consistency proof and the proof of misbehaviour, when the comparison produced them. */
export function pushProofs(L: string[], r: DiffResult): void {
  if (r.consistency)
    L.push(
      '',
      `  consistency proof ${n(r.consistency.older.size)} → ${n(r.consistency.newer.size)} (from export ${r.consistency.tree}, ${r.consistency.proof.length} hashes)`,
    );
  if (r.misbehaviour)
    L.push(
      '',
      `  proof of misbehaviour: sizes ${n(r.misbehaviour.fork.smaller.size)}/${n(r.misbehaviour.fork.larger.size)}, sha256 ${short(r.misbehaviour.sha256)}${r.misbehaviour.leafIndex !== undefined ? `, differing leaf ${n(r.misbehaviour.leafIndex)}` : ''}`,
    );
}

/** The entry diff's window, its counts, and its first operations. */
export function pushEntryDiff(L: string[], d: EntryDiff): void {
  const c = d.counts;
  L.push(
    '',
    `  entry diff (aligned by ${d.alignBy}; A ${n(d.a.from)}..${n(d.a.to - 1)}, B ${n(d.b.from)}..${n(d.b.to - 1)})`,
  );
  L.push(
    `    changed ${n(c.changed)}, removed ${n(c.removed)}, inserted ${n(c.inserted)}, relinked ${n(c.relinked)}, equal ${n(c.equal)}${c.notCompared ? `, not compared ${n(c.notCompared)} (window ends)` : ''}`,
  );
  for (const op of d.ops.slice(0, LISTED)) {
    if (op.op === 'removed')
      L.push(`    - A ${op.a.index}${op.a.key !== undefined ? ` (key ${op.a.key})` : ''} removed`);
    else if (op.op === 'inserted')
      L.push(`    + B ${op.b.index}${op.b.key !== undefined ? ` (key ${op.b.key})` : ''} inserted`);
    else
      L.push(
        `    ~ A ${op.a.index} / B ${op.b.index} changed: ${op.representationOnly ? '(same values, different bytes)' : op.fields.join(', ')}${op.fieldsOmitted ? ` … +${op.fieldsOmitted}` : ''}${op.fieldsDepthLimit !== undefined ? ` (compared to depth ${op.fieldsDepthLimit}; the values differ deeper inside)` : ''}`,
      );
  }
  if (d.ops.length > LISTED || d.opsOmitted)
    L.push(`    … ${n(Math.max(0, d.ops.length - LISTED) + d.opsOmitted)} more (use --json)`);
}

/** Findings above info, the first of them. */
export function pushFindings(L: string[], r: DiffResult): void {
  const important = r.findings.filter((f) => f.severity !== 'info');
  if (!important.length) return;
  L.push('', '  findings');
  for (const f of important.slice(0, LISTED))
    L.push(`    ${f.severity.toUpperCase().padEnd(8)} ${f.code}  ${formatLocation(f)}`, `             ${f.message}`);
}

export function pushStats(L: string[], s: DiffStats): void {
  L.push(
    '',
    `  ${(s.elapsedMs / 1000).toFixed(2)} s (verify A ${(s.verifyMs.a / 1000).toFixed(2)} s, B ${(s.verifyMs.b / 1000).toFixed(2)} s, compare ${(s.compareMs / 1000).toFixed(3)} s; ${n(s.blocksRead)} blocks read)`,
  );
}
