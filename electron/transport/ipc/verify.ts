/** verify.*: start, watch and cancel runs of the one verification orchestrator. */
import { statSync } from 'node:fs';
import type { RunView } from '../../../shared/protocol/ipc.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { folderDigest } from '../../services/inspect.js';
import { resolveKeys, trustArgsOfRefs } from '../../services/keys.js';
import type { RunRecord } from '../../services/runs.js';
import { type Backend, bundlePath } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function verifyHandlers(
  b: Backend,
): AreaHandlers<'verify.start' | 'verify.cancel' | 'verify.get' | 'verify.list'> {
  return {
    'verify.start': (a) => {
      const workers = a.workers ?? b.workers;
      const keyFiles = a.keys.flatMap((k) => ('path' in k ? [k.path] : []));
      if (a.caseId !== undefined || 'evidenceId' in a.bundle) {
        // A run of the case: the case's trust store for the bundle's origin, plus keys given
        // here; the case store imports the bundle (or finds it by digest) and records the run.
        // The whole run (import, verification, recording, search index) happens in a worker
        // with its own connection to the case; only progress and the result come back here.
        const caseRef = b.cases.ref(a.caseId);
        const caseId = b.cases.require(a.caseId).caseId;
        const bundle = bundlePath(b, a.bundle);
        // Evidence of the case is named by id, so the store does not present it again.
        const ref = 'evidenceId' in a.bundle ? `#${Number(a.bundle.evidenceId)}` : bundle;
        const extraTrust = trustArgsOfRefs(a.keys);
        const runId = b.runs.start({
          bundle,
          trusted: [],
          keyFiles,
          caseId,
          ...('evidenceId' in a.bundle ? { evidenceId: Number(a.bundle.evidenceId) } : {}),
          runner: async (signal, onProgress) => {
            try {
              const out = await b.tasks.run(
                'case.verify',
                {
                  ...caseRef,
                  bundle: ref,
                  extraTrust,
                  cwd: process.cwd(),
                  ...(workers !== undefined ? { workers } : {}),
                },
                { signal, onProgress },
              );
              return {
                run: out.run,
                ...(out.index ? { index: out.index } : {}),
                ...(out.archive ? { archive: out.archive } : {}),
                caseRunId: out.runId,
                evidenceId: out.evidenceId,
              };
            } finally {
              // Recorded as finished, failed or cancelled: the case changed either way.
              b.emit({ type: 'case.changed', caseId });
            }
          },
        });
        return { runId };
      }
      if (a.keys.length === 0)
        throw new ProofdeskError('USAGE', 'choose at least one trusted key: a bundle cannot verify itself');
      const trusted = resolveKeys(a.keys);
      const expect = a.expectDigest;
      const runId = b.runs.start({
        bundle: a.bundle.path,
        trusted,
        keyFiles,
        ...(workers !== undefined ? { workers } : {}),
        // Outside a case nothing keeps the bundle from changing after it was imported: the digest
        // of what this run read is compared with the one the examiner was shown.
        ...(expect !== undefined
          ? {
              onFinished: (rec: RunRecord) => {
                const now = digestNow(rec);
                if (now !== undefined && now !== expect)
                  rec.changedSinceImport = { importedDigest: expect, digestNow: now };
              },
            }
          : {}),
      });
      return { runId };
    },
    'verify.cancel': (a) => ({ cancelled: b.runs.cancel(a.runId) }),
    'verify.get': (a) => withIndexState(b, b.runs.view(a.runId)),
    'verify.list': () => b.runs.list().map((v) => withIndexState(b, v)),
  };
}

/** The evidence digest of what a finished run read: the archive's, or the folder's tree digest. */
function digestNow(rec: RunRecord): string | undefined {
  if (rec.state !== 'done' || !rec.run) return undefined;
  if (rec.archive) return rec.archive.sha256;
  try {
    return statSync(rec.bundle).isDirectory()
      ? folderDigest(rec.bundle, rec.run.result.bundle.files).digest
      : undefined;
  } catch {
    // The folder is gone or unreadable now: that is a change too.
    return 'unreadable';
  }
}

/** A run of the open case whose bundle is in the case's search index (search with filters, counts). */
function withIndexState(b: Backend, v: RunView): RunView {
  if (v.evidenceId === undefined || v.caseId === undefined || b.cases.open?.caseId !== v.caseId) return v;
  return { ...v, indexed: b.cases.indexed(v.evidenceId) };
}
