/**
 * Private keys never enter a case, whatever carries them: real keys written by openssl,
 * ssh-keygen and `proofdesk keygen`, imported through the CLI (as detected, with --kind other,
 * with `case trust`, inside a bundle directory or tar) and through the app's import call. Each
 * is refused with one line naming the file (and the archive member), and the case is left as
 * it was. An export of a case that already holds one (made before the refusal existed) is
 * refused too.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCase } from '../../electron/case/case.js';
import { listEvidence } from '../../electron/case/evidence.js';
import { readJournal } from '../../electron/case/journal.js';
import { sealKeyFile, writeKeyFile } from '../../electron/keys/keyfile.js';
import { PrivateKeyScanner } from '../../electron/keys/private-key-scan.js';
import { writeTar } from '../../electron/platform/tar.js';
import { createBackend } from '../../electron/transport/ipc/backend.js';
import { anyPath } from '../../electron/transport/ipc/path-policy.js';
import { createHandlers, dispatch } from '../../electron/transport/ipc/router.js';
import { caseCli } from '../support/cli.js';
import { type GeneratedBundle, generateBundle, makeTempDir, removeDir, seedFor } from '../support/fixtures.js';

const tmp = makeTempDir('proofdesk-case-pk-');
const { cli } = caseCli(() => tmp);
let bundle: GeneratedBundle;
afterAll(() => removeDir(tmp));

const P = (n: string) => join(tmp, n);
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: tmp, stdio: 'pipe' });

function bundleTar(name: string, extra: Record<string, string>): string {
  const files = (
    JSON.parse(readFileSync(join(bundle.dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> }
  ).files;
  const members = ['manifest.json', ...files.map((f) => f.path)].map((n) => ({ name: n, source: join(bundle.dir, n) }));
  for (const [n, src] of Object.entries(extra)) members.push({ name: n, source: src });
  writeTar(P(name), members);
  return P(name);
}

beforeAll(async () => {
  bundle = generateBundle(P('bundle'), 40, { checkpointEvery: 20 });
  sh('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', 'ed.pem']);
  sh('openssl', ['genrsa', '-traditional', '-out', 'rsa.pem', '1024']);
  sh('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec.pem']);
  sh('openssl', ['pkcs8', '-topk8', '-in', 'ed.pem', '-v2', 'aes-256-cbc', '-passout', 'pass:pw', '-out', 'enc.pem']);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', 'id_ed25519']);
  writeKeyFile(P('log.key'), sealKeyFile(seedFor('log'), { name: 'Log' }, null));
  // A certificate chain file of 70 KiB with the key at its end.
  writeFileSync(P('chain.pem'), Buffer.concat([Buffer.from('# chain\n'.repeat(9000)), readFileSync(P('rsa.pem'))]));
  cpSync(bundle.dir, P('bundle-with-key'), { recursive: true });
  mkdirSync(P('bundle-with-key/keys'), { recursive: true });
  writeKeyFile(P('bundle-with-key/keys/log.key'), sealKeyFile(seedFor('log'), { name: 'Log' }, null));
  bundleTar('bundle-json-key.tar', { 'keys/log.key': P('log.key') });
  bundleTar('bundle-pem-key.tar', { 'keys/id_ed25519': P('id_ed25519') });
  expect((await cli(['case', 'new', P('case'), '--title', 'Keys'])).code).toBe(0);
});

/** The case's evidence rows, journal length and locker listing: unchanged by every refusal. */
function state(dir = P('case')) {
  const cf = openCase(dir, { readonly: true });
  try {
    return {
      evidence: listEvidence(cf).length,
      journal: readJournal(cf.db).length,
      locker: readdirSync(join(dir, 'evidence')),
    };
  } finally {
    cf.close();
  }
}

describe('private keys are refused on import', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['PEM PKCS#8', ['ed.pem'], /ed\.pem holds a PEM "PRIVATE KEY" block/],
    ['PEM RSA', ['rsa.pem'], /rsa\.pem holds a PEM "RSA PRIVATE KEY" block/],
    ['PEM EC', ['ec.pem'], /ec\.pem holds a PEM "EC PRIVATE KEY" block/],
    ['encrypted PEM', ['enc.pem'], /enc\.pem holds a PEM "ENCRYPTED PRIVATE KEY" block/],
    ['OpenSSH', ['id_ed25519'], /id_ed25519 holds a PEM "OPENSSH PRIVATE KEY" block/],
    ['--kind other', ['id_ed25519', '--kind', 'other'], /id_ed25519 holds/],
    [
      'key past the first 64 KiB',
      ['chain.pem', '--kind', 'other'],
      /chain\.pem holds a PEM "RSA PRIVATE KEY" block at byte 72000/,
    ],
    ['Proofdesk key file', ['log.key'], /log\.key holds a Proofdesk key file/],
    [
      'bundle directory with keys/log.key',
      ['bundle-with-key'],
      /bundle-with-key\/keys\/log\.key holds a Proofdesk key file/,
    ],
    [
      'bundle tar with a key file member',
      ['bundle-json-key.tar'],
      /bundle-json-key\.tar \(archive member keys\/log\.key\) holds a Proofdesk key file/,
    ],
    [
      'bundle tar with an OpenSSH member',
      ['bundle-pem-key.tar'],
      /bundle-pem-key\.tar \(archive member keys\/id_ed25519\) holds a PEM "OPENSSH PRIVATE KEY" block;/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2, one line naming the file, the case unchanged`, async () => {
      const before = state();
      const r = await cli(['case', 'import', P('case'), P(args[0]!), ...args.slice(1)]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(state()).toEqual(before);
      expect(readdirSync(P('case/tmp'))).toEqual([]);
    });
  }

  it('case trust of a private key file is refused the same way', async () => {
    const before = state();
    for (const k of ['ed.pem', 'log.key']) {
      const r = await cli(['case', 'trust', P('case'), P(k)]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(new RegExp(`${k.replace('.', '\\.')} holds`));
    }
    expect(state()).toEqual(before);
  });

  it('a bundle whose log records a leaked key inside a JSON string is still imported', async () => {
    const r = await cli(['case', 'import', P('case'), bundle.dir]);
    expect(r.code, r.err).toBe(0);
    const quoted = JSON.stringify({ note: readFileSync(P('rsa.pem'), 'utf8') });
    writeFileSync(P('leak.jsonl'), `${quoted}\n`);
    expect((await cli(['case', 'import', P('case'), P('leak.jsonl')])).code).toBe(0);
  });

  it('the app import path (cases.importEvidence through the IPC router) refuses it too', async () => {
    const backend = createBackend({ transport: 'local-http', workers: 1, paths: anyPath() });
    try {
      const handlers = createHandlers(backend);
      const open = await dispatch(handlers, 'cases.open', { dir: P('case') });
      expect(open.ok, JSON.stringify(open)).toBe(true);
      const before = state();
      for (const p of [P('id_ed25519'), P('bundle-with-key'), P('bundle-pem-key.tar')]) {
        const r = await dispatch(handlers, 'cases.importEvidence', { path: p });
        expect(r).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining(p) } });
      }
      expect(state()).toEqual(before);
    } finally {
      await backend.close();
    }
  });
});

describe('a case export never carries a private key', () => {
  it('a case that already holds one (imported before the refusal) is not exported, and nothing is journaled', async () => {
    const dir = P('old-case');
    expect((await cli(['case', 'new', dir, '--title', 'Old'])).code).toBe(0);
    const spy = vi.spyOn(PrivateKeyScanner.prototype, 'finish').mockReturnValue(undefined);
    try {
      expect((await cli(['case', 'import', dir, P('rsa.pem'), '--kind', 'other'])).code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const before = state(dir);
    const r = await cli(['case', 'export', dir, '--out', P('old.tar')]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/evidence #1 \(evidence\/[0-9a-f]{64}\/rsa\.pem\) holds a PEM "RSA PRIVATE KEY" block/);
    expect(state(dir)).toEqual(before);
    expect(readdirSync(tmp).some((n) => n.includes('old.tar'))).toBe(false);
  });
});
