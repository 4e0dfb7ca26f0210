/** A fork: the two signed checkpoints that cannot both be true, side by side, and where the proof of it is. */
import type { CheckpointRef, CompareView, DiffResult } from '../../../../shared/protocol/ipc.js';
import { Hash } from '../../components/common.js';
import { num } from '../../format.js';

type Fork = DiffResult['forks'][number];

export function ForkSection({ job, r }: { job: CompareView; r: DiffResult }) {
  if (!r.forks.length) return null;
  return (
    <section className="panel" data-testid="fork">
      <h2>The two signed checkpoints that contradict each other</h2>
      {r.forks.map((f, k) => (f.kind === 'same-size' ? <SameSizeFork key={k} f={f} /> : <PrefixFork key={k} f={f} />))}
      {r.misbehaviour ? (
        <p className="muted small">
          {job.proofs?.length
            ? 'The proof of misbehaviour is kept as evidence of the case (checkable with proofdesk check-proof).'
            : 'A proof of misbehaviour is in the result (checkable with proofdesk check-proof); compare in a case to keep it as evidence.'}
        </p>
      ) : null}
    </section>
  );
}

/** Same size: show export A's on the left, B's on the right. */
function SameSizeFork({ f }: { f: Fork }) {
  return (
    <div className="two-col fork">
      {[f.smaller, f.larger]
        .sort((x, y) => (x.side < y.side ? -1 : 1))
        .map((c, j) => (
          <CheckpointCard
            key={j}
            c={c}
            label={`checkpoint of size ${num(c.size)}`}
            note={j === 1 ? 'Same size as the other, different root: both cannot be true.' : undefined}
          />
        ))}
    </div>
  );
}

function PrefixFork({ f }: { f: Fork }) {
  return (
    <div className="two-col fork">
      <CheckpointCard c={f.smaller} label="smaller checkpoint" />
      <CheckpointCard
        c={f.larger}
        label="larger checkpoint"
        note={`Its first ${num(f.smaller.size)} entries have root ${f.prefixRoot?.slice(0, 16) ?? '?'}…, not the smaller checkpoint's root: the larger tree does not extend the smaller one.`}
      />
    </div>
  );
}

function CheckpointCard({ c, label, note }: { c: CheckpointRef; label: string; note?: string }) {
  return (
    <div className="card checkpoint-card" data-side={c.side}>
      <header>
        <h3>
          Export {c.side}: {label}
        </h3>
      </header>
      <dl className="facts">
        <dt>File</dt>
        <dd>{c.file}</dd>
        <dt>Tree size</dt>
        <dd>{num(c.size)}</dd>
        <dt>Signed root</dt>
        <dd>
          <Hash value={c.rootHash} full />
        </dd>
      </dl>
      {note ? <p className="small">{note}</p> : null}
    </div>
  );
}
