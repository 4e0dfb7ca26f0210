/**
 * Certificate Transparency evidence: one signed tree head (`ct-sth`), or a directory of them
 * with saved consistency and inclusion proofs (`ct-log`: `*.sth.json`, `*.consistency.json`,
 * `*.inclusion.json`; shared/formats/ct/evidence.ts). Tree heads are verified with the log's public key
 * given by the examiner (PEM; ECDSA P-256 or RSA). Each inclusion proof's leaf is an entry of
 * the result: verified when its path reaches the root of a verified tree head of the stated size.
 *
 * The steps, each a module in ct/: sort the files by kind (`files.ts`), verify the tree heads
 * (`tree-heads.ts`), judge the proofs against the verified heads (`proofs.ts`), and finish the
 * result (`result.ts`).
 */
import { basename, dirname } from 'node:path';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type BundleSource, openBundle } from '../../platform/bundle-source.js';
import { type AdapterOptions, type AdapterOutput, runOf, signaturePaths } from './common.js';
import { type CtFormatId, ctEvidence, sortCtPaths } from './ct/files.js';
import { judgeConsistencyProofs, judgeInclusionProofs } from './ct/proofs.js';
import { ctResult } from './ct/result.js';
import { judgeTreeHeads } from './ct/tree-heads.js';
import { keysInRole } from './trust.js';

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
  id: CtFormatId,
  name: string,
): Promise<AdapterOutput> {
  const t0 = Date.now();
  const keys = keysInRole(a.trust, 'log').filter((k) => k.key.kind === 'ecdsa-p256' || k.key.kind === 'rsa');
  if (keys.length === 0)
    throw new ProofdeskError(
      'USAGE',
      "give the CT log's public key with --trust (a PEM SubjectPublicKeyInfo, ECDSA P-256 or RSA)",
    );
  const ev = ctEvidence(source);
  const byKind = sortCtPaths(ev, paths, id);
  const { checkpoints, verified } = judgeTreeHeads(ev, byKind.sth, keys, signaturePaths(a.crossCheck));
  const consistency = judgeConsistencyProofs(ev, byKind.consistency, verified);
  const inclusion = judgeInclusionProofs(ev, byKind.inclusion, verified);
  const proofs = [...consistency, ...inclusion.proofs];
  const result = ctResult(ev, a, { id, name, keys, checkpoints, proofs, statuses: inclusion.statuses });
  return { run: runOf(result, t0, ev.bytesRead) };
}
