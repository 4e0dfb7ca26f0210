import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC, findingCodesTable, withTable } from '../../../scripts/finding-codes-doc.js';
import { FINDING_CODES } from '../../../shared/verdict/findings.js';

describe('docs/bundle-format.md finding codes', () => {
  it('lists exactly the codes of shared/verdict/findings.ts (run `npm run docs:codes` after adding one)', () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(withTable(doc)).toBe(doc);
    for (const code of Object.keys(FINDING_CODES)) expect(findingCodesTable()).toContain(`\`${code}\``);
    expect(Object.keys(FINDING_CODES).length).toBeGreaterThan(30);
  });
});
