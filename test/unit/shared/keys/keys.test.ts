/**
 * Key parsing, encoders and identifiers, checked against real `openssl` and `ssh-keygen`
 * output (generated at test time), the golang.org/x/mod vkey vectors, and RFC 8410 §10.3.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publicKeyFromSeed, signEd25519, verifyEd25519 } from '../../../../shared/crypto/ed25519.js';
import { sha256 } from '../../../../shared/crypto/hash.js';
import { concatBytes, fromHex, toBase64, toHex, utf8 } from '../../../../shared/encoding/bytes.js';
import {
  encodeNoteVerifierKey,
  encodeOpenSsh,
  encodePkcs8Pem,
  encodeSpkiPem,
  type KeyInvalidReason,
  keyFingerprint,
  MAX_KEY_TEXT_LENGTH,
  NOTE_SIG_COSIGNATURE_V1,
  NOTE_SIG_ECDSA,
  NOTE_SIG_ED25519,
  NOTE_SIG_RFC6962,
  noteKeyId,
  opensshBlob,
  opensshFingerprint,
  parseKey,
  parseNoteVerifierKey,
  spkiDer,
} from '../../../../shared/keys/keys.js';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';
import { readVectorJson } from '../../../support/vectors.js';

const dir = mkdtempSync(join(tmpdir(), 'proofdesk-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function tmp(name: string): string {
  return join(dir, `${fileNo++}-${name}`);
}
function run(cmd: string, args: string[], input?: Buffer): Buffer {
  return execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}
function openssl(...args: string[]): Buffer {
  return run('openssl', args);
}
function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function keyError(f: () => unknown): ProofdeskError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ProofdeskError);
    return e as ProofdeskError;
  }
  throw new Error('expected a ProofdeskError');
}
function expectInvalid(text: string, reason: KeyInvalidReason, algorithm?: string): void {
  const e = keyError(() => parseKey(text));
  expect(e.code).toBe('KEY_INVALID');
  expect(e.detail?.reason).toBe(reason);
  if (algorithm !== undefined) expect(e.detail?.algorithm).toBe(algorithm);
}

/** A fresh Ed25519 key pair from openssl: the PEM files as written and the DER SPKI. */
function opensslKeyPair() {
  const privPath = tmp('priv.pem');
  openssl('genpkey', '-algorithm', 'ed25519', '-out', privPath);
  const privPem = readFileSync(privPath, 'utf8');
  const pubPem = openssl('pkey', '-in', privPath, '-pubout').toString('utf8');
  const spki = openssl('pkey', '-in', privPath, '-pubout', '-outform', 'DER');
  return { privPath, privPem, pubPem, spki };
}

describe('PEM keys against openssl', () => {
  it('openssl is installed (these tests are not optional)', () => {
    expect(hasTool('openssl')).toBe(true);
  });

  it('parses openssl genpkey/pkey output and re-encodes it byte for byte (3 fresh keys)', () => {
    for (let i = 0; i < 3; i++) {
      const { privPem, pubPem, spki } = opensslKeyPair();
      const priv = parseKey(privPem);
      const pub = parseKey(pubPem);
      expect(priv.source).toBe('pem-pkcs8');
      expect(pub.source).toBe('pem-spki');
      expect(priv.algorithm).toBe('ed25519');
      expect(priv.privateSeed).toHaveLength(32);
      expect(pub.privateSeed).toBeUndefined();
      expect(toHex(priv.publicKey)).toBe(toHex(pub.publicKey));
      expect(toHex(pub.publicKey)).toBe(toHex(spki.subarray(12)));
      expect(encodePkcs8Pem(priv.privateSeed!)).toBe(privPem);
      expect(encodeSpkiPem(pub.publicKey)).toBe(pubPem);
      expect(toHex(spkiDer(pub.publicKey))).toBe(spki.toString('hex'));
      // keyFingerprint = SHA-256 of the DER SPKI that openssl writes.
      expect(keyFingerprint(pub.publicKey)).toBe(toHex(sha256(spki)));
    }
  });

  it('openssl reads our encoders and derives the same public key', () => {
    const seed = sha256(utf8('proofdesk keys: our encoder'));
    const privPath = tmp('ours.pem');
    writeFileSync(privPath, encodePkcs8Pem(seed));
    expect(openssl('pkey', '-in', privPath, '-pubout').toString('utf8')).toBe(encodeSpkiPem(publicKeyFromSeed(seed)));
    const pubPath = tmp('ours-pub.pem');
    writeFileSync(pubPath, encodeSpkiPem(publicKeyFromSeed(seed)));
    expect(openssl('pkey', '-pubin', '-in', pubPath, '-outform', 'DER').toString('hex')).toBe(
      toHex(spkiDer(publicKeyFromSeed(seed))),
    );
  });

  it('signatures interoperate with openssl pkeyutl in both directions', () => {
    const { privPath, privPem, pubPem } = opensslKeyPair();
    const pubPath = tmp('pub.pem');
    writeFileSync(pubPath, pubPem);
    const msgPath = tmp('msg.bin');
    const msg = utf8('interop message\n');
    writeFileSync(msgPath, msg);
    const sigPath = tmp('sig.bin');
    openssl('pkeyutl', '-sign', '-inkey', privPath, '-rawin', '-in', msgPath, '-out', sigPath);
    const opensslSig = new Uint8Array(readFileSync(sigPath));
    const { publicKey, privateSeed } = parseKey(privPem);
    expect(verifyEd25519(publicKey, msg, opensslSig)).toBe(true);
    const ours = signEd25519(privateSeed!, msg);
    expect(toHex(ours)).toBe(toHex(opensslSig)); // deterministic: identical
    const oursPath = tmp('oursig.bin');
    writeFileSync(oursPath, ours);
    expect(
      openssl(
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        pubPath,
        '-rawin',
        '-in',
        msgPath,
        '-sigfile',
        oursPath,
      ).toString(),
    ).toMatch(/Success/);
  });

  it('accepts CRLF line endings, surrounding text and a byte-order mark', () => {
    const { pubPem, privPem } = opensslKeyPair();
    const a = parseKey(pubPem).publicKey;
    expect(parseKey(pubPem.replace(/\n/g, '\r\n')).publicKey).toEqual(a);
    expect(parseKey(`Public key of the log operator:\n${pubPem}\nend of file\n`).publicKey).toEqual(a);
    expect(parseKey('\ufeff' + pubPem).publicKey).toEqual(a);
    expect(parseKey(privPem.replace(/\n/g, '\r\n')).source).toBe('pem-pkcs8');
  });

  it('parses the RFC 8410 §10.3 v2 OneAsymmetricKey (attributes and attached public key)', () => {
    // RFC 8410 §10.3 example, transcribed; OpenSSL 3.0 cannot read this form.
    const pem =
      '-----BEGIN PRIVATE KEY-----\n' +
      'MHICAQEwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n' +
      'oB8wHQYKKoZIhvcNAQkJFDEPDA1DdXJkbGUgQ2hhaXJzgSEAGb9ECWmEzf6FQbrB\n' +
      'Z9w7lshQhqowtrbLDFw4rXAxZuE=\n' +
      '-----END PRIVATE KEY-----\n';
    const k = parseKey(pem);
    expect(k.source).toBe('pem-pkcs8');
    expect(toHex(k.privateSeed!)).toBe('d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842');
    expect(toHex(k.publicKey)).toBe('19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1');
  });

  it('checks a v2 attached public key against the seed', () => {
    const seed = sha256(utf8('v2'));
    const pub = publicKeyFromSeed(seed);
    const v2 = (attached: Uint8Array, version = 1) =>
      concatBytes(
        fromHex('3051'),
        Uint8Array.of(0x02, 0x01, version),
        fromHex('300506032b657004220420'),
        seed,
        fromHex('812100'),
        attached,
      );
    const pemOf = (der: Uint8Array) => `-----BEGIN PRIVATE KEY-----\n${toBase64(der)}\n-----END PRIVATE KEY-----\n`;
    expect(toHex(parseKey(pemOf(v2(pub))).publicKey)).toBe(toHex(pub));
    const other = publicKeyFromSeed(sha256(utf8('other')));
    expectInvalid(pemOf(v2(other)), 'PKCS8_PUBLIC_KEY_MISMATCH');
    expectInvalid(pemOf(v2(pub, 0)), 'DER_MALFORMED'); // a public key needs version v2
  });

  it('names the algorithm of non-Ed25519 PEM keys', () => {
    const cases: Array<[string[], string]> = [
      [['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'], 'RSA'],
      [['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'EC P-256'],
      [['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'EC P-384'],
      [['-algorithm', 'ed448'], 'Ed448'],
      [['-algorithm', 'x25519'], 'X25519 (a key-agreement key, not a signature key)'],
    ];
    let n = 0;
    for (const [args, algorithm] of cases) {
      const path = tmp('other.pem');
      openssl('genpkey', ...args, '-out', path);
      expectInvalid(readFileSync(path, 'utf8'), 'UNSUPPORTED_ALGORITHM', algorithm);
      expectInvalid(openssl('pkey', '-in', path, '-pubout').toString('utf8'), 'UNSUPPORTED_ALGORITHM', algorithm);
      n++;
    }
    expect(n).toBe(5);
    // Legacy ("traditional") PEM labels.
    const rsa = tmp('rsa.pem');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', rsa);
    expectInvalid(openssl('rsa', '-in', rsa, '-traditional').toString('utf8'), 'UNSUPPORTED_ALGORITHM', 'RSA');
    expectInvalid(openssl('rsa', '-in', rsa, '-RSAPublicKey_out').toString('utf8'), 'UNSUPPORTED_ALGORITHM', 'RSA');
    const ec = tmp('ec.pem');
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', ec);
    expectInvalid(openssl('ec', '-in', ec).toString('utf8'), 'UNSUPPORTED_ALGORITHM', 'EC');
  });

  it('refuses encrypted private keys and certificates with their own reasons', () => {
    const { privPath } = opensslKeyPair();
    expectInvalid(
      openssl('pkey', '-in', privPath, '-aes256', '-passout', 'pass:secret').toString('utf8'),
      'PEM_ENCRYPTED',
    );
    const cert = openssl('req', '-new', '-x509', '-key', privPath, '-subj', '/CN=proofdesk', '-days', '1').toString(
      'utf8',
    );
    expectInvalid(cert, 'PEM_UNSUPPORTED_LABEL');
  });

  it('rejects malformed PEM and DER', () => {
    const { pubPem } = opensslKeyPair();
    const der = parseKey(pubPem).publicKey;
    const pemOf = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
    expectInvalid(pubPem.replace('-----END PUBLIC KEY-----', ''), 'PEM_MALFORMED');
    expectInvalid(pubPem + pubPem, 'PEM_MULTIPLE_BLOCKS');
    expectInvalid(pemOf('PUBLIC KEY', 'not base64!'), 'PEM_MALFORMED');
    expectInvalid(pemOf('PUBLIC KEY', 'Proc-Type: 4,ENCRYPTED\n' + toBase64(spkiDer(der))), 'PEM_ENCRYPTED');
    expectInvalid(pemOf('PUBLIC KEY', toBase64(concatBytes(spkiDer(der), Uint8Array.of(0)))), 'DER_MALFORMED');
    expectInvalid(pemOf('PUBLIC KEY', toBase64(spkiDer(der).subarray(0, 43))), 'DER_MALFORMED');
    // Ed25519 OID with NULL parameters: RFC 8410 §3 says parameters MUST be absent.
    const withNull = concatBytes(fromHex('302c300706032b65700500032100'), der);
    expectInvalid(pemOf('PUBLIC KEY', toBase64(withNull)), 'DER_MALFORMED');
    // DER length in long form where short form was required.
    const longForm = concatBytes(fromHex('30812a300506032b6570032100'), der);
    expectInvalid(pemOf('PUBLIC KEY', toBase64(longForm)), 'DER_MALFORMED');
    expectInvalid(pemOf('OPENSSH PRIVATE KEY', 'b3BlbnNzaC1rZXktdjEAAAAA'), 'OPENSSH_PRIVATE_KEY');
  });
});

// ── OpenSSH ──────────────────────────────────────────────────────────────────────────────

/**
 * A fixed line written by ssh-keygen (OpenSSH 9.2p1) while writing these tests, with the
 * fingerprint `ssh-keygen -lf` printed for it. Kept so the format stays covered on machines
 * without ssh-keygen.
 */
const FIXED_SSH_LINE =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFnQp7K8UB8rAKD4LCCQGaVrgq/yy3LP9Gph2kLSQi/J alice@example.com laptop';
const FIXED_SSH_FINGERPRINT = 'SHA256:jF3X5664+mDQlBoMfGLX7cz18jnyS2CkIuMFpT8GKQ0';

describe('OpenSSH public keys', () => {
  it('parses the fixed ssh-keygen line and reproduces its fingerprint', () => {
    const k = parseKey(FIXED_SSH_LINE + '\n');
    expect(k.source).toBe('openssh');
    expect(k.name).toBe('alice@example.com laptop');
    expect(opensshFingerprint(k.publicKey)).toBe(FIXED_SSH_FINGERPRINT);
    expect(encodeOpenSsh(k.publicKey, k.name)).toBe(FIXED_SSH_LINE);
  });

  it('ssh-keygen is installed (these tests are not optional; CI installs openssh-client)', () => {
    expect(hasTool('ssh-keygen')).toBe(true);
  });

  it('round-trips fresh ssh-keygen keys byte for byte and matches ssh-keygen -l (3 keys)', () => {
    for (const comment of ['', 'user@host', 'a comment with spaces']) {
      const path = tmp('id_ed25519');
      run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
      const line = readFileSync(`${path}.pub`, 'utf8');
      const k = parseKey(line);
      expect(k.source).toBe('openssh');
      expect(k.name).toBe(comment === '' ? undefined : comment);
      expect(encodeOpenSsh(k.publicKey, comment) + '\n').toBe(line);
      const fp = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`])
        .toString('utf8')
        .split(' ')[1];
      expect(opensshFingerprint(k.publicKey)).toBe(fp);
      // Our PEM export of the same key is what `ssh-keygen -e -m PKCS8` would produce, if it
      // supported Ed25519 (OpenSSH 9.2 does not); check it through openssl instead.
      const pubPath = tmp('ssh.pem');
      writeFileSync(pubPath, encodeSpkiPem(k.publicKey));
      expect(openssl('pkey', '-pubin', '-in', pubPath, '-outform', 'DER').subarray(12).toString('hex')).toBe(
        toHex(k.publicKey),
      );
    }
  });

  it('names other ssh-keygen key types', () => {
    for (const [type, algorithm] of [
      ['rsa', 'RSA'],
      ['ecdsa', 'ECDSA P-256'],
    ] as const) {
      const path = tmp(`id_${type}`);
      run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '1024'] : []), '-N', '', '-C', '', '-f', path]);
      expectInvalid(readFileSync(`${path}.pub`, 'utf8'), 'UNSUPPORTED_ALGORITHM', algorithm);
      expectInvalid(readFileSync(path, 'utf8'), 'OPENSSH_PRIVATE_KEY');
    }
  });

  it('parses the SSH wire blob strictly', () => {
    const pub = publicKeyFromSeed(sha256(utf8('ssh')));
    const blob = opensshBlob(pub);
    expect(toHex(blob.subarray(0, 15))).toBe('0000000b7373682d65643235353139');
    const line = (b: Uint8Array, type = 'ssh-ed25519') => `${type} ${toBase64(b)} c`;
    expect(parseKey(line(blob)).publicKey).toEqual(pub);
    expectInvalid(line(concatBytes(blob, Uint8Array.of(0))), 'OPENSSH_MALFORMED'); // trailing byte
    expectInvalid(line(blob.subarray(0, 50)), 'OPENSSH_MALFORMED'); // truncated
    const wrongType = blob.slice();
    wrongType.set(utf8('ssh-ed25518'), 4);
    expectInvalid(line(wrongType), 'OPENSSH_MALFORMED');
    const wrongLen = blob.slice();
    wrongLen[18] = 31;
    expectInvalid(line(wrongLen), 'OPENSSH_MALFORMED');
    expectInvalid(
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFnQp7K8UB8rAKD4LCCQGaVrgq/yy3LP9Gph2kLSQi/J\nssh-ed25519 AAAA',
      'UNRECOGNIZED',
    );
    expectInvalid('ssh-ed25519', 'OPENSSH_MALFORMED');
    expectInvalid('ssh-ed25519 !!!!', 'OPENSSH_MALFORMED');
    expectInvalid(line(blob, 'ssh-ed25519-cert-v01@openssh.com'), 'UNSUPPORTED_ALGORITHM');
    expectInvalid(line(blob, 'sk-ssh-ed25519@openssh.com'), 'UNSUPPORTED_ALGORITHM');
    expect(() => encodeOpenSsh(pub, 'two\nlines')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

// ── raw keys ─────────────────────────────────────────────────────────────────────────────

describe('raw keys', () => {
  const pub = publicKeyFromSeed(sha256(utf8('raw')));
  it('parses 64 hex digits (either case) and 44-character base64', () => {
    expect(parseKey(toHex(pub))).toEqual({ algorithm: 'ed25519', publicKey: pub, source: 'raw-hex' });
    expect(parseKey(toHex(pub).toUpperCase()).source).toBe('raw-hex');
    expect(parseKey(`  ${toBase64(pub)}\n`)).toEqual({ algorithm: 'ed25519', publicKey: pub, source: 'raw-base64' });
  });
  it('rejects wrong lengths and non-canonical base64', () => {
    expectInvalid(toHex(pub).slice(2), 'RAW_LENGTH');
    expectInvalid(toHex(pub) + '00', 'RAW_LENGTH');
    expectInvalid(toBase64(concatBytes(pub, Uint8Array.of(1))), 'RAW_LENGTH');
    expectInvalid(toBase64(pub.subarray(0, 31)), 'RAW_LENGTH');
    expectInvalid(toBase64(pub).replace('=', ''), 'UNRECOGNIZED');
    expectInvalid('', 'EMPTY');
    expectInvalid('   \n', 'EMPTY');
    expectInvalid('hello world', 'UNRECOGNIZED');
    expectInvalid('toString AAAA', 'UNRECOGNIZED');
    expectInvalid('__proto__ AAAA', 'UNRECOGNIZED');
  });
  it('applies the ED25519_RULESET key rules', () => {
    expectInvalid('0100000000000000000000000000000000000000000000000000000000000000', 'A_SMALL_ORDER');
    expectInvalid('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'A_SMALL_ORDER');
    expectInvalid('0200000000000000000000000000000000000000000000000000000000000000', 'A_NOT_ON_CURVE');
    expectInvalid('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'A_NOT_CANONICAL');
    expectInvalid(
      toBase64(fromHex('0100000000000000000000000000000000000000000000000000000000000000')),
      'A_SMALL_ORDER',
    );
  });
  it('bounds the input size', () => {
    const e = keyError(() => parseKey('A'.repeat(MAX_KEY_TEXT_LENGTH + 1)));
    expect(e.code).toBe('INPUT_TOO_LARGE');
  });
});

// ── note verifier keys ───────────────────────────────────────────────────────────────────

interface GoNoteVectors {
  keys: Record<string, { verifierKey: string }>;
  verifierKeyParsing: Array<{ vkey: string; expected: 'valid' | 'reject' }>;
}
const go = readVectorJson<GoNoteVectors>('signed-note', 'golang-x-mod-note-vectors.json');

describe('C2SP note verifier keys', () => {
  it('runs the 4 golang.org/x/mod vkey parsing cases', () => {
    const outcomes = go.verifierKeyParsing.map((c) => {
      try {
        parseKey(c.vkey);
        return 'valid';
      } catch (e) {
        expect((e as ProofdeskError).code).toBe('KEY_INVALID');
        return 'reject';
      }
    });
    expect(outcomes).toEqual(go.verifierKeyParsing.map((c) => c.expected));
    expect(outcomes).toEqual(['valid', 'reject', 'reject', 'reject']);
    // and for the right reasons
    expectInvalid(go.verifierKeyParsing[1]!.vkey, 'VKEY_MALFORMED');
    expectInvalid(go.verifierKeyParsing[2]!.vkey, 'VKEY_UNKNOWN_TYPE');
    expectInvalid(go.verifierKeyParsing[3]!.vkey, 'VKEY_KEY_ID_MISMATCH');
  });

  it('parses vkeys and re-encodes them exactly', () => {
    const vkeys = [
      go.keys.PeterNeumann!.verifierKey,
      go.keys.EnochRoot!.verifierKey,
      'astra+cad5a3d2+AZJqeuyE/GnknsCNh1eCtDtwdAwKBddOlS8M2eI1Jt4b',
      // The base64 part contains '+': only the first two '+' separate fields.
      'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8',
    ];
    for (const v of vkeys) {
      const k = parseKey(v);
      expect(k.source).toBe('note-vkey');
      expect(k.noteSigType).toBe(NOTE_SIG_ED25519);
      expect(encodeNoteVerifierKey(k.name!, k.publicKey)).toBe(v);
      expect(noteKeyId(k.name!, NOTE_SIG_ED25519, k.publicKey)).toBe(k.noteKeyId);
    }
    expect(parseKey(vkeys[0]!).noteKeyId).toBe(0xc74f20a3);
    expect(parseKey(vkeys[3]!).name).toBe('sum.golang.org');
    // Upper-case key IDs are accepted, as x/mod does.
    expect(parseKey(vkeys[0]!.replace('c74f20a3', 'C74F20A3')).noteKeyId).toBe(0xc74f20a3);
  });

  it('handles cosignature (0x04) vkeys and unknown types', () => {
    const pub = publicKeyFromSeed(sha256(utf8('witness')));
    const v = encodeNoteVerifierKey('witness.example/w1', pub, NOTE_SIG_COSIGNATURE_V1);
    const k = parseNoteVerifierKey(v);
    expect(k.noteSigType).toBe(NOTE_SIG_COSIGNATURE_V1);
    expect(k.noteKeyId).toBe(noteKeyId('witness.example/w1', 4, pub));
    expect(k.noteKeyId).not.toBe(noteKeyId('witness.example/w1', 1, pub));
    for (const type of [NOTE_SIG_ECDSA, NOTE_SIG_RFC6962, 0x06, 0x7f]) {
      const e = keyError(() => parseKey(encodeNoteVerifierKey('x.example', pub, type)));
      expect(e.detail).toEqual({ reason: 'VKEY_UNKNOWN_TYPE', sigType: type });
    }
    // ECDSA verifier keys are refused as Ed25519 keys by their type, whatever their key ID says.
    const ecdsa = keyError(() => parseKey('rekor.example+00000000+AjBZ'));
    expect(ecdsa.detail).toEqual({ reason: 'VKEY_UNKNOWN_TYPE', sigType: NOTE_SIG_ECDSA });
    expect(ecdsa.message).toMatch(/other logs' checkpoints/);
  });

  it('rejects malformed vkeys', () => {
    const pub = publicKeyFromSeed(sha256(utf8('vkey')));
    const good = encodeNoteVerifierKey('log.example', pub);
    const [name, id, key] = [
      good.slice(0, good.indexOf('+')),
      good.split('+')[1]!,
      good.slice(good.indexOf('+', good.indexOf('+') + 1) + 1),
    ];
    expect(`${name}+${id}+${key}`).toBe(good);
    expectInvalid(`${name}+${id}`, 'VKEY_MALFORMED');
    expectInvalid(`${name}+${id.slice(1)}+${key}`, 'VKEY_MALFORMED');
    expectInvalid(`${name}+0x${id.slice(2)}+${key}`, 'VKEY_MALFORMED');
    expectInvalid(`+${id}+${key}`, 'VKEY_NAME_INVALID');
    // Checked in x/mod's order: the key ID first (over the bytes given), then type and length.
    expectInvalid(`${name}+${id}+${key.slice(0, -4)}`, 'VKEY_KEY_ID_MISMATCH');
    const short = concatBytes(Uint8Array.of(1), pub.subarray(0, 30));
    expectInvalid(
      `${name}+${noteKeyId(name, 1, short.subarray(1)).toString(16).padStart(8, '0')}+${toBase64(short)}`,
      'VKEY_MALFORMED',
    );
    expectInvalid(`${name}+${id}+${key}=`, 'VKEY_MALFORMED'); // not strict base64
    expectInvalid(`PRIVATE+KEY+${name}+${id}+${key}`, 'NOTE_SIGNER_KEY');
    // A small-order key with a correct key ID is still refused.
    const small = fromHex('0100000000000000000000000000000000000000000000000000000000000000');
    const smallVkey = `bad.example+${noteKeyId('bad.example', 1, small).toString(16).padStart(8, '0')}+${toBase64(concatBytes(Uint8Array.of(1), small))}`;
    expectInvalid(smallVkey, 'A_SMALL_ORDER');
    expect(() => encodeNoteVerifierKey('has space', pub)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => encodeNoteVerifierKey('has+plus', pub)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => encodeNoteVerifierKey('', pub)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('computes key IDs as SHA-256(name || 0x0A || type || key)[:4]', () => {
    const pub = fromHex(toHex(parseKey(go.keys.PeterNeumann!.verifierKey).publicKey));
    const h = sha256(concatBytes(utf8('PeterNeumann'), Uint8Array.of(0x0a, 0x01), pub));
    expect(noteKeyId('PeterNeumann', NOTE_SIG_ED25519, pub)).toBe(
      ((h[0]! << 24) >>> 0) + (h[1]! << 16) + (h[2]! << 8) + h[3]!,
    );
    expect(noteKeyId('PeterNeumann', NOTE_SIG_ED25519, pub)).toBe(0xc74f20a3);
  });
});

describe('robustness', () => {
  it('every single-character mutation of every format either parses or throws a ProofdeskError', () => {
    const seed = sha256(utf8('mutations'));
    const pub = publicKeyFromSeed(seed);
    const inputs = [
      encodeSpkiPem(pub),
      encodePkcs8Pem(seed),
      encodeOpenSsh(pub, 'c'),
      encodeNoteVerifierKey('n.example', pub),
      toHex(pub),
      toBase64(pub),
    ];
    const replacements = ['A', '+', ' ', '\n', '-', '0', '=', '\u2014'];
    let runs = 0;
    for (const input of inputs) {
      for (let i = 0; i < input.length; i++) {
        for (const r of replacements) {
          const text = input.slice(0, i) + r + input.slice(i + 1);
          try {
            parseKey(text);
          } catch (e) {
            if (!(e instanceof ProofdeskError) || e.code !== 'KEY_INVALID') throw e;
          }
          runs++;
        }
        // truncation at every position
        try {
          parseKey(input.slice(0, i));
        } catch (e) {
          if (!(e instanceof ProofdeskError) || e.code !== 'KEY_INVALID') throw e;
        }
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(2000);
  });
});
