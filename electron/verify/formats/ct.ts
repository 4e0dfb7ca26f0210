/**
 * Certificate Transparency evidence: one signed tree head (`ct-sth`), or a directory of them
 * with saved consistency and inclusion proofs (`ct-log`: `*.sth.json`, `*.consistency.json`,
 * `*.inclusion.json`; shared/formats/ct/evidence.ts). Tree heads are verified with the log's public key
 * given by the examiner (PEM; ECDSA P-256 or RSA). Each inclusion proof's leaf is an entry of
 * the result: verified when its path reaches the root of a verified tree head of the stated size.
 */
import { basename, dirname } from 'node:path';
import { ECDSA_P256_RULESET, RSA_RULESET } from '../../../shared/crypto/ecdsa.js';
import { bytesEqual, toHex } from '../../../shared/encoding/bytes.js';
import { parseJsonBytes } from '../../../shared/encoding/json.js';
import {
  parseConsistencyFile,
  parseInclusionFile,
  parseSth,
  type SignedTreeHead,
  verifySthSignature,
} from '../../../shared/formats/ct/evidence.js';
import { hashLeaf } from '../../../shared/tlog/merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../../../shared/tlog/merkle/proof.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type Finding, finding } from '../../../shared/verdict/findings.js';
import { buildFormatResult, checkSummary, type EntryStatus } from '../../../shared/verdict/format-result.js';
import type { BundleFileReport, CheckpointReport, ProofReport } from '../../../shared/verdict/result.js';
import { type BundleSource, openBundle } from '../../platform/bundle-source.js';
import { verifyRsaSha256Node } from '../../platform/crypto-node.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { TOOL_VERSION } from '../../platform/version.js';
import { type AdapterOptions, type AdapterOutput, readIn, runOf, signaturePaths } from './common.js';
import { keysInRole, trustReports } from './trust.js';

const MAX_JSON = 4 * 1024 * 1024;

export async function verifyCtSth(a: AdapterOptions): Promise<AdapterOutput> {
  return verifyCt(a, openBundle(dirname(a.input)), [basename(a.input)], 'ct-sth', basename(a.input));
}

export async function verifyCtLog(a: AdapterOptions): Promise<AdapterOutput> {
  const source = openBundle(a.input);
  return verifyCt(
    a,
    source,
    source
      .members()
      .filter((m) => m.kind === 'file')
      .map((m) => m.path)
      .sort(),
    'ct-log',
    source.name,
  );
}

async function verifyCt(
  a: AdapterOptions,
  source: BundleSource,
  paths: readonly string[],
  id: 'ct-sth' | 'ct-log',
  name: string,
): Promise<AdapterOutput> {
  const t0 = Date.now();
  const keys = keysInRole(a.trust, 'log').filter((k) => k.key.kind === 'ecdsa-p256' || k.key.kind === 'rsa');
  if (keys.length === 0)
    throw new ProofdeskError(
      'USAGE',
      "give the CT log's public key with --trust (a PEM SubjectPublicKeyInfo, ECDSA P-256 or RSA)",
    );
  const sig = signaturePaths(a.crossCheck);
  const F: Finding[] = [];
  const files: BundleFileReport[] = [];
  let bytesRead = 0;
  const readJson = (p: string, role: BundleFileReport['role']): unknown => {
    // A proof file that cannot be read is a malformed proof; any other document is invalid.
    const bad = role === 'proof' ? 'PROOF_MALFORMED' : 'DOCUMENT_INVALID';
    const r = readIn(source, p, MAX_JSON, role);
    if (r.kind !== 'ok') {
      F.push(
        finding(
          r.kind === 'unsafe' ? 'PATH_UNSAFE' : bad,
          { file: p },
          r.kind === 'unsafe' ? r.detail : r.kind === 'too-large' ? `${r.size} bytes: too large` : 'not found',
        ),
      );
      return undefined;
    }
    files.push(r.report);
    bytesRead += r.bytes.length;
    const j = parseJsonBytes(r.bytes);
    if (!j.ok) {
      F.push(finding(bad, { file: p, path: j.problem.path }, j.problem.message));
      return undefined;
    }
    return j.value;
  };
  const isSth = (p: string) => id === 'ct-sth' || /(^|\/)([A-Za-z0-9._-]+\.)?sth\.json$/.test(p);
  const sthPaths = paths.filter(isSth);
  const consPaths = id === 'ct-log' ? paths.filter((p) => p.endsWith('.consistency.json')) : [];
  const inclPaths = id === 'ct-log' ? paths.filter((p) => p.endsWith('.inclusion.json')) : [];
  for (const p of paths)
    if (!isSth(p) && !consPaths.includes(p) && !inclPaths.includes(p))
      F.push(finding('FILE_UNLISTED', { file: p }, `${p} is not a tree head or proof file of the CT layout; ignored`));

  // ── tree heads ──
  const checkpoints: CheckpointReport[] = [];
  const verifiedBySize = new Map<number, { root: Uint8Array; file: string }>();
  for (const p of sthPaths) {
    const json = readJson(p, 'checkpoint');
    if (json === undefined) {
      checkpoints.push({ file: p, status: 'malformed', rootStatus: 'not-checked', signatures: [] });
      continue;
    }
    const parsed = parseSth(json);
    if (!parsed.ok) {
      for (const pr of parsed.problems) F.push(finding('DOCUMENT_INVALID', { file: p, path: pr.path }, pr.message));
      checkpoints.push({ file: p, status: 'malformed', rootStatus: 'not-checked', signatures: [] });
      continue;
    }
    const sth: SignedTreeHead = parsed.value;
    const signer = keys.find((k) => verifySthSignature(sth, k.key, { ecdsa: sig.ecdsa, rsa: verifyRsaSha256Node }));
    const shown = signer ?? keys[0]!;
    const base = {
      file: p,
      origin: shown.key.fingerprint,
      size: sth.treeSize,
      rootHash: toHex(sth.rootHash),
      rootStatus: 'not-checked' as const,
    };
    const sigReport = {
      name: shown.label,
      keyId: shown.key.fingerprint.slice(0, 8),
      kind: 'log' as const,
      fingerprint: shown.key.fingerprint,
    };
    if (!signer) {
      F.push(
        finding(
          'SIGNATURE_INVALID',
          { file: p, checkpointSize: sth.treeSize },
          `the tree head signature does not verify with ${keys.length === 1 ? 'the trusted log key' : `any of the ${keys.length} trusted log keys`}`,
          {
            keys: keys.map((k) => k.key.fingerprint).join(' '),
            ...(sth.version !== 0 ? { version: sth.version } : {}),
          },
        ),
      );
      checkpoints.push({ ...base, status: 'rejected', signatures: [{ ...sigReport, status: 'failed' }] });
      continue;
    }
    checkpoints.push({
      ...base,
      status: 'trusted',
      signatures: [{ ...sigReport, status: 'verified', time: Math.floor(sth.timestamp / 1000) }],
    });
    const prior = verifiedBySize.get(sth.treeSize);
    if (prior && !bytesEqual(prior.root, sth.rootHash)) {
      F.push(
        finding(
          'CHECKPOINT_CONFLICT',
          { file: p, checkpointSize: sth.treeSize },
          `two verified tree heads of size ${sth.treeSize} sign different roots (${prior.file} and ${p})`,
          { first: toHex(prior.root), second: toHex(sth.rootHash) },
        ),
      );
    } else verifiedBySize.set(sth.treeSize, { root: sth.rootHash, file: p });
  }

  // ── proofs: judged only against verified tree heads of the stated sizes ──
  const proofs: ProofReport[] = [];
  const noHead = (p: string, size: number, entry?: number) =>
    F.push(
      finding(
        'PROOF_INVALID',
        { file: p, checkpointSize: size, ...(entry !== undefined ? { entry } : {}) },
        `no verified tree head of size ${size}: the proof cannot be judged (a size the proof alone states is never trusted)`,
        { size },
      ),
    );
  for (const p of consPaths) {
    const json = readJson(p, 'proof');
    const parsed = json === undefined ? undefined : parseConsistencyFile(json);
    if (!parsed?.ok) {
      for (const pr of parsed?.problems ?? [])
        F.push(finding('PROOF_MALFORMED', { file: p, path: pr.path }, pr.message));
      proofs.push({ file: p, kind: 'consistency', status: 'malformed' });
      continue;
    }
    const { first, second, proof } = parsed.value;
    const h1 = verifiedBySize.get(first);
    const h2 = verifiedBySize.get(second);
    if (!h1 || !h2) {
      if (!h1) noHead(p, first);
      if (!h2) noHead(p, second);
      proofs.push({ file: p, kind: 'consistency', status: 'failed', size1: first, size2: second });
      continue;
    }
    const v = verifyConsistency(first, second, h1.root, h2.root, proof, nodeSha256);
    if (!v.ok)
      F.push(
        finding(
          'PROOF_INVALID',
          { file: p, checkpointSize: second },
          `consistency proof ${first} → ${second} fails (${v.reason})`,
          {
            reason: v.reason,
            ...(v.expected ? { expected: v.expected } : {}),
            ...(v.computed ? { actual: v.computed } : {}),
          },
        ),
      );
    proofs.push({ file: p, kind: 'consistency', status: v.ok ? 'verified' : 'failed', size1: first, size2: second });
  }
  const statuses: EntryStatus[] = [];
  for (const p of inclPaths) {
    const entry = statuses.length;
    const json = readJson(p, 'proof');
    const parsed = json === undefined ? undefined : parseInclusionFile(json);
    if (!parsed?.ok) {
      for (const pr of parsed?.problems ?? [])
        F.push(finding('PROOF_MALFORMED', { file: p, path: pr.path, entry }, pr.message));
      proofs.push({ file: p, kind: 'inclusion', status: 'malformed' });
      statuses.push({ status: 'failed', reason: 'ENTRY_ERRORS' });
      continue;
    }
    const inc = parsed.value;
    const fromInput = inc.leafInput ? hashLeaf(inc.leafInput, nodeSha256) : undefined;
    if (inc.hash && fromInput && !bytesEqual(inc.hash, fromInput)) {
      F.push(
        finding(
          'PROOF_LEAF_MISMATCH',
          { file: p, entry },
          'the file\'s "hash" is not the leaf hash of its "leaf_input"',
          { expected: toHex(inc.hash), actual: toHex(fromInput) },
        ),
      );
      proofs.push({ file: p, kind: 'inclusion', status: 'failed', index: inc.leafIndex, size: inc.treeSize });
      statuses.push({ status: 'failed', reason: 'ENTRY_ERRORS' });
      continue;
    }
    const head = verifiedBySize.get(inc.treeSize);
    if (!head) {
      noHead(p, inc.treeSize, entry);
      proofs.push({ file: p, kind: 'inclusion', status: 'failed', index: inc.leafIndex, size: inc.treeSize });
      statuses.push({ status: 'unverifiable', reason: 'NO_TRUSTED_CHECKPOINT' });
      continue;
    }
    const v = verifyInclusion(
      inc.leafIndex,
      inc.treeSize,
      (inc.hash ?? fromInput)!,
      inc.auditPath,
      head.root,
      nodeSha256,
    );
    if (!v.ok)
      F.push(
        finding(
          'PROOF_INVALID',
          { file: p, entry, checkpointSize: inc.treeSize },
          `inclusion proof for leaf ${inc.leafIndex} in tree size ${inc.treeSize} fails (${v.reason})`,
          {
            reason: v.reason,
            ...(v.expected ? { expected: v.expected } : {}),
            ...(v.computed ? { actual: v.computed } : {}),
          },
        ),
      );
    proofs.push({
      file: p,
      kind: 'inclusion',
      status: v.ok ? 'verified' : 'failed',
      index: inc.leafIndex,
      size: inc.treeSize,
    });
    statuses.push(
      v.ok ? { status: 'verified', reason: 'SIGNED_ROOT_MATCHES' } : { status: 'failed', reason: 'ENTRY_CHANGED' },
    );
  }

  const docBad = F.filter((f) => f.code === 'DOCUMENT_INVALID').length;
  const cpBad = checkpoints.filter((c) => c.status !== 'trusted').length;
  const result = buildFormatResult({
    format: {
      id,
      layout: 'RFC 6962 get-sth' + (id === 'ct-log' ? ' + proofs' : ''),
      signatureRules: [
        ...(keys.some((k) => k.key.kind === 'ecdsa-p256') ? [ECDSA_P256_RULESET] : []),
        ...(keys.some((k) => k.key.kind === 'rsa') ? [RSA_RULESET] : []),
      ],
    },
    toolVersion: TOOL_VERSION,
    name,
    container: source.container,
    origin: checkpoints.find((c) => c.status === 'trusted')?.origin ?? keys[0]!.key.fingerprint,
    entryCount: statuses.length,
    entriesBytes: 0,
    files,
    trustedKeys: trustReports(a.trust),
    checkpoints,
    proofs,
    findings: F,
    entryStatuses: statuses,
    checks: [
      checkSummary('manifest', docBad, files.length, { documents: files.length, problems: docBad }),
      checkSummary(
        'checkpoint-signatures',
        cpBad,
        checkpoints.length,
        { checkpoints: checkpoints.length, trusted: checkpoints.length - cpBad, problems: cpBad },
        checkpoints.length === 0 ? 'inconclusive' : undefined,
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
  return { run: runOf(result, t0, bytesRead) };
}
