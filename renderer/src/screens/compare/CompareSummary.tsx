/** The comparison's verdict and headline, what was compared, and the proofs kept as evidence of the case. */
import type { CompareView, DiffResult, DiffVerdict } from '../../../../shared/protocol/ipc.js';
import { When } from '../../components/common.js';
import { num } from '../../format.js';

const VERDICT: Record<DiffVerdict, { tone: 'pass' | 'fail' | 'inconclusive'; title: string }> = {
  IDENTICAL: { tone: 'pass', title: 'Identical' },
  B_EXTENDS_A: { tone: 'pass', title: 'B extends A consistently' },
  A_EXTENDS_B: { tone: 'pass', title: 'A extends B consistently' },
  TRUNCATED: { tone: 'fail', title: 'Truncated' },
  REWRITTEN: { tone: 'fail', title: 'The entries differ' },
  FORKED: { tone: 'fail', title: 'Forked: the log signed two histories' },
};

/** The comparison's own headline: the same sentence `proofdesk diff` prints. */
function explain(r: DiffResult): string {
  return r.headline;
}

export function CompareVerdictPanel({ job, r }: { job: CompareView; r: DiffResult }) {
  const v = VERDICT[r.verdict];
  return (
    <section className={`panel verdict-panel verdict-bg-${v.tone}`}>
      <span className={`verdict verdict-large verdict-${v.tone}`}>
        <b>{r.verdict.replace(/_/g, ' ')}</b>
        <span>{v.title}</span>
      </span>
      <div>
        <p className="verdict-sentence">{explain(r)}</p>
        <p className="muted small">
          A: {r.a.name} ({num(r.a.entryCount)} entries, {r.a.verification.verdict}) · B: {r.b.name} (
          {num(r.b.entryCount)} entries, {r.b.verification.verdict}) · origin {r.origin}
        </p>
        <p className="muted small">
          {job.caseRunId !== undefined ? `Run #${job.caseRunId} of the case · ` : ''}compared <When t={job.startedAt} />
        </p>
      </div>
    </section>
  );
}

export function CompareProofs({ job }: { job: CompareView }) {
  if (!job.proofs?.length) return null;
  return (
    <p className="small notice-ok" data-testid="compare-proofs">
      Kept as evidence of the case:{' '}
      {job.proofs.map((p) => (
        <span key={p.evidenceId} className="tag">
          #{p.evidenceId} {p.label}
        </span>
      ))}
    </p>
  );
}
