import { describe, expect, it } from 'vitest';
import {
  CAUSE_LABELS,
  CHECK_LABELS,
  CHECK_STATUS_LABELS,
  COVERAGE_REASON_LABELS,
  VERDICT_LABELS,
} from '../../../../shared/present/labels.js';
import { inputFormatOf, scopeOf } from '../../../../shared/present/scope.js';
import { CAUSE_CODES } from '../../../../shared/verdict/cause.js';
import { finding } from '../../../../shared/verdict/findings.js';
import { CHECK_ORDER } from '../../../../shared/verdict/finish.js';
import type { VerificationResult } from '../../../../shared/verdict/result.js';

describe('labels', () => {
  it('name every check, status, coverage reason, cause and verdict, each differently', () => {
    for (const table of [CHECK_LABELS, CHECK_STATUS_LABELS, COVERAGE_REASON_LABELS, CAUSE_LABELS, VERDICT_LABELS]) {
      const words = Object.values(table);
      expect(new Set(words).size).toBe(words.length);
      for (const w of words) expect(w.length).toBeGreaterThan(3);
    }
    expect(Object.keys(CHECK_LABELS).sort()).toEqual([...CHECK_ORDER].sort());
    expect(Object.keys(CAUSE_LABELS).sort()).toEqual([...CAUSE_CODES].sort());
    expect(CHECK_LABELS['merkle-roots']).toBe('Merkle roots match signed checkpoints');
    expect(COVERAGE_REASON_LABELS.ROOT_NO_LONGER_MATCHES).toBe('no longer proven');
  });
});

describe('scope', () => {
  const result = (findings: VerificationResult['findings']) => ({ findings }) as unknown as VerificationResult;
  it('says what a bundle verification checked and what it did not', () => {
    const s = scopeOf(result([]));
    expect(inputFormatOf(result([]))).toBe('proofdesk-bundle');
    expect(s.checked.join(' ')).toContain('Merkle root of the entries (RFC 9162)');
    expect(s.notChecked.join(' ')).toContain('what the events say');
  });
  it('for another format, points at what docs/formats.md says for it', () => {
    const r = result([
      finding('INPUT_FORMAT', { file: 'x' }, 'read as', { format: 'sigstore', layout: 'v0.3', signatureRules: 'r' }),
    ]);
    expect(inputFormatOf(r)).toBe('sigstore');
    expect(scopeOf(r).checked).toEqual([
      'the sigstore evidence as docs/formats.md lists for that format, with the same coverage and verdict rules',
    ]);
  });
});
