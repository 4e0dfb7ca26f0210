/**
 * Single-file inputs of the signed-note family:
 *  - a C2SP signed note (c2sp.org/signed-note), judged against the trusted keys; when its
 *    text is a tlog-checkpoint body it is judged as a checkpoint (Ed25519, static-CT 0x05 or
 *    Rekor ECDSA signatures), otherwise as a note. An unsigned checkpoint body is parsed and
 *    reported as carrying no trusted signature.
 *  - a C2SP tlog-proof file (c2sp.org/tlog-proof): the checkpoint is judged, and with the logged
 *    entry (`--entry`) the inclusion proof is verified against the signed size and root. A proof
 *    that fails for an entry it carries in `extra` is wrong (PROOF_INVALID); one that proves its
 *    `extra` while the given entry differs shows the entry is not the one logged.
 * Neither holds a log's entries, so the result has no entries (note) or one (the proved entry).
 */
import { basename, dirname } from 'node:path';
import { ECDSA_P256_RULESET } from '../../../shared/crypto/ecdsa.js';
import { ED25519_RULESET } from '../../../shared/crypto/ed25519.js';
import { tryDecodeUtf8 } from '../../../shared/encoding/bytes.js';
import { NOTE_SIG_ECDSA, NOTE_SIG_ED25519, NOTE_SIG_RFC6962, noteKeyId } from '../../../shared/keys/keys.js';
import { hasRole } from '../../../shared/keys/trust.js';
import { applyKeyValidity, windowsOf } from '../../../shared/keys/validity.js';
import { parseCheckpointBody } from '../../../shared/tlog/checkpoint.js';
import { checkpointOriginOf, type ExtraNoteKey, judgeCheckpoint } from '../../../shared/tlog/checkpoints.js';
import { hashLeaf } from '../../../shared/tlog/merkle/hash.js';
import { MAX_NOTE_SIZE, type NoteVerifier, openNote, parseNote } from '../../../shared/tlog/note.js';
import { MAX_PROOF_FILE_BYTES, parseProofFile, verifyProof } from '../../../shared/tlog/proof-file.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type Finding, finding } from '../../../shared/verdict/findings.js';
import { buildFormatResult, checkSummary, type EntryStatus } from '../../../shared/verdict/format-result.js';
import type {
  BundleFileReport,
  CheckpointReport,
  ProofReport,
  SignatureReport,
} from '../../../shared/verdict/result.js';
import { openBundle } from '../../platform/bundle-source.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { TOOL_VERSION } from '../../platform/version.js';
import { type AdapterOptions, type AdapterOutput, readIn, runOf, signaturePaths } from './common.js';
import { keysInRole, trustReports } from './trust.js';

/** Reads a single input file through the same path rules as bundles (its directory is the root). */
function readSingle(
  path: string,
  max: number,
  role: BundleFileReport['role'],
): { bytes: Buffer; report: BundleFileReport } {
  const source = openBundle(dirname(path));
  const r = readIn(source, basename(path), max, role);
  if (r.kind === 'ok') return r;
  if (r.kind === 'too-large')
    throw new ProofdeskError('INPUT_TOO_LARGE', `${basename(path)} is ${r.size} bytes; the limit is ${max}`);
  throw new ProofdeskError('INPUT_UNREADABLE', r.kind === 'unsafe' ? r.detail : `${basename(path)} not found`);
}

/** ECDSA log keys as note signers: a PEM key may sign either way, a verifier key only as its type says. */
function extraKeysFor(a: AdapterOptions, origin: string): ExtraNoteKey[] {
  return keysInRole(a.trust, 'log').flatMap((k) => {
    if (k.key.kind !== 'ecdsa-p256') return [];
    const out: ExtraNoteKey[] = [];
    if (k.note === undefined || k.note.sigType === NOTE_SIG_RFC6962)
      out.push({ kind: 'rfc6962-note', key: k.key, name: k.note?.name ?? origin, label: k.label });
    if (k.note === undefined || k.note.sigType === NOTE_SIG_ECDSA)
      out.push({ kind: 'rekor-ecdsa', key: k.key, label: k.label });
    return out;
  });
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Judges a note that is not a checkpoint: the signed-note rules, with Ed25519 keys matched by key ID under each line's name. */
function judgePlainNote(
  file: string,
  bytes: Uint8Array,
  a: AdapterOptions,
  verify: (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => boolean,
): { report: CheckpointReport; findings: Finding[] } {
  const parsed = parseNote(bytes);
  const findings: Finding[] = [];
  if (!parsed.ok) {
    findings.push(
      finding('CHECKPOINT_MALFORMED', { file }, `not a valid signed note: ${parsed.detail}`, {
        reason: parsed.reason,
        ...(parsed.line ? { line: parsed.line } : {}),
      }),
    );
    return { report: { file, status: 'malformed', rootStatus: 'not-checked', signatures: [] }, findings };
  }
  // One verifier per (line name, trusted key): a key given without a name still binds the name through the key ID.
  const verifiers = new Map<string, NoteVerifier & { fingerprint: string }>();
  for (const s of parsed.signatures) {
    // A note signature (type 0x01) is a log key's, as for checkpoints.
    for (const k of a.trust.ed25519.filter((x) => hasRole(x, 'log'))) {
      const keyId = noteKeyId(s.name, NOTE_SIG_ED25519, k.publicKey);
      const id = `${keyId}:${s.name}`;
      if (!verifiers.has(id))
        verifiers.set(id, {
          name: s.name,
          keyId,
          fingerprint: k.fingerprint,
          verify: (m, sig) => sig.length === 64 && verify(k.publicKey, m, sig),
        });
    }
  }
  const opened = openNote(bytes, [...verifiers.values()]);
  const byLine = new Map<number, SignatureReport>();
  for (const s of parsed.signatures)
    byLine.set(s.line, { name: s.name, keyId: hex8(s.keyId), kind: 'unknown', status: 'unknown-key' });
  if (opened.ok) {
    for (const v of opened.verified)
      byLine.set(v.signature.line, {
        name: v.signature.name,
        keyId: hex8(v.signature.keyId),
        kind: 'log',
        status: 'verified',
        fingerprint: (v.verifier as NoteVerifier & { fingerprint: string }).fingerprint,
      });
    return {
      report: { file, status: 'trusted', rootStatus: 'not-checked', signatures: [...byLine.values()] },
      findings,
    };
  }
  if (opened.reason === 'SIGNATURE_INVALID' && opened.signature) {
    const s = opened.signature;
    const v = verifiers.get(`${s.keyId}:${s.name}`);
    byLine.set(s.line, {
      name: s.name,
      keyId: hex8(s.keyId),
      kind: 'log',
      status: 'failed',
      ...(v ? { fingerprint: v.fingerprint } : {}),
    });
    findings.push(
      finding(
        'SIGNATURE_INVALID',
        { file },
        `signature line ${s.line} by trusted key ${s.name} does not verify; the note is rejected`,
        { line: s.line, ...(v ? { fingerprint: v.fingerprint } : {}) },
      ),
    );
    return {
      report: { file, status: 'rejected', rootStatus: 'not-checked', signatures: [...byLine.values()] },
      findings,
    };
  }
  findings.push(
    finding('KEY_UNTRUSTED', { file }, 'the note carries no signature by a trusted key', {
      signatures: parsed.signatures.length,
    }),
  );
  return {
    report: { file, status: 'untrusted', rootStatus: 'not-checked', signatures: [...byLine.values()] },
    findings,
  };
}

export async function verifySignedNote(a: AdapterOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  const file = basename(a.input);
  const { bytes, report: fileReport } = readSingle(a.input, MAX_NOTE_SIZE, 'checkpoint');
  const sig = signaturePaths(a.crossCheck);
  const F: Finding[] = [];
  let report: CheckpointReport;
  let origin = a.origin ?? '';
  let layout: string;
  const note = parseNote(bytes);
  const text = note.ok ? note.text : tryDecodeUtf8(bytes);
  const body = text !== undefined ? parseCheckpointBody(text) : undefined;
  if (body?.ok) {
    origin = a.origin ?? body.origin;
    layout = note.ok ? 'checkpoint note' : 'unsigned checkpoint body';
  } else layout = 'signed note';
  if (note.ok && body?.ok) {
    const j = applyKeyValidity(
      judgeCheckpoint(file, bytes, {
        origin,
        trusted: a.trust.ed25519,
        bundleKeys: [],
        verify: sig.ed25519,
        extraKeys: extraKeysFor(a, origin),
        ecdsa: sig.ecdsa,
      }),
      { windows: windowsOf(a.trust.ed25519) },
    );
    report = j.report;
    F.push(...j.findings);
  } else if (!note.ok && body?.ok) {
    // A checkpoint body with no signature block: it parses, but nothing vouches for it.
    report = {
      file,
      origin: body.origin,
      size: body.size,
      rootHash: Buffer.from(body.rootHash).toString('hex'),
      status: 'untrusted',
      rootStatus: 'not-checked',
      signatures: [],
    };
    if (body.origin !== origin)
      F.push(
        finding(
          'CHECKPOINT_ORIGIN_MISMATCH',
          { file, checkpointSize: body.size },
          `checkpoint origin ${JSON.stringify(body.origin)} is not ${JSON.stringify(origin)}`,
          { expected: origin, actual: body.origin },
        ),
      );
    F.push(
      finding(
        'KEY_UNTRUSTED',
        { file, checkpointSize: body.size },
        `the checkpoint body is not signed (${note.ok ? '' : note.reason})`,
        { reason: note.ok ? 'UNSIGNED' : note.reason },
      ),
    );
  } else if (note.ok && body && !body.ok && /^[^\n]*\n(0|[1-9][0-9]*)\n/.test(note.text)) {
    // Shaped like a checkpoint (origin, then a size) but its body is malformed.
    report = { file, status: 'malformed', rootStatus: 'not-checked', signatures: [] };
    F.push(
      finding('CHECKPOINT_MALFORMED', { file }, `not a valid tlog-checkpoint body: ${body.detail}`, {
        reason: body.reason,
      }),
    );
  } else if (!note.ok && body && !body.ok) {
    report = { file, status: 'malformed', rootStatus: 'not-checked', signatures: [] };
    F.push(
      finding(
        'CHECKPOINT_MALFORMED',
        { file },
        `neither a signed note (${note.reason}) nor a checkpoint body (${body.reason})`,
        { reason: body.reason, noteReason: note.reason },
      ),
    );
  } else {
    const j = applyKeyValidity(judgePlainNote(file, bytes, a, sig.ed25519), { windows: windowsOf(a.trust.ed25519) });
    report = j.report;
    F.push(...j.findings);
  }
  const bad = F.filter((f) => f.severity === 'error').length;
  const result = buildFormatResult({
    format: {
      id: 'signed-note',
      layout,
      signatureRules: [
        ED25519_RULESET,
        ...(a.trust.keys.some((k) => k.key.kind === 'ecdsa-p256') ? [ECDSA_P256_RULESET] : []),
      ],
    },
    toolVersion: TOOL_VERSION,
    name: file,
    container: 'directory',
    origin,
    entryCount: 0,
    entriesBytes: 0,
    files: [fileReport],
    trustedKeys: trustReports(a.trust),
    checkpoints: [report],
    proofs: [],
    findings: F,
    checks: [
      checkSummary('checkpoint-signatures', bad, 1, {
        checkpoints: 1,
        trusted: report.status === 'trusted' ? 1 : 0,
        problems: bad,
      }),
    ],
    evidenceTime: {},
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
  });
  return { run: runOf(result, t0, bytes.length) };
}

export async function verifyTlogProofFile(a: AdapterOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  const file = basename(a.input);
  const { bytes, report: fileReport } = readSingle(a.input, MAX_PROOF_FILE_BYTES, 'proof');
  const sig = signaturePaths(a.crossCheck);
  const F: Finding[] = [];
  const files: BundleFileReport[] = [fileReport];
  const parsed = parseProofFile(bytes);
  let origin = a.origin ?? '';
  const checkpoints: CheckpointReport[] = [];
  const proofs: ProofReport[] = [];
  let status: EntryStatus = { status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' };
  let entryCount = 0;
  if (!parsed.ok) {
    F.push(finding('PROOF_MALFORMED', { file }, `proof file cannot be parsed: ${parsed.reason}`));
    proofs.push({ file, kind: 'unknown', status: 'malformed' });
  } else {
    const p = parsed.proof;
    const cpBytes = p.kind === 'inclusion' ? p.checkpoint : p.checkpoint2;
    origin = a.origin ?? checkpointOriginOf(cpBytes)?.origin ?? '';
    const judged = applyKeyValidity(
      judgeCheckpoint(file, cpBytes, {
        origin,
        trusted: a.trust.ed25519,
        bundleKeys: [],
        verify: sig.ed25519,
        extraKeys: extraKeysFor(a, origin),
        ecdsa: sig.ecdsa,
      }),
      { windows: windowsOf(a.trust.ed25519) },
    );
    checkpoints.push(judged.report);
    if (p.kind === 'inclusion') {
      entryCount = 1;
      F.push(...judged.findings.filter((f) => f.code !== 'COSIGNATURE_VALID'));
      let leaf: Uint8Array | undefined;
      if (a.entry !== undefined) {
        // The entry file holds the logged entry's exact bytes (C2SP entries are opaque).
        const e = readSingle(a.entry, a.maxEntryBytes, 'entries');
        files.push(e.report);
        leaf = hashLeaf(e.bytes, nodeSha256);
      }
      const base = { file, kind: 'inclusion' as const, index: p.index };
      if (!judged.trusted) {
        // Untrusted only by key validity: its finding says why, and the entry stays unverifiable.
        if (!judged.timeLost)
          F.push(
            finding(
              'PROOF_INVALID',
              { file, entry: p.index },
              "the proof's checkpoint is not trusted, so the proof proves nothing",
            ),
          );
        proofs.push({ ...base, status: 'failed' });
      } else if (leaf === undefined) {
        F.push(
          finding(
            'CONTENT_NOT_CHECKED',
            { file, entry: p.index },
            'no --entry was given: the checkpoint was judged, but the inclusion of a known entry was not',
          ),
        );
      } else {
        // The rule bundles apply (shared/tlog/proof-file.ts): judged against the signed size and
        // root only, for the given entry and for the entry the proof may carry in `extra`.
        const out = verifyProof(file, p, {
          origin,
          trusted: a.trust.ed25519,
          bundleKeys: [],
          verify: sig.ed25519,
          leafHash: () => leaf,
          entryCount: p.index + 1,
          extraIsOpaque: true,
          judged: () => judged,
        });
        F.push(...out.findings);
        proofs.push(out.report);
        if (out.report.status === 'verified') status = { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' };
        else if (out.findings.some((f) => f.code === 'PROOF_LEAF_MISMATCH'))
          status = { status: 'failed', reason: 'ENTRY_CHANGED' };
      }
    } else {
      const out = verifyProof(file, p, { origin, trusted: a.trust.ed25519, bundleKeys: [], verify: sig.ed25519 });
      F.push(...out.findings);
      proofs.push(out.report);
    }
  }
  const result = buildFormatResult({
    format: { id: 'tlog-proof', layout: 'c2sp.org/tlog-proof@v1', signatureRules: [ED25519_RULESET] },
    toolVersion: TOOL_VERSION,
    name: file,
    container: 'directory',
    origin,
    entryCount,
    entriesBytes: 0,
    files,
    trustedKeys: trustReports(a.trust),
    checkpoints,
    proofs,
    findings: F,
    entryStatuses: entryCount ? [status] : [],
    checks: [
      checkSummary(
        'checkpoint-signatures',
        checkpoints.filter((c) => c.status !== 'trusted').length,
        checkpoints.length,
        {
          checkpoints: checkpoints.length,
          trusted: checkpoints.filter((c) => c.status === 'trusted').length,
          problems: checkpoints.filter((c) => c.status !== 'trusted').length,
        },
      ),
      checkSummary('proofs', proofs.filter((x) => x.status !== 'verified').length, proofs.length, {
        proofs: proofs.length,
        verified: proofs.filter((x) => x.status === 'verified').length,
      }),
    ],
    evidenceTime: {},
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
  });
  return { run: runOf(result, t0, bytes.length) };
}
