/**
 * docs/formats.md stays in step with the code: every finding code it names exists, every code
 * added for the other formats is explained there, and it lists exactly the --format names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_FORMATS } from '../../../../electron/verify/input-format.js';
import { FINDING_CODES } from '../../../../shared/verdict/findings.js';
import { REPO_ROOT } from '../../../support/vectors.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'formats.md'), 'utf8');
const FORMAT_CODES = [
  'INPUT_FORMAT',
  'DOCUMENT_INVALID',
  'TILE_MALFORMED',
  'TILE_MISSING',
  'TILE_HASH_MISMATCH',
  'PROOF_CHECKPOINT_MISMATCH',
  'TLOG_BODY_MISMATCH',
  'ARTIFACT_MISMATCH',
  'CONTENT_NOT_CHECKED',
  'TIME_NOT_ESTABLISHED',
  'DIGEST_CHAIN_BROKEN',
  'LOG_FILE_MISMATCH',
  'LOG_FILE_MISSING',
];

describe('docs/formats.md', () => {
  it('names only existing finding codes', () => {
    const named = [...doc.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(20);
    for (const c of named) expect(Object.keys(FINDING_CODES), c).toContain(c);
  });

  it('explains every code the format adapters added', () => {
    for (const c of FORMAT_CODES) {
      expect(Object.keys(FINDING_CODES)).toContain(c);
      expect(doc.includes(`\`${c}\``), c).toBe(true);
    }
  });

  it('lists exactly the accepted --format names', () => {
    const line = /`--format` forces one of\n`([^`]+)`/.exec(doc);
    expect(line![1]!.split(/\s+/)).toEqual([...INPUT_FORMATS]);
  });
});
