/**
 * Named constants of shared/ that other parts of the program rely on: each is checked against the
 * document or standard that defines it (docs/bundle-format.md, docs/formats.md, FIPS 180-4,
 * RFC 9162, C2SP tlog-tiles) and, where it bounds or shapes input, against the code that
 * applies it. A changed constant that the documents do not follow fails here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ENTRY_BYTES, duplicateReservedMember, RESERVED_MEMBERS } from '../../../shared/bundle/entry.js';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  validateManifest,
} from '../../../shared/bundle/manifest.js';
import { ECDSA_P256_RULESET, RSA_RULESET } from '../../../shared/crypto/ecdsa.js';
import { SHA256_SIZE, sha256 } from '../../../shared/crypto/hash.js';
import { concatBytes, utf8 } from '../../../shared/encoding/bytes.js';
import { CHANNELS, DROPPED_PATH_CHANNEL, EVENT_CHANNEL, isChannel } from '../../../shared/protocol/ipc.js';
import { hashChildren, hashLeaf, MERKLE_HASH_SIZE } from '../../../shared/tlog/merkle/hash.js';
import { HASH_SIZE } from '../../../shared/tlog/tiles.js';
import { TreeBuilder } from '../../../shared/tlog/tree-builder.js';
import { REPO_ROOT } from '../../support/vectors.js';

const doc = (name: string) => readFileSync(join(REPO_ROOT, 'docs', name), 'utf8');
const MiB = 1024 * 1024;

describe('bundle format constants (docs/bundle-format.md)', () => {
  const spec = doc('bundle-format.md');

  it('format name, version and manifest file are the ones §1 and §2 require, and the manifest check applies them', () => {
    expect([BUNDLE_FORMAT, BUNDLE_VERSION, MANIFEST_FILE]).toEqual(['proofdesk-bundle', 1, 'manifest.json']);
    expect(spec).toContain(`| \`format\` | MUST be \`"${BUNDLE_FORMAT}"\`.`);
    expect(spec).toContain(`| \`version\` | MUST be \`${BUNDLE_VERSION}\`.`);
    expect(spec.startsWith(`# Proofdesk evidence bundle, format version ${BUNDLE_VERSION}\n`)).toBe(true);
    expect(validateManifest({ format: 'other-bundle', version: BUNDLE_VERSION })).toMatchObject({
      kind: 'unsupported',
    });
    expect(validateManifest({ format: BUNDLE_FORMAT, version: BUNDLE_VERSION + 1 })).toMatchObject({
      kind: 'unsupported',
    });
  });

  it('the manifest limit is 16 MiB and the default entry limit 1 MiB, as the document says', () => {
    expect(MAX_MANIFEST_BYTES).toBe(16 * MiB);
    expect(spec).toContain(`| \`${MANIFEST_FILE}\` | yes | the manifest (§2); at the root; at most 16 MiB |`);
    expect(DEFAULT_MAX_ENTRY_BYTES).toBe(1 * MiB);
    expect(spec).toContain('maximum entry size (default 1 MiB, `--max-entry-bytes`)');
  });

  it('the reserved entry members are those §3 lists, and a repeated one is found in the raw line', () => {
    expect([...RESERVED_MEMBERS]).toEqual(['seq', 'ts', 'prev', 'event', 'sig']);
    expect(spec).toContain(`A member name among\n\`${RESERVED_MEMBERS.join(' ')}\` that appears twice`);
    for (const m of RESERVED_MEMBERS) {
      // JSON.parse keeps the last of two equal names; the check reads the text itself.
      expect(duplicateReservedMember(`{"${m}":1,"x":2,"${m}":3}`), m).toBe(m);
      expect(
        duplicateReservedMember(`{"${m}":1,"x":2,"\\u00${m.charCodeAt(0).toString(16)}${m.slice(1)}":3}`),
        `${m}, escaped`,
      ).toBe(m);
    }
    expect(duplicateReservedMember('{"other":1,"other":2,"seq":0}')).toBeUndefined();
  });
});

describe('signature rule set names (docs/formats.md "Signature rules")', () => {
  it('are the identifiers the document defines; results and reports record them', () => {
    const formats = doc('formats.md');
    expect([ECDSA_P256_RULESET, RSA_RULESET]).toEqual([
      'proofdesk-ecdsa-p256-sha256-v1',
      'proofdesk-rsa-pkcs1v15-sha256-v1',
    ]);
    expect(formats).toContain(`| \`${ECDSA_P256_RULESET}\` |`);
    expect(formats).toContain(`| \`${RSA_RULESET}\` |`);
  });
});

describe('hash sizes (FIPS 180-4 SHA-256; RFC 9162 §2.1.1; C2SP tlog-tiles)', () => {
  it('SHA-256 digests, Merkle hashes and tile hashes are all 32 bytes', () => {
    expect([SHA256_SIZE, MERKLE_HASH_SIZE, HASH_SIZE]).toEqual([32, 32, 32]);
    expect(sha256(utf8('abc')).length).toBe(SHA256_SIZE);
    expect(createHash('sha256').update('abc').digest().length).toBe(SHA256_SIZE);
    expect(hashLeaf(utf8('x')).length).toBe(MERKLE_HASH_SIZE);
    expect(hashChildren(hashLeaf(utf8('a')), hashLeaf(utf8('b'))).length).toBe(MERKLE_HASH_SIZE);
  });

  it('a full hash tile is 256 hashes of HASH_SIZE bytes: the tile check takes exactly that, and nothing shorter', () => {
    const tb = new TreeBuilder({ hash: sha256 });
    const leaves = tb
      .appendTile(
        0,
        Array.from({ length: 256 }, (_, i) => utf8(`entry ${i}`)),
      )
      .map((h) => h.slice());
    const tile = concatBytes(...leaves);
    const ref = { kind: 'hash', level: 0, index: 0, width: 256 } as const;
    expect(tile.length).toBe(256 * HASH_SIZE);
    expect(tb.compareTile(ref, tile)).toEqual({ ok: true });
    expect(tb.compareTile(ref, tile.subarray(0, tile.length - 1))).toEqual({
      ok: false,
      reason: 'SIZE',
      expectedBytes: 256 * HASH_SIZE,
      actualBytes: 256 * HASH_SIZE - 1,
    });
  });
});

describe('the IPC event channel (shared/protocol/ipc.ts)', () => {
  it('is one fixed name that no request channel uses, so events and calls cannot be confused', () => {
    expect(EVENT_CHANNEL).toBe('proofdesk.event');
    expect(isChannel(EVENT_CHANNEL)).toBe(false);
    expect(CHANNELS).not.toContain(EVENT_CHANNEL);
    expect(CHANNELS.length).toBeGreaterThan(0);
    expect(isChannel(DROPPED_PATH_CHANNEL)).toBe(false);
    expect(DROPPED_PATH_CHANNEL).not.toBe(EVENT_CHANNEL);
  });
});
