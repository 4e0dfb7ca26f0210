/**
 * A signed report vouches for the bytes that were verified, not for whatever sits at the same
 * path when the report is signed. On real tar bundles, real key files, a real case and the
 * app's real worker threads:
 *  - the run records the archive's SHA-256 as it read it (openssl agrees);
 *  - the CLI (`verify --report`) and the app (`reports.sign`) refuse to sign when the archive,
 *    or a trusted-key file, was replaced after the run (INPUT_UNREADABLE, reason INPUT_CHANGED),
 *    and write nothing;
 *  - for a case run the evidence digest recorded in the case is the archive the report lists,
 *    even when the run names the evidence by number and the original file changed since.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../electron/case/case.js';
import { listEvidence } from '../../electron/case/evidence.js';
import { finishReport, prepareReport } from '../../electron/cli/commands/report.js';
import type { CliIO } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/main.js';
import { sealKeyFile, writeKeyFile } from '../../electron/keys/keyfile.js';
import { writeTar } from '../../electron/platform/tar.js';
import { createBackend } from '../../electron/transport/ipc/backend.js';
import { anyPath } from '../../electron/transport/ipc/path-policy.js';
import { createHandlers, dispatch } from '../../electron/transport/ipc/router.js';
import { verify } from '../../electron/verify/verify.js';
import { encodeNoteVerifierKey, encodeSpkiPem } from '../../shared/keys/keys.js';
import type { ArgsOf, Channel, ResOf, RunView } from '../../shared/protocol/ipc.js';
import { parseEnvelope } from '../../shared/report/dsse.js';
import type { VerificationStatement } from '../../shared/report/predicate.js';
import { type GeneratedBundle, generateBundle, makeTempDir, removeDir, testKey } from '../support/fixtures.js';

const tmp = makeTempDir('proofdesk-report-bytes-');
const D = (...p: string[]) => join(tmp, ...p);
let a: GeneratedBundle;
let b: GeneratedBundle;
let examinerKey: string;
let examinerPub: string;

const io: CliIO = {
  out: () => undefined,
  err: () => undefined,
  env: {},
  stdinIsTTY: false,
  stderrIsTTY: false,
  cwd: tmp,
};

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(args, { ...io, err: (s) => (err += s) });
  return { code, err };
}

function tarOf(g: GeneratedBundle, out: string): string {
  const files = (
    JSON.parse(readFileSync(join(g.dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> }
  ).files.map((f) => f.path);
  writeTar(
    out,
    ['manifest.json', ...files].map((n) => ({ name: n, source: join(g.dir, n) })),
  );
  return out;
}

function openssl(path: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', '-r', path]).toString().slice(0, 64);
}

function statementIn(dir: string): VerificationStatement {
  const env = parseEnvelope(readFileSync(join(dir, 'attestation.dsse.json')));
  if (!env.ok) throw new Error('unparsable attestation');
  return JSON.parse(Buffer.from(env.payload).toString('utf8')) as VerificationStatement;
}

function listedArchive(dir: string) {
  return statementIn(dir).predicate.inputs.find((i) => i.role === 'archive');
}

/** Replaces `path` by other content atomically (a new inode, as an editor or `cp` over it would). */
function swap(path: string, content: Buffer): void {
  writeFileSync(`${path}.new`, content);
  renameSync(`${path}.new`, path);
}

beforeAll(() => {
  // Two bundles of one log: either verifies under the same key, so a swap is not caught by the verdict.
  a = generateBundle(D('a'), 60, { checkpointEvery: 20 });
  b = generateBundle(D('b'), 80, { checkpointEvery: 20 });
  writeFileSync(D('log.vkey'), encodeNoteVerifierKey(a.logKey.name, a.logKey.publicKey) + '\n');
  const ex = testKey('report-bytes-examiner', 'eve');
  examinerKey = D('eve.key');
  writeKeyFile(examinerKey, sealKeyFile(ex.seed, { name: 'Eve Examiner' }, null, '2026-11-01T00:00:00Z'));
  examinerPub = D('eve.pub');
  writeFileSync(examinerPub, encodeSpkiPem(ex.publicKey));
});
afterAll(() => removeDir(tmp));

describe('verify --report signs what the run read', () => {
  it('the run records the archive digest as read; signing lists it, and refuses once the archive was swapped', async () => {
    const tar = tarOf(a, D('a.tar'));
    const out = await verify(tar, { trustArgs: ['log.vkey'], cwd: tmp, workers: 2 });
    expect(out.run.result.verdict).toBe('PASS');
    expect(out.archive).toEqual({ size: readFileSync(tar).length, sha256: openssl(tar) });

    const ok = await prepareReport({ report: D('r-ok'), 'examiner-key': examinerKey }, ['log.vkey'], 'a.tar', io);
    await finishReport(ok!, out, io);
    expect(listedArchive(D('r-ok'))).toMatchObject({ name: 'a.tar', sha256: openssl(tar) });

    swap(tar, readFileSync(tarOf(b, D('b.tar'))));
    const req = await prepareReport({ report: D('r-swapped'), 'examiner-key': examinerKey }, ['log.vkey'], 'a.tar', io);
    await expect(finishReport(req!, out, io)).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
      detail: { reason: 'INPUT_CHANGED' },
    });
    expect(existsSync(D('r-swapped')) ? readdirSync(D('r-swapped')) : []).toEqual([]);
  });

  it('a trusted-key file that holds another key after the run refuses the signing', async () => {
    const tar = tarOf(a, D('a2.tar'));
    writeFileSync(D('k.vkey'), readFileSync(D('log.vkey')));
    const out = await verify(tar, { trustArgs: ['k.vkey'], cwd: tmp, workers: 1 });
    const other = testKey('some-other-log', a.logKey.name);
    swap(D('k.vkey'), Buffer.from(encodeNoteVerifierKey(other.name, other.publicKey) + '\n'));
    const req = await prepareReport({ report: D('r-key'), 'examiner-key': examinerKey }, ['k.vkey'], 'a2.tar', io);
    await expect(finishReport(req!, out, io)).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
      detail: { reason: 'INPUT_CHANGED' },
    });
  });

  it('in a case, the archive listed is the evidence the run verified (by number, original changed since)', async () => {
    const tar = tarOf(a, D('case-a.tar'));
    const digest = openssl(tar);
    expect((await cli(['case', 'new', D('case'), '--title', 'Report bytes'])).code).toBe(0);
    expect((await cli(['case', 'import', D('case'), tar])).code).toBe(0);
    swap(tar, readFileSync(tarOf(b, D('case-b.tar'))));
    const r = await cli([
      'verify',
      '#1',
      '--case',
      D('case'),
      '--trust',
      'log.vkey',
      '--report',
      D('r-case'),
      '--examiner-key',
      examinerKey,
    ]);
    expect(r.code, r.err).toBe(0);
    const cf = openCase(D('case'), { readonly: true });
    try {
      expect(
        listEvidence(cf)
          .filter((e) => e.kind === 'bundle')
          .map((e) => e.digest),
      ).toEqual([digest]);
    } finally {
      cf.close();
    }
    expect(listedArchive(D('r-case'))).toMatchObject({ sha256: digest });
    expect((await cli(['report', 'verify', D('r-case', 'report.pdf'), '--key', examinerPub])).code).toBe(0);
  });
});

describe('the app signs what the run read', () => {
  const backend = createBackend({ transport: 'local-http', workers: 2, paths: anyPath() });
  const handlers = createHandlers(backend);
  afterAll(() => backend.close());

  async function call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResOf<C>> {
    const r = await dispatch(handlers, channel, args);
    if (!r.ok) throw Object.assign(new Error(`${channel}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
    return r.value as ResOf<C>;
  }

  async function finished(runId: string): Promise<RunView> {
    for (const t = Date.now(); Date.now() - t < 60_000; await new Promise((r) => setTimeout(r, 20))) {
      const v = await call('verify.get', { runId });
      if (v.state !== 'running') return v;
    }
    throw new Error('run did not finish');
  }

  it('reports.sign lists the archive as verified, and refuses once it was swapped', async () => {
    const tar = tarOf(a, D('app.tar'));
    const digest = openssl(tar);
    const { runId } = await call('verify.start', { bundle: { path: tar }, keys: [{ path: D('log.vkey') }] });
    expect((await finished(runId)).run?.result.verdict).toBe('PASS');
    const signed = await call('reports.sign', { runId, keyPath: examinerKey, outDir: D('app-ok') });
    expect(listedArchive(signed.dir)).toMatchObject({ name: 'app.tar', sha256: digest });

    swap(tar, readFileSync(tarOf(b, D('app-b.tar'))));
    await expect(call('reports.sign', { runId, keyPath: examinerKey, outDir: D('app-swapped') })).rejects.toMatchObject(
      { code: 'INPUT_UNREADABLE' },
    );
    expect(existsSync(D('app-swapped')) ? readdirSync(D('app-swapped')) : []).toEqual([]);
  });

  it('a case run records the archive as it read the stored copy, as the CLI does, so signing can check the two agree', async () => {
    const tar = tarOf(a, D('app-case.tar'));
    const digest = openssl(tar);
    const c = await call('cases.create', { dir: D('app-case'), title: 'App report bytes', examiner: 'Rita Bytes' });
    const { runId } = await call('verify.start', {
      bundle: { path: tar },
      keys: [{ path: D('log.vkey') }],
      caseId: c.caseId,
    });
    expect((await finished(runId)).run?.result.verdict).toBe('PASS');
    expect(backend.runs.record(runId).archive).toEqual({ size: readFileSync(tar).length, sha256: digest });
    const signed = await call('reports.sign', { runId, keyPath: examinerKey, outDir: D('app-case-report') });
    expect(listedArchive(signed.dir)).toMatchObject({ sha256: digest });
  });
});
