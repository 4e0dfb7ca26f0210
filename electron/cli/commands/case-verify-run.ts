/**
 * `proofdesk verify <bundle> --case <dir>`: the verification as a run of a case. Returns a
 * function with verifyBundle's shape so that the verify command calls one or the other. The
 * bundle is imported into the case (or found there by digest), the trust material is the
 * case's trust store for the bundle's origin plus the --trust keys, and the run, its findings
 * and the entry index are recorded (electron/services/case-run.ts).
 */
import { resolve } from 'node:path';
import { defaultActor, openCase } from '../../case/case.js';
import type { JournalHead } from '../../case/journal.js';
import { recordReport } from '../../case/reports.js';
import type { TrustArg } from '../../keys/trust-files.js';
import { type CaseVerifyOutput, verifyInCase } from '../../services/case-run.js';
import type { VerifyOptions } from '../../verify/bundle/verify.js';
import type { CliIO } from '../io.js';

export interface CaseRunRef {
  readonly dir: string;
  readonly caseId: string;
  readonly runId: number;
  readonly evidenceId: number;
}

export function verifyInCaseCli(
  io: CliIO,
  caseDir: string,
  trustArgs: readonly TrustArg[],
): (o: VerifyOptions) => Promise<CaseVerifyOutput & { readonly caseRun: CaseRunRef }> {
  return async (o) => {
    const dir = resolve(io.cwd, caseDir);
    const cf = openCase(dir, { actor: defaultActor(io.env) });
    try {
      const { trusted: _ignored, ...engine } = o;
      const out = await verifyInCase(cf, { ...engine, extraTrust: trustArgs, cwd: io.cwd });
      io.err(
        `case ${cf.caseId}: ${out.alreadyInCase ? 'bundle already in the case as' : 'bundle imported as'} evidence #${out.evidence.id}; run #${out.runId} recorded` +
          `${out.searchIndex ? `; ${out.searchIndex.set.entries} entries ${out.searchIndex.reused ? 'already indexed' : 'indexed'}` : ''}; journal head ${cf.head().seq}\n`,
      );
      return { ...out, caseRun: { dir, caseId: cf.caseId, runId: out.runId, evidenceId: out.evidence.id } };
    } finally {
      cf.close();
    }
  };
}

/**
 * Records the report signed for a case run (`verify --case … --report …`) in that case: its
 * files are hashed as written, the head its attestation carries is checked to be a row of this
 * journal, and report.signed is journaled.
 */
export function recordCaseReportCli(
  io: CliIO,
  ref: CaseRunRef,
  files: { readonly pdf: string; readonly signature: string; readonly attestation: string },
  anchoredHead: JournalHead,
  examinerFingerprint?: string,
): void {
  const cf = openCase(ref.dir, { actor: defaultActor(io.env) });
  try {
    const r = recordReport(cf, {
      runId: ref.runId,
      files: [
        { role: 'attestation', path: files.attestation },
        { role: 'pdf', path: files.pdf },
        { role: 'signature', path: files.signature },
      ],
      anchoredHead,
      ...(examinerFingerprint !== undefined ? { examinerFingerprint } : {}),
    });
    io.err(
      `case ${cf.caseId}: report recorded as report #${r.id} of run #${ref.runId}, anchoring journal row ${anchoredHead.seq}; journal head ${cf.head().seq}\n`,
    );
  } finally {
    cf.close();
  }
}
