/**
 * The result of checking a report: whether it is authentic, signed by another key (never read
 * as an alteration) or altered, shown beside and as prominently as the verdict it attests; then
 * each check and the findings.
 */
import type { ReportCheckView } from '../../../../shared/protocol/ipc.js';
import type { Verdict } from '../../../../shared/verdict/result.js';
import { Hash, VerdictBadge, When } from '../../components/common.js';
import { baseName, shortHash } from '../../format.js';
import { OpenPdf } from './OpenPdf.js';

const CHECK_LABELS: Readonly<Record<string, string>> = {
  'detached-signature': 'The PDF’s detached signature (report.pdf.sig) is by the examiner key',
  attachment: 'The PDF carries its signed attestation',
  envelope: 'The attestation is a well-formed DSSE envelope',
  'dsse-signature': 'The attestation is signed by the examiner key',
  statement: 'The signed statement is well-formed and names this key',
  render: 'The PDF is exactly what the attestation renders to',
  rerun: 'Verifying the evidence again gives the attested result',
  'case-anchor': 'The case journal still holds the row the signature anchors',
};

const ATTESTED_TEXT: Record<Verdict, string> = {
  PASS: 'The evidence verified',
  FAIL: 'Problems were found in the evidence',
  INCONCLUSIVE: 'The evidence could not be fully verified',
};

const AUTH: Record<
  ReportCheckView['authenticity'],
  { label: string; tone: 'ok' | 'other' | 'bad' | 'unknown'; text: string }
> = {
  authentic: {
    label: 'Authentic',
    tone: 'ok',
    text: 'Signed by this examiner key and unchanged since it was signed.',
  },
  'other-key': {
    label: 'Signed by another key',
    tone: 'other',
    text: 'The key you gave did not sign this report. Nothing shows it was changed: check it with the key it names.',
  },
  altered: {
    label: 'Altered',
    tone: 'bad',
    text: 'A signature of this key no longer matches: the report was changed after it was signed.',
  },
  undetermined: {
    label: 'Not determined',
    tone: 'unknown',
    text: 'No readable signed attestation: the report could not be checked.',
  },
};

export function CheckResult({ res }: { res: ReportCheckView }) {
  return (
    <div className="result" data-testid="report-check" data-verdict={res.verdict} data-authenticity={res.authenticity}>
      <div className="check-pair">
        <AuthPanel res={res} />
        <AttestedPanel res={res} />
      </div>
      <ChecksTable checks={res.checks} />
      {res.findings.length ? <CheckFindings findings={res.findings} /> : null}
    </div>
  );
}

/** The signature's side: authentic, another key's, altered or not determined, and whose key. */
function AuthPanel({ res }: { res: ReportCheckView }) {
  const a = AUTH[res.authenticity];
  return (
    <section className={`panel auth-panel auth-${a.tone}`} data-testid="report-authenticity">
      <span className="field-label">Signature</span>
      <span className={`auth-badge auth-${a.tone}`}>{a.label}</span>
      <p className="small">{a.text}</p>
      {res.signer ? (
        <p className="small" data-testid="report-signer">
          The report names examiner key{res.signer.fingerprints.length === 1 ? '' : 's'}{' '}
          {res.signer.fingerprints.map((f) => (
            <Hash key={f} value={f} />
          ))}
          ; you checked it against <Hash value={res.examinerKey} />.
        </p>
      ) : (
        <p className="muted small">
          Examiner key <Hash value={res.examinerKey} /> · {baseName(res.input)}
        </p>
      )}
    </section>
  );
}

/** The attested side: the verdict the report attests (once its signature is verified), and a rerun's. */
function AttestedPanel({ res }: { res: ReportCheckView }) {
  return (
    <section
      className={`panel attested-panel${res.attested ? ` verdict-bg-${res.attested.verdict.toLowerCase()}` : ''}`}
      data-testid="report-attested"
      data-attested={res.attested?.verdict}
    >
      <span className="field-label">What the report attests</span>
      {res.attested ? (
        <AttestedVerdict attested={res.attested} />
      ) : (
        <p className="muted small">
          {res.authenticity === 'other-key'
            ? 'Not shown: what the report says counts only once its signature is verified with the key it names.'
            : 'Unknown: the attestation could not be verified.'}
        </p>
      )}
      {res.attested && res.authenticity === 'altered' ? (
        <p className="small warn-text">
          This is what the signed attestation says; the report around it was changed after signing and cannot be relied
          on.
        </p>
      ) : null}
      {res.rerun ? <RerunLine rerun={res.rerun} /> : null}
      {res.pdf ? <OpenPdf path={res.pdf} /> : null}
    </section>
  );
}

function AttestedVerdict({ attested }: { attested: NonNullable<ReportCheckView['attested']> }) {
  return (
    <>
      <VerdictBadge verdict={attested.verdict} large />
      <p className="small">
        <b>{ATTESTED_TEXT[attested.verdict]}</b>: {attested.bundle} ({attested.origin},{' '}
        {attested.entryCount.toLocaleString('en-US')} entries), verified by {attested.examiner} at{' '}
        <When t={attested.timeVerified} />
        {attested.caseReference ? `, case ${attested.caseReference}` : ''}.
      </p>
      {attested.case ? (
        <p className="muted small">
          Signed in case {shortHash(attested.case.caseId, 8)}
          {attested.case.runId !== undefined ? `, run #${attested.case.runId}` : ''}, anchoring journal row{' '}
          {attested.case.journalHead.seq}.
        </p>
      ) : null}
    </>
  );
}

function RerunLine({ rerun }: { rerun: NonNullable<ReportCheckView['rerun']> }) {
  return (
    <p className="small" data-testid="report-rerun" data-verdict={rerun.verdict}>
      Verified again: <VerdictBadge verdict={rerun.verdict} />{' '}
      {rerun.differences === 0
        ? 'the same result as attested.'
        : `${rerun.differences} difference${rerun.differences === 1 ? '' : 's'} from the attested result.`}
    </p>
  );
}

function ChecksTable({ checks }: { checks: ReportCheckView['checks'] }) {
  return (
    <table className="table small">
      <tbody>
        {checks.map((c) => (
          <tr key={c.id} data-check={c.id} data-status={c.status}>
            <td className="narrow">
              <span className={`status status-${c.status}`}>{c.status}</span>
            </td>
            <td>{CHECK_LABELS[c.id] ?? c.id}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CheckFindings({ findings }: { findings: ReportCheckView['findings'] }) {
  return (
    <ul className="findings compact">
      {findings.map((f, k) => (
        <li key={k} className={`finding sev-${f.severity}`} data-code={f.code}>
          <code className="code">{f.code}</code> {f.message}
        </li>
      ))}
    </ul>
  );
}
