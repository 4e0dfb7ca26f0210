/** The parts of "Sign a report": the run, the key and folder fields, the signed report's facts, the preview. */
import type { ReportPreview, SignedReportView } from '../../../../shared/protocol/ipc.js';
import { Field, Hash } from '../../components/common.js';
import { ReportBlocks } from '../../components/ReportBlocks.js';
import { type RunItem, useWorkspace } from '../../state.js';
import { formatTime } from '../../time.js';
import { OpenPdf } from './OpenPdf.js';
import type { SignReport } from './useSignReport.js';

export function RunSelect({
  runs,
  value,
  onChange,
}: {
  runs: readonly RunItem[];
  value: string;
  onChange: (key: string) => void;
}) {
  const { w } = useWorkspace();
  return (
    <label className="field">
      <span className="field-label">Run</span>
      <select name="report-run" value={value} onChange={(e) => onChange(e.target.value)}>
        {runs.map((r) => (
          <option key={r.key} value={r.key}>
            {r.caseRunId !== undefined ? `#${r.caseRunId} ` : ''}
            {r.bundleName} — {r.verdict} — {formatTime(r.startedAt, w.zone)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SignFields({ s }: { s: SignReport }) {
  return (
    <>
      <Field label="Examiner key file" hint="made by proofdesk keygen (.key)">
        <input
          name="examiner-key"
          value={s.keyPath}
          onChange={(e) => s.setKeyPath(e.target.value)}
          placeholder="/keys/examiner.key"
          spellCheck={false}
        />
      </Field>
      <Field
        label="Folder to write the report into"
        hint="report.pdf, report.pdf.sig and attestation.dsse.json; existing files are never replaced"
      >
        <input
          name="report-dir"
          value={s.outDir}
          onChange={(e) => s.setOutDir(e.target.value)}
          placeholder="/cases/acme-q4/reports/run-1"
          spellCheck={false}
        />
      </Field>
    </>
  );
}

export function SignedReport({ signed }: { signed: SignedReportView }) {
  return (
    <div className="panel notice-ok" role="status" data-testid="signed-report">
      <b>Report signed.</b>
      <dl className="facts">
        <dt>Report ID</dt>
        <dd>
          <Hash value={signed.reportId} />
        </dd>
        <dt>Examiner key</dt>
        <dd>
          <Hash value={signed.examinerFingerprint} />
        </dd>
        <dt>PDF</dt>
        <dd className="mono small">
          {signed.pdf} <OpenPdf path={signed.pdf} />
        </dd>
        <dt>Attestation</dt>
        <dd className="mono small">{signed.attestation}</dd>
        <dt>Signature of the PDF</dt>
        <dd className="mono small">{signed.signature}</dd>
        {signed.caseReportId !== undefined ? (
          <>
            <dt>Case</dt>
            <dd>recorded as report #{signed.caseReportId}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

export function PreviewPane({ preview }: { preview: ReportPreview | undefined }) {
  return (
    <div className="preview-pane">
      {preview ? (
        <ReportBlocks title={`Preview: ${preview.title}`} blocks={preview.blocks} />
      ) : (
        <p className="muted">Preparing the preview…</p>
      )}
    </div>
  );
}
