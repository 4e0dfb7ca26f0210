/**
 * Writes the finding-code table of docs/bundle-format.md from shared/verdict/findings.ts, the single
 * source of truth. test/unit/scripts/finding-codes-doc.test.ts fails when the two drift apart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES } from '../shared/verdict/findings.js';

export const DOC = join(import.meta.dirname, '..', 'docs', 'bundle-format.md');
const BEGIN = '<!-- finding-codes:begin -->';
const END = '<!-- finding-codes:end -->';

export function findingCodesTable(): string {
  const rows = Object.entries(FINDING_CODES).map(
    ([code, [sev, meaning]]) => `| \`${code}\` | ${sev} | ${meaning.replace(/\|/g, '\\|')} |`,
  );
  return ['| code | severity | meaning |', '|---|---|---|', ...rows].join('\n');
}

export function withTable(doc: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`markers ${BEGIN} … ${END} not found`);
  return `${doc.slice(0, a + BEGIN.length)}\n${findingCodesTable()}\n${doc.slice(b)}`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(DOC, withTable(readFileSync(DOC, 'utf8')));
  console.log('docs/bundle-format.md finding-code table updated');
}
