/**
 * The case trust store wired into verification: a checkpoint signed outside a key's trusted
 * window is KEY_NOT_VALID_AT_TIME, after its revocation KEY_REVOKED, and one no witness dates
 * before the window's end is TIME_NOT_ESTABLISHED (shared/keys/validity.ts); grants are per origin; a
 * key given ad hoc cannot undo a revocation; runs, findings and coverage are recorded and
 * journaled (cancelled runs too). Real bundles, real worker threads, real case files.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseFile, createCase } from '../../../../electron/case/case.js';
import { verifyCase } from '../../../../electron/case/case-verify.js';
import { readJournal } from '../../../../electron/case/journal.js';
import { getRun, listRuns } from '../../../../electron/case/runs.js';
import { listTrust, revokeKey, trustedKeysFor, trustKey } from '../../../../electron/case/trust.js';
import { verifyInCase } from '../../../../electron/services/case-run.js';
import { encodeNoteVerifierKey } from '../../../../shared/keys/keys.js';
import {
  type GeneratedBundle,
  generateBundle,
  makeTempDir,
  ORIGIN,
  removeDir,
  testKey,
} from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-trust-');
let b: GeneratedBundle;
beforeAll(() => {
  // Checkpoints at 100, 200, 300; entry i is at 2026-01-01T00:00:00Z + i s, so the checkpoints'
  // last entries are at 00:01:39.099, 00:03:19.199 and 00:04:59.299.
  b = generateBundle(join(tmp, 'bundle'), 300, { checkpointEvery: 100 });
});
afterAll(() => removeDir(tmp));
let n = 0;

function newCase(): CaseFile {
  return createCase(join(tmp, `case-${n++}`), { title: 'trust test' }, { actor: 'examiner' });
}

const run = (cf: CaseFile, extra: string[] = []) =>
  verifyInCase(cf, { bundle: b.dir, workers: 2, extraTrust: extra, index: false });

describe('key validity from the case trust store', () => {
  it('a checkpoint signed before the window opens: KEY_NOT_VALID_AT_TIME at that checkpoint only', async () => {
    const cf = newCase();
    trustKey(cf, {
      publicKey: b.logKey.publicKey,
      keyName: b.logKey.name,
      label: 'log',
      origin: ORIGIN,
      validFrom: '2026-01-01T00:02:00Z',
    });
    const out = await run(cf);
    const r = out.run.result;
    expect(r.verdict).toBe('FAIL');
    const bad = r.findings.filter((f) => f.code === 'KEY_NOT_VALID_AT_TIME');
    expect(bad.map((f) => f.location.checkpointSize)).toEqual([100]);
    expect(r.checkpoints.map((c) => c.status)).toEqual(['untrusted', 'trusted', 'trusted']);
    expect(r.findings.some((f) => f.code === 'KEY_REVOKED')).toBe(false);
    cf.close();
  });

  it('a checkpoint signed after the window closes: KEY_NOT_VALID_AT_TIME', async () => {
    const cf = newCase();
    trustKey(cf, { publicKey: b.logKey.publicKey, label: 'log', origin: ORIGIN, validUntil: '2026-01-01T00:04:00Z' });
    const r = (await run(cf)).run.result;
    expect(r.findings.filter((f) => f.code === 'KEY_NOT_VALID_AT_TIME').map((f) => f.location.checkpointSize)).toEqual([
      300,
    ]);
    expect(r.findings.filter((f) => f.code === 'TIME_NOT_ESTABLISHED').map((f) => f.location.checkpointSize)).toEqual([
      100, 200,
    ]);
    cf.close();
  });

  it('a revoked key: KEY_REVOKED for checkpoints from the revocation time on; an ad hoc --trust of the same key does not undo it', async () => {
    const cf = newCase();
    trustKey(cf, { publicKey: b.logKey.publicKey, keyName: b.logKey.name, label: 'log', origin: ORIGIN });
    revokeKey(cf, listTrust(cf)[0]!.fingerprint.slice(0, 12), {
      revokedAt: '2026-01-01T00:03:00Z',
      reason: 'key compromise',
    });
    expect(trustedKeysFor(cf, ORIGIN)[0]!.revokedAt).toBe('2026-01-01T00:03:00Z');
    const out = await run(cf, [encodeNoteVerifierKey(b.logKey.name, b.logKey.publicKey)]);
    const r = out.run.result;
    expect(r.findings.filter((f) => f.code === 'KEY_REVOKED').map((f) => f.location.checkpointSize)).toEqual([
      200, 300,
    ]);
    // Checkpoint 100 states a time before the revocation, but no witness dates it: not counted.
    expect(r.findings.filter((f) => f.code === 'TIME_NOT_ESTABLISHED').map((f) => f.location.checkpointSize)).toEqual([
      100,
    ]);
    expect(r.coverage.verified).toBe(0);

    // The run as recorded: trust material with the revocation, findings with locations, coverage.
    const rec = getRun(cf, out.runId)!;
    expect(rec).toMatchObject({
      kind: 'verify',
      status: 'finished',
      verdict: 'FAIL',
      counts: { entries: 300, verified: 0 },
    });
    expect(rec.trustedKeys).toEqual([
      expect.objectContaining({
        fingerprint: listTrust(cf)[0]!.fingerprint,
        source: 'case',
        revokedAt: '2026-01-01T00:03:00Z',
      }),
    ]);
    const rows = cf.db
      .prepare("SELECT checkpoint_size FROM findings WHERE run_id = ? AND code = 'KEY_REVOKED' ORDER BY ordinal")
      .all(out.runId) as Array<{ checkpoint_size: number }>;
    expect(rows.map((x) => x.checkpoint_size)).toEqual([200, 300]);
    const cov = cf.db
      .prepare('SELECT from_idx, to_idx, status FROM run_coverage WHERE run_id = ? ORDER BY from_idx')
      .all(out.runId);
    expect(cov).toEqual(r.coverage.ranges.map((x) => ({ from_idx: x.from, to_idx: x.to, status: x.status })));
    expect(readJournal(cf.db).map((x) => x.action)).toEqual([
      'case.created',
      'key.trusted',
      'key.revoked',
      'evidence.imported',
      'run.started',
      'run.finished',
    ]);
    expect(verifyCase(cf).problems).toEqual([]);
    cf.close();
  });

  it('a key trusted for another origin is not used; with no key at all the run is refused before it starts', async () => {
    const cf = newCase();
    trustKey(cf, { publicKey: b.logKey.publicKey, label: 'log', origin: 'some.other/log' });
    expect(trustedKeysFor(cf, ORIGIN)).toEqual([]);
    await expect(run(cf)).rejects.toMatchObject({ code: 'USAGE' });
    expect(listRuns(cf)).toEqual([]);
    // The same key trusted for any origin as well: that grant applies.
    trustKey(cf, { publicKey: b.logKey.publicKey, keyName: b.logKey.name, label: 'log (any)' });
    const r = (await run(cf)).run.result;
    expect(r.verdict).toBe('PASS');
    cf.close();
  });

  it('a grant for origin A never verifies a bundle of origin B signed by the same key', async () => {
    const other = generateBundle(join(tmp, 'bundle-b'), 100, {
      checkpointEvery: 100,
      origin: 'audit.example.com/other',
    });
    const cf = newCase();
    trustKey(cf, { publicKey: b.logKey.publicKey, keyName: b.logKey.name, label: 'log of A', origin: ORIGIN });
    // Something must be trusted for B for the run to start: a key that signs nothing there.
    trustKey(cf, { publicKey: testKey('unrelated').publicKey, label: 'B', origin: 'audit.example.com/other' });
    const r = (await verifyInCase(cf, { bundle: other.dir, workers: 2, index: false })).run.result;
    expect(r.trustedKeys.map((k) => k.fingerprint)).not.toContain(listTrust(cf)[0]!.fingerprint);
    expect([r.verdict, r.checkpoints.map((c) => c.status), r.coverage.verified]).toEqual([
      'INCONCLUSIVE',
      ['untrusted'],
      0,
    ]);
    expect(r.findings.map((f) => f.code)).toContain('KEY_UNTRUSTED');
    // The same bundle of A in the same case does verify.
    expect((await run(cf)).run.result.verdict).toBe('PASS');
    cf.close();
  });

  it('grants carry a role: a witness and an event-source key trusted as such pass, trusted as log keys they do not', async () => {
    const witness = testKey('trust-witness', 'witness.example', 'witness');
    const source = testKey('trust-source', 'source', 'entry');
    const signed = generateBundle(join(tmp, 'bundle-signed'), 200, {
      checkpointEvery: 100,
      signEntriesWith: source,
      witnesses: [{ name: witness.name, seed: witness.seed, time: 1_767_225_600 }],
    });
    const go = (cf: CaseFile) => verifyInCase(cf, { bundle: signed.dir, workers: 2, index: false });
    const right = newCase();
    trustKey(right, { publicKey: signed.logKey.publicKey, label: 'log', origin: ORIGIN });
    trustKey(right, { publicKey: witness.publicKey, label: 'witness', role: 'witness' });
    trustKey(right, { publicKey: source.publicKey, label: 'source', origin: ORIGIN, role: 'entry' });
    const ok = await go(right);
    expect(ok.run.result.verdict).toBe('PASS');
    expect(ok.run.result.checkpoints.flatMap((c) => c.signatures.map((s) => [s.kind, s.status]))).toEqual([
      ['log', 'verified'],
      ['cosignature', 'verified'],
      ['log', 'verified'],
      ['cosignature', 'verified'],
    ]);
    expect(
      getRun(right, ok.runId)!
        .trustedKeys.map((k) => k.roles)
        .sort(),
    ).toEqual([['entry'], ['log'], ['witness']]);
    expect(
      readJournal(right.db)
        .filter((j) => j.action === 'key.trusted')
        .map((j) => j.details.role),
    ).toEqual(['log', 'witness', 'entry']);
    right.close();

    const wrong = newCase();
    trustKey(wrong, { publicKey: signed.logKey.publicKey, label: 'log', origin: ORIGIN });
    trustKey(wrong, { publicKey: witness.publicKey, label: 'witness, as log' });
    trustKey(wrong, { publicKey: source.publicKey, label: 'source, as log', origin: ORIGIN });
    const r = (await go(wrong)).run.result;
    // Keys given in the wrong role contradict nothing: INCONCLUSIVE, the roles named as the cause.
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.diagnosis.map((c) => c.cause)).toContain('KEY_WRONG_ROLE');
    expect(r.findings.filter((f) => f.code === 'KEY_WRONG_ROLE')).toHaveLength(2);
    expect(r.checks.find((c) => c.id === 'entry-signatures')!.counts).toMatchObject({ valid: 0, untrusted: 200 });
    expect(verifyCase(wrong).ok).toBe(true);
    wrong.close();
  });

  it('refuses bad windows and duplicate grants with USAGE', () => {
    const cf = newCase();
    const k = { publicKey: b.logKey.publicKey, label: 'log', origin: ORIGIN };
    expect(() => trustKey(cf, { ...k, validFrom: '2026-01-01' })).toThrowError(
      expect.objectContaining({ code: 'USAGE' }) as Error,
    );
    expect(() =>
      trustKey(cf, { ...k, validFrom: '2026-02-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' }),
    ).toThrowError(expect.objectContaining({ code: 'USAGE' }) as Error);
    trustKey(cf, k);
    expect(() => trustKey(cf, k)).toThrowError(expect.objectContaining({ code: 'USAGE' }) as Error);
    expect(() => revokeKey(cf, 'abcdef12', { revokedAt: '2026-01-01T00:00:00Z' })).toThrowError(
      expect.objectContaining({ code: 'USAGE' }) as Error,
    );
    expect(listTrust(cf)).toHaveLength(1);
    cf.close();
  });

  it('a cancelled run is recorded as cancelled and journaled', async () => {
    const cf = newCase();
    trustKey(cf, { publicKey: b.logKey.publicKey, label: 'log', origin: ORIGIN });
    const ac = new AbortController();
    ac.abort();
    await expect(
      verifyInCase(cf, { bundle: b.dir, workers: 1, signal: ac.signal, index: false }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    const [rec] = listRuns(cf);
    expect(rec).toMatchObject({ status: 'cancelled', verdict: null });
    expect(readJournal(cf.db).at(-1)!.details).toMatchObject({ runId: rec!.id, status: 'cancelled' });
    expect(verifyCase(cf).ok).toBe(true);
    cf.close();
  });
});
