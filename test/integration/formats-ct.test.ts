/**
 * Certificate Transparency evidence directories (`ct-log`): tree heads signed with our own
 * deterministic P-256 test key over a real Merkle tree, saved get-sth-consistency and
 * get-proof-by-hash responses, and the rule that a proof is judged only against a size and root
 * taken together from a verified tree head.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../electron/verify/verify.js';
import { toBase64, utf8 } from '../../shared/encoding/bytes.js';
import { treeHeadSignatureInput } from '../../shared/encoding/tls.js';
import { hashLeaf } from '../../shared/tlog/merkle/hash.js';
import { consistencyProof, inclusionProof } from '../../shared/tlog/merkle/proof.js';
import { merkleRoot } from '../../shared/tlog/merkle/tree.js';
import type { FindingCode } from '../../shared/verdict/findings.js';
import type { VerificationResult } from '../../shared/verdict/result.js';
import { makeTempDir, removeDir } from '../support/fixtures.js';
import { digitallySigned, ecTestKey } from '../support/formats-fixtures.js';

const key = ecTestKey('ct-log');
const leafInputs = Array.from({ length: 13 }, (_, i) => utf8(`merkle tree leaf ${i}`));
const leaves = leafInputs.map((l) => hashLeaf(l));
const b64 = toBase64;

function sth(size: number, timestamp: number, root = merkleRoot(leaves.slice(0, size))): string {
  return JSON.stringify({
    tree_size: size,
    timestamp,
    sha256_root_hash: b64(root),
    tree_head_signature: b64(digitallySigned(key.sign(treeHeadSignatureInput(0, timestamp, size, root)))),
  });
}

let tmp: string;
let pem: string;
beforeAll(() => {
  tmp = makeTempDir('proofdesk-formats-ctlog-');
  pem = join(tmp, 'log.pem');
  writeFileSync(pem, key.pem);
});
afterAll(() => removeDir(tmp));

let n = 0;
function evidence(files: Record<string, string>): string {
  const d = join(tmp, `ev${n++}`);
  mkdirSync(d);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), content);
  return d;
}
async function run(d: string): Promise<VerificationResult> {
  return (await verify(d, { trustArgs: [pem] })).run.result;
}
const codes = (r: VerificationResult): FindingCode[] =>
  r.findings.filter((f) => f.severity !== 'info').map((f) => f.code);
const consistency = (first: number, second: number, proof = consistencyProof(first, leaves.slice(0, second))) =>
  JSON.stringify({ first, second, consistency: proof.map(b64) });
const inclusion = (i: number, size: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    tree_size: size,
    leaf_index: i,
    audit_path: inclusionProof(i, leaves.slice(0, size)).map(b64),
    hash: b64(leaves[i]!),
    ...extra,
  });

describe('CT evidence directory', () => {
  const good = () => ({
    'a.sth.json': sth(7, 1_700_000_000_000),
    'b.sth.json': sth(13, 1_700_000_100_000),
    '7-13.consistency.json': consistency(7, 13),
    'leaf3.inclusion.json': inclusion(3, 13),
    'leaf6.inclusion.json': inclusion(6, 7, { hash: undefined, leaf_input: b64(leafInputs[6]!) }),
  });

  it('verifies tree heads, a consistency proof and two inclusion proofs (by hash and by leaf_input)', async () => {
    const out = await verify(evidence(good()), { trustArgs: [pem] });
    const r = out.run.result;
    expect(out.format).toBe('ct-log');
    expect(r.verdict).toBe('PASS');
    expect(r.checkpoints.map((c) => [c.size, c.status])).toEqual([
      [7, 'trusted'],
      [13, 'trusted'],
    ]);
    expect(r.proofs.map((p) => [p.kind, p.status])).toEqual([
      ['consistency', 'verified'],
      ['inclusion', 'verified'],
      ['inclusion', 'verified'],
    ]);
    expect(r.coverage.verified).toBe(2);
  });

  it('a proof for a size no verified tree head has is never accepted, even when its path is right', async () => {
    const files = { ...good(), '7-12.consistency.json': consistency(7, 12), 'leaf3.inclusion.json': inclusion(3, 12) };
    const r = await run(evidence(files));
    expect(r.findings.filter((f) => f.code === 'PROOF_INVALID').map((f) => f.evidence?.size)).toEqual([12, 12]);
    expect(r.verdict).toBe('FAIL');
  });

  it('a tampered audit path, a wrong leaf, and inconsistent hash and leaf_input all fail', async () => {
    const path = inclusionProof(3, leaves.slice(0, 13)).map(b64);
    path[1] = b64(leaves[0]!);
    const r = await run(
      evidence({
        ...good(),
        'leaf3.inclusion.json': JSON.stringify({
          tree_size: 13,
          leaf_index: 3,
          audit_path: path,
          hash: b64(leaves[3]!),
        }),
      }),
    );
    expect(codes(r)).toEqual(['PROOF_INVALID']);
    const wrong = await run(
      evidence({ ...good(), 'leaf3.inclusion.json': inclusion(3, 13, { hash: b64(leaves[4]!) }) }),
    );
    expect(codes(wrong)).toEqual(['PROOF_INVALID']);
    const both = await run(
      evidence({ ...good(), 'leaf3.inclusion.json': inclusion(3, 13, { leaf_input: b64(leafInputs[4]!) }) }),
    );
    expect(codes(both)).toEqual(['PROOF_LEAF_MISMATCH']);
  });

  it('a consistency proof between tree heads that are not consistent fails; two heads of one size with two roots are a conflict', async () => {
    const forked = await run(
      evidence({
        'a.sth.json': sth(7, 1_700_000_000_000, merkleRoot(leaves.slice(1, 8))),
        'b.sth.json': sth(13, 1_700_000_100_000),
        '7-13.consistency.json': consistency(7, 13),
      }),
    );
    expect(codes(forked)).toEqual(['PROOF_INVALID']);
    const conflict = await run(
      evidence({
        'a.sth.json': sth(7, 1_700_000_000_000),
        'c.sth.json': sth(7, 1_700_000_000_500, merkleRoot(leaves.slice(1, 8))),
      }),
    );
    expect(codes(conflict)).toEqual(['CHECKPOINT_CONFLICT']);
  });

  it('malformed files are findings with JSON paths; an unknown file is reported', async () => {
    const r = await run(
      evidence({
        ...good(),
        'x.sth.json': '{"tree_size": -1}',
        'broken.inclusion.json': 'not json',
        'readme.txt': 'hi',
      }),
    );
    expect(r.findings.filter((f) => f.code === 'DOCUMENT_INVALID').map((f) => f.location.path)).toEqual(
      expect.arrayContaining(['$.tree_size', '$.timestamp']),
    );
    expect(codes(r)).toContain('PROOF_MALFORMED');
    expect(r.findings.find((f) => f.code === 'FILE_UNLISTED')!.location.file).toBe('readme.txt');
    expect(r.verdict).toBe('FAIL');
  });

  it('a CT input needs the log key: an Ed25519 verifier key alone is a usage error', async () => {
    await expect(
      verify(evidence(good()), { trustArgs: ['example+01234567+AUt9n5ZqyBz6xUmWfQrp+oC2I1+B3eF6Lq3dv2C0tl2z'] }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/USAGE|KEY_INVALID/) });
  });
});
