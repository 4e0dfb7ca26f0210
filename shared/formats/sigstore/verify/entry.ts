/**
 * One transparency-log entry of a Sigstore bundle, judged in the order of shared/formats/sigstore/verify.ts:
 * its log, its signed entry timestamp, its body, then its checkpoint and inclusion proof.
 */
import { bytesEqual, toHex, utf8 } from '../../../encoding/bytes.js';
import { canonicalJson } from '../../../encoding/jcs.js';
import { counts, judgeKeyWindow, type KeyWindow } from '../../../keys/validity.js';
import { finding } from '../../../verdict/findings.js';
import type { EntryStatus } from '../../../verdict/format-result.js';
import { checkBody } from '../body.js';
import type { SigstoreBundle, TlogEntry } from '../bundle.js';
import type { TlogInstance } from '../trusted-root.js';
import { judgeEntryCheckpoint, judgeInclusion } from './inclusion.js';
import { entryLocation, type LoggedEntry, type SigstoreRun } from './run.js';
import { verifyWith } from './signature.js';

/** Judges entry `i` and appends its status (one per entry, in order) and findings to the run. */
export function verifyEntry(
  run: SigstoreRun,
  tlogs: readonly TlogInstance[],
  bundle: SigstoreBundle,
  e: TlogEntry,
  i: number,
): void {
  const before = run.findings.length;
  const tlog = tlogs.find((t) => bytesEqual(t.logId, e.logId));
  if (!tlog) {
    run.findings.push(
      finding(
        'KEY_UNTRUSTED',
        entryLocation(run.ctx.name, i, `${e.path}.logId.keyId`),
        'the entry names a transparency log that no trusted root lists',
        { logId: toHex(e.logId) },
      ),
    );
    run.statuses.push({ status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' });
    return;
  }
  const logged: LoggedEntry = { entry: e, index: i, tlog, window: keyWindowOf(tlog) };
  const time = e.signedEntryTimestamp ? signedEntryTime(run, logged, e.signedEntryTimestamp) : undefined;
  compareBody(run, bundle, e, i);
  const p = e.inclusionProof;
  if (!p) {
    run.statuses.push(unsealed(run, e, i, before));
    return;
  }
  const judged = judgeEntryCheckpoint(run, logged, p, time);
  run.statuses.push(judgeInclusion(run, logged, p, judged, before));
}

function keyWindowOf(tlog: TlogInstance): KeyWindow {
  return {
    ...(tlog.validFrom !== undefined ? { validFrom: tlog.validFrom } : {}),
    ...(tlog.validUntil !== undefined ? { validUntil: tlog.validUntil } : {}),
  };
}

/**
 * Checks the signed entry timestamp (Rekor v1) under the log key and returns the integrated time
 * it authenticates, or undefined when it does not verify.
 */
function signedEntryTime(run: SigstoreRun, logged: LoggedEntry, set: Uint8Array): number | undefined {
  const { entry: e, index: i, tlog, window } = logged;
  run.counters.sets++;
  const setPath = `${e.path}.inclusionPromise.signedEntryTimestamp`;
  if (e.integratedTime === undefined) {
    run.counters.setsInvalid++;
    run.findings.push(
      finding(
        'DOCUMENT_INVALID',
        entryLocation(run.ctx.name, i, `${e.path}.integratedTime`),
        'a signed entry timestamp needs the integrated time it signs',
      ),
    );
    return undefined;
  }
  const payload = canonicalJson({
    body: e.bodyBase64,
    integratedTime: e.integratedTime,
    logID: toHex(e.logId),
    logIndex: e.logIndex,
  });
  if (!verifyWith(tlog.key, utf8(payload), set, run.ctx)) {
    run.counters.setsInvalid++;
    run.findings.push(
      finding(
        'SIGNATURE_INVALID',
        entryLocation(run.ctx.name, i, setPath),
        `the signed entry timestamp does not verify under the key of ${tlog.host}`,
        { fingerprint: tlog.key.fingerprint, what: 'signed-entry-timestamp' },
      ),
    );
    return undefined;
  }
  const time = e.integratedTime;
  run.times.push(time);
  // The integrated time is signed by the log key itself (validity.ts "keySigned").
  if (!counts(judgeKeyWindow(window, { keySigned: time }))) {
    run.findings.push(
      finding(
        'KEY_NOT_VALID_AT_TIME',
        entryLocation(run.ctx.name, i, setPath),
        `the key of ${tlog.host} was not valid at the integrated time ${new Date(time * 1000).toISOString()}`,
        { fingerprint: tlog.key.fingerprint, time },
      ),
    );
  }
  return time;
}

/** The body must describe the bundle's digest, signature and certificate. */
function compareBody(run: SigstoreRun, bundle: SigstoreBundle, e: TlogEntry, i: number): void {
  const body = checkBody(e.body, e.kind, e.version, bundle.content, bundle.certificate, run.ctx.sha256);
  if (body.ok) return;
  if (body.unsupported)
    run.findings.push(
      finding(
        'DOCUMENT_INVALID',
        entryLocation(run.ctx.name, i, `${e.path}.kindVersion`),
        `entry kind ${body.unsupported} is not supported; its body cannot be compared with the bundle`,
        { kind: body.unsupported },
      ),
    );
  for (const m of body.mismatches) {
    run.counters.bodyProblems++;
    run.findings.push(
      finding(
        'TLOG_BODY_MISMATCH',
        entryLocation(run.ctx.name, i, `${e.path}.canonicalizedBody`),
        `the logged ${m.what} (${m.path}) is not the bundle's`,
        {
          bodyPath: m.path,
          ...(m.expected !== undefined ? { expected: m.expected } : {}),
          ...(m.actual !== undefined ? { actual: m.actual } : {}),
        },
      ),
    );
  }
}

/** An entry with no inclusion proof: only a promise of inclusion covers it. */
function unsealed(run: SigstoreRun, e: TlogEntry, i: number, before: number): EntryStatus {
  run.findings.push(
    finding(
      'UNSEALED_ENTRIES',
      entryLocation(run.ctx.name, i, e.path, { range: [i, i + 1] }),
      'no inclusion proof: only a signed entry timestamp (a promise of inclusion) covers this entry',
    ),
  );
  return run.errorsSince(before)
    ? { status: 'failed', reason: 'ENTRY_ERRORS' }
    : { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' };
}
