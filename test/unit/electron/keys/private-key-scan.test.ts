/**
 * The private-key scan: real keys written by openssl and ssh-keygen, anywhere in a stream and
 * however the stream is cut into chunks; keys quoted inside JSON strings (an audit log
 * recording a leaked key) are data, not key files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealKeyFile } from '../../../../electron/keys/keyfile.js';
import { findPrivateKey, PrivateKeyScanner } from '../../../../electron/keys/private-key-scan.js';
import { makeTempDir, removeDir, seedFor } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-pkscan-');
afterAll(() => removeDir(tmp));

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: tmp, stdio: 'pipe' });
const read = (n: string) => readFileSync(join(tmp, n));

function keys(): Record<string, Buffer> {
  sh('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', 'ed.pem']);
  sh('openssl', ['genrsa', '-traditional', '-out', 'rsa.pem', '1024']);
  sh('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec.pem']);
  sh('openssl', [
    'pkcs8',
    '-topk8',
    '-in',
    'ed.pem',
    '-v2',
    'aes-256-cbc',
    '-passout',
    'pass:secret',
    '-out',
    'enc.pem',
  ]);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', 'id_ed25519']);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', 'id_enc']);
  return {
    'PEM PKCS#8': read('ed.pem'),
    'PEM RSA': read('rsa.pem'),
    'PEM EC': read('ec.pem'),
    'PEM encrypted PKCS#8': read('enc.pem'),
    OpenSSH: read('id_ed25519'),
    'OpenSSH encrypted': read('id_enc'),
    'Proofdesk key file': Buffer.from(JSON.stringify(sealKeyFile(seedFor('k'), { name: 'K' }, null), null, 2)),
    'note signer key': Buffer.from('PRIVATE+KEY+example.com/log+1a2b3c4d+AXhU3k0=\n'),
  };
}

describe('private key scan', () => {
  const all = keys();

  it('finds every kind of private key, alone, indented, after 70 KiB of text, or after a NUL (a tar block)', () => {
    const filler = Buffer.from(`${'certificate or log text\n'.repeat(3000)}`);
    for (const [name, k] of Object.entries(all)) {
      expect(findPrivateKey(k), name).toMatchObject({ offset: 0 });
      if (name === 'Proofdesk key file') continue; // JSON: only a whole file is one
      expect(findPrivateKey(Buffer.concat([filler, k])), name).toMatchObject({ offset: filler.length });
      expect(findPrivateKey(Buffer.concat([Buffer.from('key: |\n    '), k])), name).toMatchObject({ offset: 11 });
      expect(findPrivateKey(Buffer.concat([Buffer.alloc(512), k])), name).toMatchObject({ offset: 512 });
    }
  });

  it('finds a key however the stream is cut into chunks', () => {
    const k = Buffer.concat([Buffer.from('x'.repeat(200) + '\n'), all['PEM RSA']!]);
    for (const size of [1, 7, 95, 96, 97, 150, 201, 4096]) {
      const s = new PrivateKeyScanner();
      for (let i = 0; i < k.length; i += size) s.push(k.subarray(i, i + size));
      expect(s.finish(), `chunks of ${size}`).toMatchObject({ offset: 201, what: 'a PEM "RSA PRIVATE KEY" block' });
    }
  });

  it('leaves public keys, keys quoted in JSON lines, and truncated markers alone', () => {
    sh('openssl', ['pkey', '-in', 'ed.pem', '-pubout', '-out', 'ed.pub']);
    const quoted = JSON.stringify({ event: 'leak', key: all['PEM PKCS#8']!.toString() });
    for (const text of [
      read('ed.pub'),
      read('id_ed25519.pub'),
      Buffer.from(`${quoted}\n${quoted}\n`),
      Buffer.from('-----BEGIN PRIVATE KE'),
      Buffer.from('{"format":"proofdesk-bundle","secret":"x"}'),
      Buffer.from('x-----BEGIN PRIVATE KEY-----\n'),
    ])
      expect(findPrivateKey(text), text.toString().slice(0, 40)).toBeUndefined();
  });
});
