/**
 * The signature lines of one checkpoint note, each judged by the trusted key its key ID names and
 * only in that key's role (shared/tlog/checkpoint-verify.ts): a log signature (type 0x01) by a
 * 'log' key, a cosignature (type 0x04) by a 'witness' key; a trusted key in another role is
 * reported and not counted; any other line is recognised as a bundle key or left unknown.
 */
import { keyFingerprint, NOTE_SIG_COSIGNATURE_V1, NOTE_SIG_ED25519, noteKeyId } from '../keys/keys.js';
import { hasRole, type TrustedKey } from '../keys/trust.js';
import { type Finding, finding, type Location } from '../verdict/findings.js';
import type { SignatureReport } from '../verdict/result.js';
import { verifyCosignatureSignature } from './cosignature.js';
import type { Ed25519VerifyFn, NoteSignature } from './note.js';

function keyIdHex(id: number): string {
  return (id >>> 0).toString(16).padStart(8, '0');
}

/** The trusted keys a line's key ID names as a signature of `type`: one key-ID hash per key and type. */
function keysNamed(trusted: readonly TrustedKey[], sig: NoteSignature, type: number): TrustedKey[] {
  return trusted.filter((k) => noteKeyId(sig.name, type, k.publicKey) === sig.keyId);
}

/** A trusted key that signed outside its role, and what it signed as. */
interface WrongRole {
  readonly key: TrustedKey;
  readonly kind: 'log' | 'cosignature';
  readonly signedAs: 'log' | 'witness';
}

/** Judges a note's signature lines in order; the findings go to the list it is given. */
export class SignatureLines {
  readonly signatures: SignatureReport[] = [];
  /** Verified log signatures by trusted log keys. */
  logVerified = 0;
  /** A signature by a trusted key in its role failed: the checkpoint is rejected. */
  failedTrusted = false;

  constructor(
    private readonly ctx: { readonly trusted: readonly TrustedKey[]; readonly bundleKeys: readonly Uint8Array[] },
    private readonly verify: Ed25519VerifyFn,
    private readonly textBytes: Uint8Array,
    private readonly loc: Location,
    private readonly findings: Finding[],
  ) {}

  judge(sig: NoteSignature): void {
    const id = keyIdHex(sig.keyId);
    const asEd25519 = keysNamed(this.ctx.trusted, sig, NOTE_SIG_ED25519);
    const asCosigner = keysNamed(this.ctx.trusted, sig, NOTE_SIG_COSIGNATURE_V1);
    const asLog = asEd25519.find((k) => hasRole(k, 'log'));
    if (asLog) return this.logSignature(sig, id, asLog);
    const asWitness = asCosigner.find((k) => hasRole(k, 'witness'));
    if (asWitness) return this.cosignature(sig, id, asWitness);
    // A trusted key outside its role: not verified (nothing it signs here could count), reported.
    const wrong: WrongRole | undefined = asEd25519[0]
      ? { key: asEd25519[0], kind: 'log', signedAs: 'log' }
      : asCosigner[0]
        ? { key: asCosigner[0], kind: 'cosignature', signedAs: 'witness' }
        : undefined;
    if (wrong) return this.wrongRole(sig, id, wrong);
    const shipped = this.ctx.bundleKeys.find(
      (pk) =>
        noteKeyId(sig.name, NOTE_SIG_ED25519, pk) === sig.keyId ||
        noteKeyId(sig.name, NOTE_SIG_COSIGNATURE_V1, pk) === sig.keyId,
    );
    this.signatures.push(
      shipped
        ? { name: sig.name, keyId: id, kind: 'unknown', status: 'bundle-key', fingerprint: keyFingerprint(shipped) }
        : { name: sig.name, keyId: id, kind: 'unknown', status: 'unknown-key' },
    );
  }

  private logSignature(sig: NoteSignature, id: string, key: TrustedKey): void {
    const ok = sig.signature.length === 64 && this.verify(key.publicKey, this.textBytes, sig.signature);
    this.signatures.push({
      name: sig.name,
      keyId: id,
      kind: 'log',
      status: ok ? 'verified' : 'failed',
      fingerprint: key.fingerprint,
    });
    if (ok) {
      this.logVerified++;
      return;
    }
    this.failedTrusted = true;
    this.findings.push(
      finding(
        'SIGNATURE_INVALID',
        this.loc,
        `signature line ${sig.line} by trusted key ${sig.name} does not verify; the checkpoint is rejected`,
        { fingerprint: key.fingerprint, line: sig.line },
      ),
    );
  }

  private cosignature(sig: NoteSignature, id: string, key: TrustedKey): void {
    const r = verifyCosignatureSignature(key.publicKey, this.textBytes, sig.signature, this.verify);
    if (!r.ok) {
      this.failedTrusted = true;
      this.signatures.push({
        name: sig.name,
        keyId: id,
        kind: 'cosignature',
        status: 'failed',
        fingerprint: key.fingerprint,
      });
      this.findings.push(
        finding(
          'SIGNATURE_INVALID',
          this.loc,
          `cosignature line ${sig.line} by trusted witness ${sig.name} does not verify; the checkpoint is rejected`,
          { fingerprint: key.fingerprint, line: sig.line },
        ),
      );
      return;
    }
    this.signatures.push({
      name: sig.name,
      keyId: id,
      kind: 'cosignature',
      status: 'verified',
      fingerprint: key.fingerprint,
      ...(r.timestamp !== undefined ? { time: r.timestamp } : {}),
    });
    this.findings.push(
      finding(
        'COSIGNATURE_VALID',
        this.loc,
        r.timestamp !== undefined
          ? `witness ${sig.name} cosigned this checkpoint at ${new Date(r.timestamp * 1000).toISOString()}`
          : `witness ${sig.name} cosigned this checkpoint with the timestamp ${r.timestampDecimal}, after the year 9999: it dates nothing`,
        { fingerprint: key.fingerprint, time: r.timestamp ?? r.timestampDecimal },
      ),
    );
  }

  private wrongRole(sig: NoteSignature, id: string, wrong: WrongRole): void {
    this.signatures.push({
      name: sig.name,
      keyId: id,
      kind: wrong.kind,
      status: 'wrong-role',
      fingerprint: wrong.key.fingerprint,
    });
    this.findings.push(
      finding(
        'KEY_WRONG_ROLE',
        this.loc,
        `${wrong.kind === 'log' ? 'signature' : 'cosignature'} line ${sig.line} (${sig.name}) is made as a ${wrong.signedAs} by key ${wrong.key.fingerprint.slice(0, 16)}…, which is trusted only as ${wrong.key.roles.join(', ')}; it is not counted`,
        {
          fingerprint: wrong.key.fingerprint,
          line: sig.line,
          signedAs: wrong.signedAs,
          trustedAs: wrong.key.roles.join(','),
        },
      ),
    );
  }
}
