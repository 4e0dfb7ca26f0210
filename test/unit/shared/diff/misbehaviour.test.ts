/**
 * Proof-of-misbehaviour files: format round trip, each argument (same size, not a prefix,
 * different leaves) on its own, and a mutation catalogue — every hash, size, signature and
 * note altered — that must turn a proof into a rejected one without ever throwing.
 */
import { describe, expect, it } from 'vitest';
import {
  formatMisbehaviourProof,
  isMisbehaviourProof,
  MISBEHAVIOUR_PROOF_HEADER,
  type MisbehaviourProof,
  parseMisbehaviourProof,
  verifyMisbehaviourProof,
} from '../../../../shared/diff/misbehaviour.js';
import { BlockTree, inclusionProofFrom, prefixRoot, rangeHashes } from '../../../../shared/diff/subtree.js';
import { toHex, utf8 } from '../../../../shared/encoding/bytes.js';
import { encodeNoteVerifierKey } from '../../../../shared/keys/keys.js';
import { formatCheckpointBody } from '../../../../shared/tlog/checkpoint.js';
import { hashLeaf } from '../../../../shared/tlog/merkle/hash.js';
import { signNote } from '../../../../shared/tlog/note.js';
import { testKey } from '../../../support/fixtures.js';
import { flipBits } from '../../../support/tamper.js';
import { nodeSha256 } from '../tlog/merkle/support.js';

const ORIGIN = 'audit.example.com/prod';
const log = testKey('log', ORIGIN);
const other = testKey('someone-else', ORIGIN);
const ctx = { trusted: [log.trusted], hash: nodeSha256 };

function tree(entries: readonly Uint8Array[]): BlockTree {
  const leaves = entries.map((e) => hashLeaf(e, nodeSha256));
  return new BlockTree({
    size: leaves.length,
    blockLevel: 0,
    blockRoots: Uint8Array.from(Buffer.concat(leaves)),
    loadBlock: () => [],
    hash: nodeSha256,
  });
}

function entries(n: number, changedAt?: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    utf8(i === changedAt ? `{"seq":${i},"event":"forged"}` : `{"seq":${i},"event":"e${i}"}`),
  );
}

function note(t: BlockTree, size: number, key = log): Uint8Array {
  return signNote(formatCheckpointBody({ origin: ORIGIN, size, rootHash: prefixRoot(t, size, nodeSha256) }), [
    { name: key.name, seed: key.seed },
  ]);
}

/** The proof for checkpoint size1 of the honest log vs checkpoint size2 of a log rewritten at k. */
function forkProof(
  size1: number,
  size2: number,
  k: number,
  opts: { leaf?: boolean; prefix?: boolean } = {},
): MisbehaviourProof {
  const e1 = entries(Math.max(size1, size2));
  const e2 = entries(size2, k);
  const t1 = tree(e1);
  const t2 = tree(e2);
  return {
    keys: [encodeNoteVerifierKey(log.name, log.publicKey)],
    size1,
    size2,
    ...(size1 < size2 && opts.prefix !== false
      ? { prefix: rangeHashes(t2, 0, size1), suffix: rangeHashes(t2, size1, size2) }
      : {}),
    ...(opts.leaf !== false && k < size1
      ? {
          leaf: {
            index: k,
            entry1: e1[k]!,
            path1: inclusionProofFrom(t1, k, size1, nodeSha256),
            entry2: e2[k]!,
            path2: inclusionProofFrom(t2, k, size2, nodeSha256),
          },
        }
      : {}),
    checkpoint1: note(t1, size1),
    checkpoint2: note(t2, size2),
  };
}

const check = (p: MisbehaviourProof | Uint8Array, c = ctx) =>
  verifyMisbehaviourProof('m.proof', p instanceof Uint8Array ? p : formatMisbehaviourProof(p), c);

describe('misbehaviour proofs', () => {
  it('round-trips through its text form and is recognised by its header line', () => {
    const p = forkProof(700, 1000, 300);
    const bytes = formatMisbehaviourProof(p);
    expect(isMisbehaviourProof(bytes)).toBe(true);
    expect(isMisbehaviourProof(utf8('proofdesk/consistency-proof@v1\n'))).toBe(false);
    const parsed = parseMisbehaviourProof(bytes);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(formatMisbehaviourProof(parsed.proof)).toEqual(bytes);
  });

  it('proves a same-size fork', () => {
    const r = check(forkProof(1000, 1000, 400));
    expect(r).toMatchObject({
      status: 'proven',
      shows: ['same-size', 'different-leaves'],
      size1: 1000,
      size2: 1000,
      leafIndex: 400,
      signers: [{ fingerprint: log.trusted.fingerprint, trusted: true }],
    });
    expect(r.findings.map((f) => f.code)).toEqual(['CHECKPOINT_CONFLICT']);
  });

  for (const [size1, size2] of [
    [512, 1000], // size1 a power of two: RFC 9162 consistency proofs omit exactly this node
    [700, 1000],
    [1, 2],
    [999, 1000],
  ] as const) {
    it(`proves that checkpoint ${size1} is not a prefix of checkpoint ${size2}, with the prefix alone and with the leaves alone`, () => {
      const k = size1 - 1;
      const both = check(forkProof(size1, size2, k));
      expect(both).toMatchObject({ status: 'proven', shows: ['not-a-prefix', 'different-leaves'] });
      expect(both.findings.map((f) => f.code)).toEqual(['CHECKPOINTS_INCONSISTENT']);
      expect(both.prefixRoot).not.toBe(both.root1);
      expect(check(forkProof(size1, size2, k, { leaf: false }))).toMatchObject({
        status: 'proven',
        shows: ['not-a-prefix'],
      });
    });
  }

  it('rejects consistent checkpoints, whatever the file claims', () => {
    // The larger tree is the honest one extended: its prefix has root1.
    const r = check(forkProof(700, 1000, 2000));
    expect(r).toMatchObject({ status: 'invalid', reasons: ['CONSISTENT'] });
    expect(r.findings.map((f) => f.code)).toEqual(['PROOF_INVALID']);
    const same = forkProof(1000, 1000, 5000);
    expect(check(same)).toMatchObject({ status: 'invalid', reasons: ['SAME_CHECKPOINT'] });
  });

  it('requires the prefix part when the sizes differ, and refuses it when they are equal', () => {
    expect(check(forkProof(700, 1000, 300, { prefix: false }))).toMatchObject({
      status: 'invalid',
      reasons: ['PREFIX_MISSING'],
    });
    const p = forkProof(1000, 1000, 300);
    expect(check({ ...p, prefix: [], suffix: [] })).toMatchObject({
      status: 'invalid',
      reasons: ['PREFIX_UNEXPECTED'],
    });
  });

  it('holds a proof against an untrusted signer only as far as the examiner trusts it', () => {
    const r = check(forkProof(1000, 1000, 10), { trusted: [other.trusted], hash: nodeSha256 });
    expect(r.status).toBe('proven');
    expect(r.signers).toEqual([{ name: log.name, fingerprint: log.trusted.fingerprint, trusted: false }]);
    expect(r.findings.map((f) => f.code)).toEqual(['CHECKPOINT_CONFLICT', 'KEY_UNTRUSTED']);
  });

  it('is held only against one key that signed both checkpoints: two keys, each signing one, prove nothing (SIGNERS_DIFFER)', () => {
    // Checkpoint 2 signed by another key (a witness, another log) that the examiner also trusts as a log key.
    const framed: MisbehaviourProof = {
      ...forkProof(1000, 1000, 10),
      keys: [encodeNoteVerifierKey(log.name, log.publicKey), encodeNoteVerifierKey(other.name, other.publicKey)],
    };
    const t2 = tree(entries(1000, 10));
    const p = { ...framed, checkpoint2: note(t2, 1000, other) };
    for (const trusted of [[log.trusted, other.trusted], [log.trusted]]) {
      const r = check(p, { trusted, hash: nodeSha256 });
      expect([r.status, r.reasons, r.signers], trusted.length.toString()).toEqual(['invalid', ['SIGNERS_DIFFER'], []]);
      expect(r.findings.map((f) => f.code)).toEqual(['PROOF_INVALID']);
    }
    // Not-a-prefix as well.
    const np = forkProof(700, 1000, 300);
    const r = check(
      { ...np, keys: framed.keys, checkpoint2: note(tree(entries(1000, 300)), 1000, other) },
      { trusted: [log.trusted, other.trusted], hash: nodeSha256 },
    );
    expect([r.status, r.reasons]).toEqual(['invalid', ['SIGNERS_DIFFER']]);
  });

  it("counts the examiner's key only in the log role", () => {
    const asWitness = { ...log.trusted, roles: ['witness' as const] };
    const r = check(forkProof(1000, 1000, 10), { trusted: [asWitness], hash: nodeSha256 });
    expect(r.status).toBe('proven');
    expect(r.signers).toEqual([{ name: log.name, fingerprint: log.trusted.fingerprint, trusted: false }]);
    expect(r.findings.map((f) => f.code)).toEqual(['CHECKPOINT_CONFLICT', 'KEY_UNTRUSTED']);
  });

  describe('mutation catalogue: every alteration is rejected', () => {
    const base = forkProof(700, 1000, 300);
    const flip = (h: Uint8Array) => {
      const c = Uint8Array.from(h);
      flipBits(c, 0, 1);
      return c;
    };
    const cases: Array<[string, MisbehaviourProof, string]> = [];
    base.prefix!.forEach((_, i) => {
      cases.push([
        `prefix hash ${i}`,
        { ...base, prefix: base.prefix!.map((h, j) => (j === i ? flip(h) : h)) },
        'RANGE_NOT_ROOT2',
      ]);
    });
    base.suffix!.forEach((_, i) => {
      cases.push([
        `suffix hash ${i}`,
        { ...base, suffix: base.suffix!.map((h, j) => (j === i ? flip(h) : h)) },
        'RANGE_NOT_ROOT2',
      ]);
    });
    base.leaf!.path1.forEach((_, i) => {
      cases.push([
        `path1 hash ${i}`,
        { ...base, leaf: { ...base.leaf!, path1: base.leaf!.path1.map((h, j) => (j === i ? flip(h) : h)) } },
        'LEAF_PROOF_INVALID',
      ]);
    });
    base.leaf!.path2.forEach((_, i) => {
      cases.push([
        `path2 hash ${i}`,
        { ...base, leaf: { ...base.leaf!, path2: base.leaf!.path2.map((h, j) => (j === i ? flip(h) : h)) } },
        'LEAF_PROOF_INVALID',
      ]);
    });
    cases.push([
      'entry1 altered',
      { ...base, leaf: { ...base.leaf!, entry1: utf8('{"seq":300,"event":"other"}') } },
      'LEAF_PROOF_INVALID',
    ]);
    cases.push([
      'entries equal',
      { ...base, leaf: { ...base.leaf!, entry2: base.leaf!.entry1, path2: base.leaf!.path1 } },
      'LEAF_PROOF_INVALID',
    ]);
    {
      // A leaf both trees agree on proves nothing, even with valid inclusion proofs.
      const t1 = tree(entries(1000));
      const t2 = tree(entries(1000, 300));
      const e0 = entries(1)[0]!;
      cases.push([
        'a leaf the trees agree on',
        {
          ...base,
          leaf: {
            index: 0,
            entry1: e0,
            path1: inclusionProofFrom(t1, 0, 700, nodeSha256),
            entry2: e0,
            path2: inclusionProofFrom(t2, 0, 1000, nodeSha256),
          },
        },
        'LEAVES_EQUAL',
      ]);
    }
    cases.push(['leaf index + 1', { ...base, leaf: { ...base.leaf!, index: 301 } }, 'LEAF_PROOF_INVALID']);
    cases.push(['leaf index beyond size1', { ...base, leaf: { ...base.leaf!, index: 700 } }, 'LEAF_OUT_OF_RANGE']);
    cases.push(['prefix one hash short', { ...base, prefix: base.prefix!.slice(1) }, 'RANGE_WRONG_LENGTH']);
    cases.push([
      'suffix one hash long',
      { ...base, suffix: [...base.suffix!, base.suffix![0]!] },
      'RANGE_WRONG_LENGTH',
    ]);
    cases.push(['size1 stated wrong', { ...base, size1: 701 }, 'SIZE_MISMATCH']);
    cases.push([
      'notes swapped',
      { ...base, checkpoint1: base.checkpoint2, checkpoint2: base.checkpoint1 },
      'SIZE_MISMATCH',
    ]);
    cases.push([
      'key of someone else',
      { ...base, keys: [encodeNoteVerifierKey(other.name, other.publicKey)] },
      'CHECKPOINT_INVALID',
    ]);
    cases.push([
      'key is a cosignature key',
      { ...base, keys: [encodeNoteVerifierKey(log.name, log.publicKey, 0x04)] },
      'KEY_INVALID',
    ]);
    const sig = Buffer.from(base.checkpoint2).toString('utf8');
    const lastSigChar = sig.lastIndexOf('=') - 2;
    cases.push([
      'signature altered',
      {
        ...base,
        checkpoint2: utf8(
          sig.slice(0, lastSigChar) + (sig[lastSigChar] === 'A' ? 'B' : 'A') + sig.slice(lastSigChar + 1),
        ),
      },
      'SIGNATURE_INVALID',
    ]);
    cases.push([
      'other origin',
      {
        ...base,
        checkpoint2: signNote(
          formatCheckpointBody({ origin: 'other.example/log', size: 1000, rootHash: new Uint8Array(32) }),
          [{ name: log.name, seed: log.seed }],
        ),
      },
      'ORIGIN_DIFFERS',
    ]);
    cases.push([
      'note unsigned',
      { ...base, checkpoint1: utf8(`${ORIGIN}\n700\n${Buffer.alloc(32).toString('base64')}\n`) },
      'CHECKPOINT_INVALID',
    ]);

    it.each(cases)('%s', (_name, p, reason) => {
      const r = check(p);
      expect(r.status).toBe('invalid');
      expect(r.reasons).toContain(reason);
      expect(r.findings.some((f) => f.code === 'PROOF_INVALID')).toBe(true);
    });
  });

  it('never throws on a damaged file: truncated at every line, or with any line removed', () => {
    const bytes = Buffer.from(formatMisbehaviourProof(forkProof(700, 1000, 300)));
    const lines = bytes.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      for (const damaged of [lines.slice(0, i).join('\n'), [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n')]) {
        const r = check(utf8(damaged));
        expect(r.status).toBe('invalid');
        expect(r.findings.some((f) => f.code === 'PROOF_MALFORMED' || f.code === 'PROOF_INVALID')).toBe(true);
      }
    }
    expect(check(Uint8Array.of(0xff, 0xfe))).toMatchObject({ status: 'invalid', reasons: ['MALFORMED'] });
    expect(parseMisbehaviourProof(utf8(`${MISBEHAVIOUR_PROOF_HEADER}\nkey a\nkey b\nkey c\n`))).toMatchObject({
      ok: false,
      line: 4,
    });
    expect(parseMisbehaviourProof(utf8(`${MISBEHAVIOUR_PROOF_HEADER}\nkey a\nsizes 10 9\n`))).toMatchObject({
      ok: false,
      line: 3,
    });
    expect(parseMisbehaviourProof(utf8(`${MISBEHAVIOUR_PROOF_HEADER}\nkey a\nsizes 01 9\n`))).toMatchObject({
      ok: false,
      line: 3,
    });
  });

  it('reports the roots it judged', () => {
    const p = forkProof(700, 1000, 300);
    const r = check(p);
    expect(r.root1).toBe(toHex(prefixRoot(tree(entries(1000)), 700, nodeSha256)));
    expect(r.root2).toBe(toHex(prefixRoot(tree(entries(1000, 300)), 1000, nodeSha256)));
    expect(r.prefixRoot).toBe(toHex(prefixRoot(tree(entries(1000, 300)), 700, nodeSha256)));
  });
});
