/**
 * The findings of a comparison as one list (what a case records for a diff run,
 * docs/case-file.md §6): the comparison's own findings (their files already name the export as
 * `A:` / `B:`), then export A's and export B's own verification findings, each file prefixed
 * with its side (`A:entries.jsonl`; a finding without a file gets the export's name). Pure and
 * deterministic, so `case verify` recomputes it from the stored result.
 */
import type { Finding } from '../verdict/findings.js';
import type { DiffResult, Side } from './model.js';

export function diffRunFindings(r: DiffResult): Finding[] {
  const side = (s: Side, f: Finding): Finding => ({
    ...f,
    location: { ...f.location, file: `${s}:${f.location.file ?? (s === 'A' ? r.a.name : r.b.name)}` },
  });
  return [
    ...r.findings,
    ...r.a.verification.findings.map((f) => side('A', f)),
    ...r.b.verification.findings.map((f) => side('B', f)),
  ];
}
