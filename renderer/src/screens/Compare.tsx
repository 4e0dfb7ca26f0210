/**
 * Compare two exports of one log: the divergence verdict first, then where the exports part
 * (first divergent entry, the entries around it side by side, the aligned entry diff), and
 * for a fork the two signed checkpoints that cannot both be true, side by side.
 *
 * In a case, the comparison is a run of the case: the case's trust store decides, the run is
 * journaled, a proof of misbehaviour (or of consistency) is kept as evidence, and the signed
 * divergence attestation can be made and recorded. Earlier comparisons of the case open again.
 */
import { type FormEvent, useState } from 'react';
import type { CompareView, IpcError } from '../../../shared/protocol/ipc.js';
import { call } from '../api.js';
import { asIpcError, Empty, ErrorBox, Field, PassphraseDialog } from '../components/common.js';
import { useWorkspace } from '../state.js';
import { formatTime } from '../time.js';
import { CompareProgressPanel } from './compare/CompareProgress.js';
import { CompareSetupPanel } from './compare/CompareSetupPanel.js';
import { CompareProofs, CompareVerdictPanel } from './compare/CompareSummary.js';
import { DiffDiagnosis } from './compare/DiffDiagnosis.js';
import { DivergenceSection } from './compare/DivergenceSection.js';
import { EarlierCompares } from './compare/EarlierCompares.js';
import { CompareFindings, EntryDiffSection } from './compare/EntryDiffSection.js';
import { ForkSection } from './compare/ForkSection.js';
import { useCompareSetup } from './compare/useCompareSetup.js';

export function CompareScreen() {
  const s = useCompareSetup();
  return (
    <div className="screen">
      <header className="screen-head">
        <h1>Compare two exports</h1>
        <p className="lede">
          Is one export a consistent extension of the other, or was history truncated, rewritten or forked? Both are
          verified first; then their Merkle trees are compared.
        </p>
      </header>
      {s.bundles.length < 2 ? (
        <Empty title="Two bundles needed">
          <p>Import two exports of the same log first.</p>
        </Empty>
      ) : (
        <CompareSetupPanel s={s} />
      )}
      {s.job ? <CompareResult job={s.job} /> : null}
      <EarlierCompares />
    </div>
  );
}

function CompareResult({ job }: { job: CompareView }) {
  if (job.state === 'running') return <CompareProgressPanel job={job} />;
  if (job.state === 'cancelled') return <section className="panel notice">The comparison was cancelled.</section>;
  if (job.state === 'failed')
    return (
      <ErrorBox
        error={job.error ?? { code: 'INTERNAL', message: 'no result' }}
        title="The exports could not be compared"
      />
    );
  // Finished, the result on its way: not an error.
  if (!job.run)
    return (
      <section className="panel" role="status" data-testid="compare-finishing">
        Finishing…
      </section>
    );
  const r = job.run.result;
  return (
    <div className="result" data-testid="compare-result" data-verdict={r.verdict}>
      <CompareVerdictPanel job={job} r={r} />
      <CompareProofs job={job} />
      <SignAttestation job={job} />
      <DiffDiagnosis diagnosis={r.diagnosis} />
      <ForkSection job={job} r={r} />
      <DivergenceSection r={r} />
      <EntryDiffSection d={r.entryDiff} />
      <CompareFindings findings={r.findings} />
    </div>
  );
}

/** The signed divergence attestation (`proofdesk diff --sign-key --attestation`), recorded in the case when in one. */
function SignAttestation({ job }: { job: CompareView }) {
  const { w } = useWorkspace();
  const [keyPath, setKeyPath] = useState('');
  const [out, setOut] = useState('');
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<{ path: string; caseReportId?: number }>();
  const [err, setErr] = useState<IpcError>();
  const sign = async (passphrase: string | undefined) => {
    setAsking(false);
    setErr(undefined);
    try {
      setDone(
        await call('compare.sign', {
          jobId: job.jobId,
          keyPath: keyPath.trim(),
          out: out.trim(),
          ...(passphrase !== undefined ? { passphrase } : {}),
        }),
      );
    } catch (e) {
      setErr(asIpcError(e));
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsking(true);
  };
  return (
    <section className="panel" aria-labelledby="sign-diff-h">
      <h2 id="sign-diff-h">Signed divergence attestation</h2>
      {done ? (
        <p className="notice-ok small" role="status" data-testid="divergence-signed">
          Signed: <span className="mono">{done.path}</span>
          {done.caseReportId !== undefined ? ` · recorded as report #${done.caseReportId} of the case` : ''}.
        </p>
      ) : (
        <form onSubmit={submit} className="inline-form wrap">
          <Field label="Examiner key file">
            <input
              name="diff-examiner-key"
              value={keyPath}
              onChange={(e) => setKeyPath(e.target.value)}
              placeholder="/keys/examiner.key"
              spellCheck={false}
            />
          </Field>
          <Field label="Attestation file to write" hint="a new file (DSSE, in-toto); never overwritten">
            <input
              name="diff-attestation"
              value={out}
              onChange={(e) => setOut(e.target.value)}
              placeholder={`/cases/divergence-${formatTime(job.startedAt, w.zone).slice(0, 10)}.dsse.json`}
              spellCheck={false}
            />
          </Field>
          <button
            type="submit"
            className="primary"
            disabled={!keyPath.trim() || !out.trim()}
            data-testid="sign-divergence"
          >
            Sign attestation…
          </button>
        </form>
      )}
      <ErrorBox error={err} title="Attestation not signed" />
      {asking ? <PassphraseDialog onSubmit={(p) => void sign(p)} onCancel={() => setAsking(false)} /> : null}
    </section>
  );
}
