/**
 * The library entry shared/core.ts (README "Library use"): checkpoint judgement, tlog-proof and
 * consistency-proof files, on the 16 real checkpoints of transparency-dev/serverless-log
 * (../shared/vectors/signed-note/serverless-log-testdata) and on checkpoints signed here with
 * deterministic keys, including witness cosignatures. Everything is imported from core, as a
 * program using `proofdesk/core` would.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyEd25519Node } from '../../../electron/platform/ed25519-node.js';
import {
  CHAIN_RULESET,
  chainGenesis,
  consistencyProof,
  formatCheckpointBody,
  hashLeaf,
  inclusionProof,
  keyFingerprint,
  merkleRoot,
  parseKey,
  parseProofFile,
  signNote,
  toBase64,
  toHex,
  verifyCheckpointNote,
  verifyProof,
} from '../../../shared/core.js';
import { concatBytes, utf8 } from '../../../shared/encoding/bytes.js';
import type { TrustedKey } from '../../../shared/keys/trust.js';
import { cosignatureSigner } from '../../../shared/tlog/cosignature.js';
import { MAX_PROOF_FILE_BYTES, TLOG_PROOF_HEADER } from '../../../shared/tlog/proof-file.js';
import type { FindingCode } from '../../../shared/verdict/findings.js';
import { testKey } from '../../support/fixtures.js';
import { REPO_ROOT, readVectorJson, vectorPath } from '../../support/vectors.js';

const SERVERLESS = ['signed-note', 'serverless-log-testdata'] as const;
const manifest = readVectorJson<{ origin: string; verifierKey: string; leafData: string[]; leafHashes: string[] }>(
  ...SERVERLESS,
  'manifest.json',
);
const ORIGIN = manifest.origin;
const vkey = parseKey(manifest.verifierKey);
const astra: TrustedKey = {
  publicKey: vkey.publicKey,
  fingerprint: keyFingerprint(vkey.publicKey),
  roles: ['log'],
  name: vkey.name!,
};
const checkpoints = Array.from(
  { length: 16 },
  (_, n) => new Uint8Array(readFileSync(vectorPath(...SERVERLESS, 'log', `checkpoint.${n}`))),
);
const leaves = manifest.leafData.map((d) => utf8(d));
const leafHashes = leaves.map((l) => hashLeaf(l));
const ctx = { origin: ORIGIN, trusted: [astra], bundleKeys: [] };

const codes = (fs: readonly { code: FindingCode }[]) => fs.map((f) => f.code);

describe('verifyCheckpointNote on the real serverless-log checkpoints', () => {
  it('the vector is what its README says: 15 leaves whose hashes are listed', () => {
    expect(leafHashes.map(toHex)).toEqual(manifest.leafHashes);
    expect(vkey.name).toBe('astra');
    expect(vkey.noteKeyId).toBe(0xcad5a3d2);
  });

  it('trusts every checkpoint.N, with size N and the root recomputed from the first N leaves', () => {
    checkpoints.forEach((bytes, n) => {
      const root = merkleRoot(leafHashes.slice(0, n));
      const c = verifyCheckpointNote(`checkpoint.${n}`, bytes, ctx);
      expect(c.findings).toEqual([]);
      expect(c.report).toEqual({
        file: `checkpoint.${n}`,
        origin: ORIGIN,
        size: n,
        rootHash: toHex(root),
        status: 'trusted',
        rootStatus: 'not-checked',
        signatures: [
          { name: 'astra', keyId: 'cad5a3d2', kind: 'log', status: 'verified', fingerprint: astra.fingerprint },
        ],
      });
      expect(c.trusted).toEqual({ size: n, root });
    });
  });

  it('gives the same verdicts with the node:crypto verifier passed as ctx.verify', () => {
    const calls: number[] = [];
    const counting = (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => {
      calls.push(m.length);
      return verifyEd25519Node(pk, m, s);
    };
    for (const bytes of checkpoints)
      expect(verifyCheckpointNote('cp', bytes, { ...ctx, verify: counting })).toEqual(
        verifyCheckpointNote('cp', bytes, ctx),
      );
    expect(calls).toHaveLength(16);
    // A verifier that says no rejects the checkpoint: the function really uses the one given.
    const no = verifyCheckpointNote('cp', checkpoints[5]!, { ...ctx, verify: () => false });
    expect([no.report.status, codes(no.findings), no.trusted]).toEqual(['rejected', ['SIGNATURE_INVALID'], undefined]);
  });

  it('another origin is CHECKPOINT_ORIGIN_MISMATCH with both origins as evidence', () => {
    const c = verifyCheckpointNote('cp', checkpoints[7]!, { ...ctx, origin: 'example.com/other' });
    expect(c.report.status).toBe('rejected');
    expect(c.trusted).toBeUndefined();
    expect(c.findings).toEqual([
      expect.objectContaining({
        code: 'CHECKPOINT_ORIGIN_MISMATCH',
        severity: 'error',
        location: { file: 'cp', checkpointSize: 7 },
        evidence: { expected: 'example.com/other', actual: ORIGIN },
      }),
    ]);
  });

  it('without a trusted key the checkpoint is untrusted; a key shipped in the bundle is named, not trusted', () => {
    const none = verifyCheckpointNote('cp', checkpoints[3]!, { ...ctx, trusted: [] });
    expect([none.report.status, none.report.signatures[0]!.status, codes(none.findings)]).toEqual([
      'untrusted',
      'unknown-key',
      ['KEY_UNTRUSTED'],
    ]);
    const shipped = verifyCheckpointNote('cp', checkpoints[3]!, { ...ctx, trusted: [], bundleKeys: [astra.publicKey] });
    expect(shipped.report.signatures).toEqual([
      { name: 'astra', keyId: 'cad5a3d2', kind: 'unknown', status: 'bundle-key', fingerprint: astra.fingerprint },
    ]);
    expect([shipped.report.status, codes(shipped.findings), shipped.trusted]).toEqual([
      'untrusted',
      ['KEY_UNTRUSTED'],
      undefined,
    ]);
  });

  it('rejects a checkpoint whose signature or body was changed by one character', () => {
    const text = new TextDecoder().decode(checkpoints[15]!);
    const sigAt = text.lastIndexOf('— astra ') + '— astra '.length + 10;
    const bodyAt = text.indexOf('\n', text.indexOf('\n') + 1) + 5; // inside the root hash line
    for (const at of [sigAt, bodyAt]) {
      const changed = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
      const c = verifyCheckpointNote('cp', utf8(changed), ctx);
      expect(c.trusted, `position ${at}`).toBeUndefined();
      expect(codes(c.findings), `position ${at}`).toEqual(['SIGNATURE_INVALID']);
    }
  });

  it('a note or body that cannot be parsed is CHECKPOINT_MALFORMED with the parser reason, never an exception', () => {
    const cases: Array<[Uint8Array, string]> = [
      [checkpoints[2]!.subarray(0, checkpoints[2]!.length - 1), 'MISSING_FINAL_NEWLINE'],
      [new Uint8Array(0), 'MISSING_FINAL_NEWLINE'],
      [Uint8Array.of(0xff, 0x0a), 'INVALID_UTF8'],
      [utf8('example.com/testdata\n3\n'), 'NO_SIGNATURE_BLOCK'],
      [
        signNote('example.com/testdata\nthree\nAAAA\n', [{ name: 'k', seed: testKey('core-malformed').seed }]),
        'SIZE_INVALID',
      ],
    ];
    for (const [bytes, reason] of cases) {
      const c = verifyCheckpointNote('cp', bytes, ctx);
      expect(c.report).toEqual({ file: 'cp', status: 'malformed', rootStatus: 'not-checked', signatures: [] });
      expect(c.findings).toHaveLength(1);
      expect(c.findings[0]).toMatchObject({
        code: 'CHECKPOINT_MALFORMED',
        location: { file: 'cp' },
        evidence: { reason },
      });
    }
  });
});

describe('verifyCheckpointNote on generated checkpoints with witnesses', () => {
  const log = testKey('core-log', 'log.example/core');
  const witness = testKey('core-witness', 'witness.example/w1', 'witness');
  const text = formatCheckpointBody({ origin: 'log.example/core', size: 15, rootHash: merkleRoot(leafHashes) });
  const T = 1_767_225_600; // 2026-01-01T00:00:00Z
  const trusted = [log.trusted, witness.trusted];
  const gctx = { origin: 'log.example/core', trusted, bundleKeys: [] };

  it('a trusted witness cosignature is reported with its time (COSIGNATURE_VALID)', () => {
    const note = signNote(text, [{ name: log.name, seed: log.seed }, cosignatureSigner(witness.name, witness.seed, T)]);
    const c = verifyCheckpointNote('cp', note, gctx);
    expect(c.report.status).toBe('trusted');
    expect(c.report.signatures.map((s) => [s.kind, s.status, s.time])).toEqual([
      ['log', 'verified', undefined],
      ['cosignature', 'verified', T],
    ]);
    expect(c.findings).toEqual([
      expect.objectContaining({
        code: 'COSIGNATURE_VALID',
        severity: 'info',
        evidence: { fingerprint: witness.trusted.fingerprint, time: T },
      }),
    ]);
  });

  it('a witness alone does not make a checkpoint trusted; a failing witness rejects it', () => {
    const witnessOnly = signNote(text, [cosignatureSigner(witness.name, witness.seed, T)]);
    expect(verifyCheckpointNote('cp', witnessOnly, gctx).report.status).toBe('untrusted');
    // The witness signed another time than the one written on its line: its signature fails.
    const good = signNote(text, [{ name: log.name, seed: log.seed }, cosignatureSigner(witness.name, witness.seed, T)]);
    const lines = new TextDecoder().decode(good).split('\n');
    const w = lines.findIndex((l) => l.startsWith(`— ${witness.name} `));
    const sig = Buffer.from(lines[w]!.split(' ')[2]!, 'base64');
    sig[4 + 7]! ^= 1; // the last byte of the 8-byte timestamp
    lines[w] = `— ${witness.name} ${sig.toString('base64')}`;
    const c = verifyCheckpointNote('cp', utf8(lines.join('\n')), gctx);
    expect([c.report.status, codes(c.findings), c.trusted]).toEqual(['rejected', ['SIGNATURE_INVALID'], undefined]);
  });
});

describe('verifyCheckpointNote: keys count only in their roles', () => {
  const origin = 'log.example/roles';
  const log = testKey('roles-log', origin);
  const witness = testKey('roles-witness', 'witness.example/w1', 'witness');
  const source = testKey('roles-source', 'source.example', 'entry');
  const text = formatCheckpointBody({ origin, size: 15, rootHash: merkleRoot(leafHashes) });
  const T = 1_767_225_600;
  const judge = (signers: Parameters<typeof signNote>[1], trusted = [log.trusted, witness.trusted, source.trusted]) =>
    verifyCheckpointNote('cp', signNote(text, signers), { origin, trusted, bundleKeys: [] });

  it('a witness key or an event-source key signing as the log is not counted: the checkpoint is untrusted (KEY_WRONG_ROLE)', () => {
    for (const k of [witness, source]) {
      const c = judge([{ name: origin, seed: k.seed }]);
      expect([c.report.status, codes(c.findings), c.trusted], k.name).toEqual([
        'untrusted',
        ['KEY_WRONG_ROLE', 'KEY_UNTRUSTED'],
        undefined,
      ]);
      expect(c.report.signatures).toEqual([
        expect.objectContaining({ kind: 'log', status: 'wrong-role', fingerprint: k.trusted.fingerprint }),
      ]);
      expect(c.findings.find((f) => f.code === 'KEY_WRONG_ROLE')).toMatchObject({
        severity: 'warning',
        evidence: { fingerprint: k.trusted.fingerprint, signedAs: 'log', trustedAs: k.trusted.roles[0] },
      });
    }
  });

  it('a log key cosigning as a witness is not counted as a witness; its own log signature still counts', () => {
    const c = judge([{ name: origin, seed: log.seed }, cosignatureSigner('witness.example/w1', log.seed, T)]);
    expect([c.report.status, codes(c.findings)]).toEqual(['trusted', ['KEY_WRONG_ROLE']]);
    expect(c.report.signatures.map((s) => [s.kind, s.status])).toEqual([
      ['log', 'verified'],
      ['cosignature', 'wrong-role'],
    ]);
  });

  it('a key trusted in both roles counts in both, and without a role nothing it signs counts', () => {
    const both = { ...log.trusted, roles: ['log', 'witness'] as const };
    const c = judge([{ name: origin, seed: log.seed }, cosignatureSigner('w', log.seed, T)], [both]);
    expect([c.report.status, codes(c.findings)]).toEqual(['trusted', ['COSIGNATURE_VALID']]);
    const none = judge([{ name: origin, seed: log.seed }], [{ ...log.trusted, roles: ['entry'] }]);
    expect([none.report.status, none.report.signatures[0]!.status]).toEqual(['untrusted', 'wrong-role']);
  });
});

// ── proof files ──────────────────────────────────────────────────────────────────────────

/** A tlog-proof written by hand from c2sp.org/tlog-proof, not by Proofdesk's formatter. */
function tlogProof(index: number, size: number, extra?: Uint8Array): string {
  const hashes = inclusionProof(index, leafHashes.slice(0, size)).map(toBase64);
  return [
    TLOG_PROOF_HEADER,
    ...(extra ? [`extra ${toBase64(extra)}`] : []),
    `index ${index}`,
    ...hashes,
    '',
    new TextDecoder().decode(checkpoints[size]!),
  ].join('\n');
}

function consistencyProofText(size1: number, size2: number): string {
  const hashes = consistencyProof(size1, leafHashes.slice(0, size2)).map(toBase64);
  return [
    'proofdesk/consistency-proof@v1',
    `old ${size1}`,
    `new ${size2}`,
    ...hashes,
    '',
    new TextDecoder().decode(checkpoints[size1]!),
    new TextDecoder().decode(checkpoints[size2]!),
  ].join('\n');
}

function parsed(text: string | Uint8Array) {
  const r = parseProofFile(typeof text === 'string' ? utf8(text) : text);
  if (!r.ok) throw new Error(`expected a proof: ${r.reason}`);
  return r.proof;
}

describe('parseProofFile and verifyProof', () => {
  it('reads a hand-written tlog-proof into its index, hashes, extra data and checkpoint', () => {
    const p = parsed(tlogProof(5, 15, leaves[5]));
    expect(p).toEqual({
      kind: 'inclusion',
      index: 5,
      hashes: inclusionProof(5, leafHashes),
      extra: leaves[5],
      checkpoint: checkpoints[15],
    });
    const bare = parsed(tlogProof(0, 1));
    expect(bare).toEqual({ kind: 'inclusion', index: 0, hashes: [], checkpoint: checkpoints[1] });
  });

  it('verifies every leaf of the real log in every real checkpoint, from the entry carried in extra', () => {
    for (let size = 1; size <= 15; size++) {
      for (let i = 0; i < size; i++) {
        const v = verifyProof('p', parsed(tlogProof(i, size, leaves[i])), ctx);
        expect(v.findings, `${i} in ${size}`).toEqual([]);
        expect(v.report).toEqual({ file: 'p', kind: 'inclusion', index: i, size, status: 'verified' });
      }
    }
  });

  it('judges the leaf against a bundle when one is given: a bundle entry that is not the signed one is PROOF_LEAF_MISMATCH', () => {
    const bundle = { ...ctx, entryCount: 15, leafHash: (i: number) => leafHashes[i] };
    const good = verifyProof('p', parsed(tlogProof(4, 15, leaves[4])), bundle);
    expect(good.report.status).toBe('verified');
    // A verified proof authenticates its leaf and each path node over its range of the signed tree.
    expect(good.authenticated?.[0]).toEqual({ from: 4, to: 5, hash: leafHashes[4] });
    expect(good.authenticated?.slice(1).map((x) => [x.from, x.to])).toEqual([
      [5, 6],
      [6, 8],
      [0, 4],
      [8, 15],
    ]);
    expect(verifyProof('p', parsed(tlogProof(4, 15)), bundle).report.status).toBe('verified');
    // The proof carries the entry the log signed and proves it; the bundle's entry 4 differs.
    const altered = { ...bundle, leafHash: (i: number) => (i === 4 ? hashLeaf(utf8('altered')) : leafHashes[i]) };
    const shown = verifyProof('p', parsed(tlogProof(4, 15, leaves[4])), altered);
    expect(shown.findings).toEqual([
      expect.objectContaining({
        code: 'PROOF_LEAF_MISMATCH',
        location: { file: 'p', entry: 4 },
        evidence: { expected: toHex(leafHashes[4]!), actual: toHex(hashLeaf(utf8('altered'))) },
      }),
    ]);
    // Without an entry of its own, the proof checked for the bundle's entry cannot tell which of the two is wrong.
    expect(codes(verifyProof('p', parsed(tlogProof(4, 15)), altered).findings)).toEqual(['PROOF_LEAF_MISMATCH']);
    // A proof whose own entry does not verify with its path is wrong, whatever the bundle holds.
    const other = verifyProof('p', parsed(tlogProof(4, 15, utf8('not five'))), bundle);
    expect([other.report.status, codes(other.findings)]).toEqual(['failed', ['PROOF_INVALID']]);
    // Where extra is opaque application data (another log's tlog-proof), the path proves the entry given.
    const opaque = { ...bundle, extraIsOpaque: true };
    expect(verifyProof('p', parsed(tlogProof(4, 15, utf8('not five'))), opaque).report.status).toBe('verified');
    expect(
      codes(verifyProof('p', parsed(tlogProof(4, 15, leaves[4])), { ...altered, extraIsOpaque: true }).findings),
    ).toEqual(['PROOF_LEAF_MISMATCH']);
    // The bundle has fewer entries than the index: nothing to check the proof against.
    const short = verifyProof('p', parsed(tlogProof(9, 15)), { ...bundle, entryCount: 9 });
    expect([short.report.status, codes(short.findings)]).toEqual(['failed', ['PROOF_INVALID']]);
  });

  it('a proof without its entry, a wrong entry, or an untrusted checkpoint proves nothing (PROOF_INVALID)', () => {
    const noLeaf = verifyProof('p', parsed(tlogProof(3, 8)), ctx);
    expect([noLeaf.report.status, codes(noLeaf.findings)]).toEqual(['failed', ['PROOF_INVALID']]);
    const wrong = verifyProof('p', parsed(tlogProof(3, 8, leaves[4])), ctx);
    expect(wrong.findings).toEqual([
      expect.objectContaining({
        code: 'PROOF_INVALID',
        location: { file: 'p', entry: 3, checkpointSize: 8 },
        evidence: expect.objectContaining({
          reason: 'ROOT_MISMATCH',
          expected: toHex(merkleRoot(leafHashes.slice(0, 8))),
        }),
      }),
    ]);
    const untrusted = verifyProof('p', parsed(tlogProof(3, 8, leaves[3])), { ...ctx, trusted: [] });
    expect(codes(untrusted.findings)).toEqual(['KEY_UNTRUSTED', 'PROOF_INVALID']);
  });

  it('verifies consistency between every pair of real checkpoints, and rejects stated sizes that differ from them', () => {
    for (let size2 = 1; size2 <= 15; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        const v = verifyProof('c', parsed(consistencyProofText(size1, size2)), ctx);
        expect(v.report, `${size1} → ${size2}`).toEqual({
          file: 'c',
          kind: 'consistency',
          size1,
          size2,
          status: 'verified',
        });
        expect(v.findings).toEqual([]);
      }
    }
    const lying = consistencyProofText(4, 9).replace('old 4', 'old 5');
    expect(codes(verifyProof('c', parsed(lying), ctx).findings)).toEqual(['PROOF_INVALID']);
    // The right number of hashes, from another log that shares no leaf with this one.
    const text = consistencyProofText(5, 9);
    const otherLog = leafHashes.map((h) => hashLeaf(h));
    const forged = text.replace(
      consistencyProof(5, leafHashes.slice(0, 9)).map(toBase64).join('\n'),
      consistencyProof(5, otherLog.slice(0, 9)).map(toBase64).join('\n'),
    );
    expect(forged).not.toBe(text);
    const v = verifyProof('c', parsed(forged), ctx);
    expect(v.report.status).toBe('failed');
    expect(v.findings).toEqual([
      expect.objectContaining({
        code: 'PROOF_INVALID',
        location: { file: 'c', checkpointSize: 9 },
        evidence: {
          reason: 'ROOT1_MISMATCH',
          expected: toHex(merkleRoot(leafHashes.slice(0, 5))),
          actual: toHex(merkleRoot(otherLog.slice(0, 5))),
        },
      }),
    ]);
  });

  it('malformed proof files give a reason, never an exception', () => {
    const good = tlogProof(2, 6, leaves[2]);
    const bad: Array<string | Uint8Array> = [
      '',
      'c2sp.org/tlog-proof@v2\nindex 0\n\n',
      good.replace('index 2', 'index 02'),
      good.replace('index 2', 'index -2'),
      good.replace('index 2', 'index 9007199254740993'),
      good.replace('index 2', 'index'),
      good.replace(/^extra (.)/m, 'extra !$1'),
      good.replace(/^(index 2\n)[^\n]+/m, '$1AAAA'), // a 3-byte hash
      good.replace(/^(index 2\n)([^\n]+)/m, '$1$2$2'), // two hashes on one line
      `${TLOG_PROOF_HEADER}\nindex 0\n${'47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'.repeat(129)}\n${new TextDecoder().decode(checkpoints[1]!)}`,
      `${TLOG_PROOF_HEADER}\nindex 0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=`, // no blank line
      concatBytes(utf8(`${TLOG_PROOF_HEADER}\nindex 0\n\n`), Uint8Array.of(0xc0, 0xaf)),
      'proofdesk/consistency-proof@v1\nold 1\nnew x\n\n',
      'proofdesk/consistency-proof@v1\nold 1\nnew 2\n\nexample.com/testdata\n', // no note separator
      new Uint8Array(MAX_PROOF_FILE_BYTES + 1).fill(0x41),
    ];
    for (const b of bad) {
      const r = parseProofFile(typeof b === 'string' ? utf8(b) : b);
      expect(r.ok, typeof b === 'string' ? JSON.stringify(b.slice(0, 80)) : `${b.length} bytes`).toBe(false);
      if (!r.ok) expect(typeof r.reason).toBe('string');
    }
    expect(parseProofFile(utf8(good)).ok).toBe(true);
    // The size bound is exact: a file of MAX_PROOF_FILE_BYTES still parses (the checkpoint part
    // is opaque to the parser), one byte more does not.
    const pad = (total: number) => concatBytes(utf8(good), new Uint8Array(total - utf8(good).length).fill(0x78));
    expect(parseProofFile(pad(MAX_PROOF_FILE_BYTES)).ok).toBe(true);
    expect(parseProofFile(pad(MAX_PROOF_FILE_BYTES + 1)).ok).toBe(false);
  });

  it('no truncation and no byte flip of a real proof file verifies', () => {
    const file = utf8(tlogProof(6, 11, leaves[6]));
    expect(verifyProof('p', parsed(file), ctx).report.status).toBe('verified');
    const accepted: string[] = [];
    const judge = (b: Uint8Array, what: string) => {
      const r = parseProofFile(b);
      if (r.ok && verifyProof('p', r.proof, ctx).report.status === 'verified') accepted.push(what);
    };
    for (let i = 0; i < file.length; i++) {
      judge(file.subarray(0, i), `truncated to ${i}`);
      for (const x of [0x01, 0x20, 0x80]) {
        const m = file.slice();
        m[i]! ^= x;
        judge(m, `byte ${i} ^ 0x${x.toString(16)}`);
      }
    }
    expect(accepted).toEqual([]);
  });
});

describe('the chain rule set named by core', () => {
  it('is proofdesk-chain-v1, whose genesis is SHA-256("proofdesk-chain-v1\\n" || origin || "\\n") (docs/bundle-format.md §4)', () => {
    expect(CHAIN_RULESET).toBe('proofdesk-chain-v1');
    const want = createHash('sha256').update(`proofdesk-chain-v1\n${ORIGIN}\n`).digest('hex');
    expect(toHex(chainGenesis(ORIGIN))).toBe(want);
    expect(readFileSync(join(REPO_ROOT, 'docs', 'bundle-format.md'), 'utf8')).toContain(
      'GENESIS      = SHA-256( UTF-8("proofdesk-chain-v1\\n" || origin || "\\n") )',
    );
  });
});
