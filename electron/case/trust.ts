/**
 * The case trust store: which keys the examiner trusts, in which role, for which log origin,
 * during which window, and which have been revoked (docs/case-file.md §5). Grants and
 * revocations are append-only rows, each with its journal row; a verification run in the case
 * turns them into TrustedKey values (roles, validFrom / validUntil / revokedAt), which the
 * engine applies to every signature (KEY_WRONG_ROLE, KEY_NOT_VALID_AT_TIME, KEY_REVOKED).
 *
 * A grant for an origin is used only for bundles of that origin (trustedKeysFor); a grant with
 * no origin is used for any.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareInstants, parseTimestamp } from '../../shared/bundle/entry.js';
import { fromHex, toHex } from '../../shared/encoding/bytes.js';
import { keyFingerprint } from '../../shared/keys/keys.js';
import { isKeyRole, KEY_ROLES, type KeyRole, type TrustedKey, unionRoles } from '../../shared/keys/trust.js';
import type { TrustGrant } from '../../shared/protocol/case-records.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { loadTrustedKey } from '../keys/trust-files.js';
import type { CaseFile } from './case-file.js';
import { nextId } from './db.js';
import { type EvidenceRecord, importEvidence } from './evidence.js';

export type { TrustGrant };

export interface Revocation {
  readonly id: number;
  readonly fingerprint: string;
  readonly revokedAt: string;
  readonly reason: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly journalSeq: number;
}

export interface TrustInput {
  readonly publicKey: Uint8Array;
  readonly keyName?: string;
  readonly label: string;
  readonly origin?: string;
  /** Default 'log'. */
  readonly role?: KeyRole;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly sourceEvidenceId?: number;
}

function checkTime(v: string | undefined, what: string): void {
  if (v !== undefined && !parseTimestamp(v))
    throw new ProofdeskError(
      'USAGE',
      `${what} must be an RFC 3339 UTC time of the form YYYY-MM-DDTHH:MM:SS[.F]Z, got ${JSON.stringify(v)}`,
    );
}

/** Checks the window, origin, role and label of a grant (USAGE errors). */
function checkGrant(t: {
  validFrom?: string;
  validUntil?: string;
  origin?: string;
  label?: string;
  role?: string;
}): void {
  if (t.role !== undefined && !isKeyRole(t.role))
    throw new ProofdeskError('USAGE', `a key role is one of ${KEY_ROLES.join(', ')}, got ${JSON.stringify(t.role)}`);
  checkTime(t.validFrom, '--valid-from');
  checkTime(t.validUntil, '--valid-until');
  if (t.validFrom && t.validUntil && compareInstants(parseTimestamp(t.validFrom)!, parseTimestamp(t.validUntil)!) > 0) {
    throw new ProofdeskError('USAGE', 'the validity window ends before it starts');
  }
  if (t.origin !== undefined && (t.origin === '' || /[\n\r]/.test(t.origin)))
    throw new ProofdeskError('USAGE', 'an origin is a non-empty single line');
  if (t.label !== undefined && t.label.trim() === '') throw new ProofdeskError('USAGE', 'a trusted key needs a label');
}

function findGrant(
  cf: CaseFile,
  fingerprint: string,
  origin: string | undefined,
  role: KeyRole,
): { id: number } | undefined {
  return cf.db
    .prepare("SELECT id FROM trusted_keys WHERE fingerprint = ? AND ifnull(origin, '') = ? AND role = ?")
    .get(fingerprint, origin ?? '', role) as { id: number } | undefined;
}

function alreadyTrusted(fingerprint: string, origin: string | undefined, role: KeyRole, id: number): ProofdeskError {
  return new ProofdeskError(
    'USAGE',
    `key ${fingerprint.slice(0, 16)}… is already trusted as a ${role} key ${origin ? `for ${origin}` : 'for any origin'} (grant #${id})`,
  );
}

/** Records a trust grant. The same key can be trusted once per origin (and once for "any origin") and role. */
export function trustKey(cf: CaseFile, t: TrustInput): TrustGrant {
  if (t.publicKey.length !== 32) throw new ProofdeskError('KEY_INVALID', 'an Ed25519 public key is 32 bytes');
  checkGrant(t);
  const role = t.role ?? 'log';
  const fingerprint = keyFingerprint(t.publicKey);
  const id = cf.write(() => {
    const dup = findGrant(cf, fingerprint, t.origin, role);
    if (dup) throw alreadyTrusted(fingerprint, t.origin, role, dup.id);
    const id = nextId(cf.db, 'trusted_keys');
    const at = cf.now();
    const j = cf.journal(
      {
        action: 'key.trusted',
        details: {
          keyId: id,
          fingerprint,
          algorithm: 'ed25519',
          publicKey: toHex(t.publicKey),
          keyName: t.keyName ?? null,
          label: t.label,
          origin: t.origin ?? null,
          role,
          validFrom: t.validFrom ?? null,
          validUntil: t.validUntil ?? null,
          sourceEvidenceId: t.sourceEvidenceId ?? null,
        },
      },
      at,
    );
    cf.db
      .prepare(
        'INSERT INTO trusted_keys (id, fingerprint, algorithm, public_key, key_name, label, origin, role, valid_from, valid_until, source_evidence_id, trusted_at, trusted_by, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        fingerprint,
        'ed25519',
        toHex(t.publicKey),
        t.keyName ?? null,
        t.label,
        t.origin ?? null,
        role,
        t.validFrom ?? null,
        t.validUntil ?? null,
        t.sourceEvidenceId ?? null,
        at,
        cf.actor,
        j.seq,
      );
    return id;
  });
  return listTrust(cf).find((g) => g.id === id)!;
}

/**
 * Trusts a key given as a file (imported as evidence of kind 'key' first, so the case keeps
 * the material the trust rests on) or inline (a C2SP verifier key or raw key). The role is the
 * key's own when it is a typed verifier key (0x01 log, 0x04 witness), else the one given, else
 * 'log'; a role that contradicts the key's type is refused (electron/keys/trust-files.ts).
 */
export function trustKeyFrom(
  cf: CaseFile,
  arg: string,
  cwd: string,
  opts: Omit<TrustInput, 'publicKey' | 'label' | 'sourceEvidenceId'> & { label?: string },
): { grant: TrustGrant; evidence?: EvidenceRecord } {
  // Everything that can be refused is checked before the key file is copied into the case.
  checkGrant(opts);
  const k = loadTrustedKey(opts.role !== undefined ? { arg, role: opts.role } : arg, cwd);
  const role = k.roles[0]!;
  const dup = findGrant(cf, k.fingerprint, opts.origin, role);
  if (dup) throw alreadyTrusted(k.fingerprint, opts.origin, role, dup.id);
  let evidence: EvidenceRecord | undefined;
  const path = resolve(cwd, arg);
  if (existsSync(path) && statSync(path).isFile()) evidence = importEvidence(cf, path, { kind: 'key' }).evidence;
  const grant = trustKey(cf, {
    publicKey: k.publicKey,
    ...(k.name ? { keyName: k.name } : {}),
    label: opts.label ?? k.label ?? k.fingerprint.slice(0, 16),
    role,
    ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
    ...(opts.validFrom !== undefined ? { validFrom: opts.validFrom } : {}),
    ...(opts.validUntil !== undefined ? { validUntil: opts.validUntil } : {}),
    ...(evidence ? { sourceEvidenceId: evidence.id } : {}),
  });
  return { grant, ...(evidence ? { evidence } : {}) };
}

/** Finds trusted fingerprints by full fingerprint or a prefix of at least 8 hex digits. */
export function resolveFingerprint(cf: CaseFile, ref: string): string {
  const r = ref.toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(r))
    throw new ProofdeskError('USAGE', `${JSON.stringify(ref)} is not a key fingerprint (8 to 64 hex digits)`);
  const fps = (
    cf.db.prepare('SELECT DISTINCT fingerprint FROM trusted_keys WHERE fingerprint LIKE ?').all(`${r}%`) as Array<{
      fingerprint: string;
    }>
  ).map((x) => x.fingerprint);
  if (fps.length === 0) throw new ProofdeskError('USAGE', `no trusted key with fingerprint ${ref}`);
  if (fps.length > 1) throw new ProofdeskError('USAGE', `fingerprint prefix ${ref} matches ${fps.length} keys`);
  return fps[0]!;
}

/** Revokes a trusted key from `revokedAt` on (every grant of that fingerprint). */
export function revokeKey(cf: CaseFile, fingerprintRef: string, r: { revokedAt: string; reason?: string }): Revocation {
  checkTime(r.revokedAt, 'the revocation time');
  const id = cf.write(() => {
    const fingerprint = resolveFingerprint(cf, fingerprintRef);
    const id = nextId(cf.db, 'key_revocations');
    const at = cf.now();
    const j = cf.journal(
      {
        action: 'key.revoked',
        details: { revocationId: id, fingerprint, revokedAt: r.revokedAt, reason: r.reason ?? null },
      },
      at,
    );
    cf.db
      .prepare(
        'INSERT INTO key_revocations (id, fingerprint, revoked_at, reason, recorded_at, recorded_by, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, fingerprint, r.revokedAt, r.reason ?? null, at, cf.actor, j.seq);
    return id;
  });
  return listRevocations(cf).find((x) => x.id === id)!;
}

export function listRevocations(cf: CaseFile): Revocation[] {
  return (cf.db.prepare('SELECT * FROM key_revocations ORDER BY id').all() as Array<Record<string, unknown>>).map(
    (r) => ({
      id: r.id as number,
      fingerprint: r.fingerprint as string,
      revokedAt: r.revoked_at as string,
      reason: (r.reason as string | null) ?? null,
      recordedAt: r.recorded_at as string,
      recordedBy: r.recorded_by as string,
      journalSeq: r.journal_seq as number,
    }),
  );
}

/** The earliest revocation instant per fingerprint. */
function revocationTimes(cf: CaseFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of listRevocations(cf)) {
    const prev = out.get(r.fingerprint);
    const prevTime = prev === undefined ? undefined : parseTimestamp(prev);
    if (prev !== undefined && !prevTime) continue; // already unreadable: stays so
    const t = parseTimestamp(r.revokedAt);
    // Only a hand-edited database holds an unreadable revocation time. It is passed on as it
    // is, so the window check refuses the key (KEY_WINDOW_INVALID) instead of forgetting it.
    if (!t || !prevTime || compareInstants(t, prevTime) < 0) out.set(r.fingerprint, r.revokedAt);
  }
  return out;
}

export function listTrust(cf: CaseFile): TrustGrant[] {
  const revoked = revocationTimes(cf);
  return (cf.db.prepare('SELECT * FROM trusted_keys ORDER BY id').all() as Array<Record<string, unknown>>).map((r) => ({
    id: r.id as number,
    fingerprint: r.fingerprint as string,
    algorithm: 'ed25519' as const,
    publicKey: r.public_key as string,
    keyName: (r.key_name as string | null) ?? null,
    label: r.label as string,
    origin: (r.origin as string | null) ?? null,
    // A case opened read-only before its v3 migration has no role column: its grants are 'log' (schema.ts v3).
    role: isKeyRole(r.role) ? r.role : 'log',
    validFrom: (r.valid_from as string | null) ?? null,
    validUntil: (r.valid_until as string | null) ?? null,
    sourceEvidenceId: (r.source_evidence_id as number | null) ?? null,
    trustedAt: r.trusted_at as string,
    trustedBy: r.trusted_by as string,
    journalSeq: r.journal_seq as number,
    revokedAt: revoked.get(r.fingerprint as string) ?? null,
  }));
}

/**
 * The trust material for a log with origin `origin`: every grant for that origin or for any
 * origin — never a grant for another origin — with its window and revocation. Grants of one key
 * in several roles give one TrustedKey with all those roles. Where a key has grants both for the
 * origin and for any origin, the origin-specific ones decide its window; the window of its log
 * grant is preferred, since windows are judged on log signatures.
 */
export function trustedKeysFor(cf: CaseFile, origin: string): TrustedKey[] {
  const byKey = new Map<string, TrustGrant[]>();
  for (const g of listTrust(cf)) {
    if (g.origin !== null && g.origin !== origin) continue;
    byKey.set(g.fingerprint, [...(byKey.get(g.fingerprint) ?? []), g]);
  }
  return [...byKey.values()].map((grants) => {
    const specific = grants.filter((g) => g.origin !== null);
    const pool = specific.length > 0 ? specific : grants;
    const g = pool.find((x) => x.role === 'log') ?? pool[0]!;
    const roles = grants.reduce<KeyRole[]>((acc, x) => unionRoles(acc, [x.role]), []);
    const publicKey = fromHex(g.publicKey);
    return {
      publicKey,
      fingerprint: keyFingerprint(publicKey),
      roles,
      ...(g.keyName ? { name: g.keyName } : {}),
      label: g.label,
      ...(g.validFrom ? { validFrom: g.validFrom } : {}),
      ...(g.validUntil ? { validUntil: g.validUntil } : {}),
      ...(g.revokedAt ? { revokedAt: g.revokedAt } : {}),
    };
  });
}
