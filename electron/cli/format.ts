/**
 * Human-readable rendering of results for the terminal: the verdict and the headline first,
 * then the diagnosis (what happened, where), what still stands, the checks in words, and the
 * findings under their causes. The words are shared/present's, the same as the app's and the PDF's.
 */
import {
  CAUSE_LABELS,
  CHECK_LABELS,
  CHECK_STATUS_LABELS,
  COVERAGE_REASON_LABELS,
  VERDICT_LABELS,
} from '../../shared/present/labels.js';
import { entrySpan, num, seqSpan } from '../../shared/present/words.js';
import type { Cause } from '../../shared/verdict/cause.js';
import type { Finding } from '../../shared/verdict/findings.js';
import type { VerificationResult, VerificationRun } from '../../shared/verdict/result.js';

const MAX_FINDINGS_SHOWN = 50;
const MAX_CAUSES_SHOWN = 20;
const MAX_RANGES_SHOWN = 12;
const WIDTH = 100;

export function formatLocation(f: Finding): string {
  const l = f.location;
  const parts: string[] = [];
  if (l.file) parts.push(l.file);
  if (l.entry !== undefined) parts.push(`entry ${l.entry}`);
  if (l.offset !== undefined) parts.push(`byte ${l.offset}`);
  if (l.checkpointSize !== undefined) parts.push(`checkpoint size ${l.checkpointSize}`);
  if (l.range) parts.push(`entries ${l.range[0]}..${l.range[1] - 1}`);
  if (l.path) parts.push(l.path);
  return parts.join(', ');
}

/** Wraps text to the terminal width, each line indented. */
function wrap(text: string, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}

/** Where a cause is, in a few words: its entries, seq values or checkpoints. */
function causePlace(c: Cause): string {
  const parts: string[] = [];
  if (c.entries)
    parts.push(
      c.entries.from === c.entries.to ? `before entry ${num(c.entries.from)}` : entrySpan(c.entries.from, c.entries.to),
    );
  if (c.seq) parts.push(seqSpan(c.seq.from, c.seq.to));
  if (!c.entries && c.checkpoints?.length)
    parts.push(c.checkpoints.length === 1 ? (c.checkpoints[0]?.file ?? '') : `${c.checkpoints.length} checkpoints`);
  return parts.join(', ');
}

function diagnosisLines(r: VerificationResult): string[] {
  if (!r.diagnosis.length) return [];
  const lines = ['', '  What the evidence shows'];
  r.diagnosis.slice(0, MAX_CAUSES_SHOWN).forEach((c, k) => {
    const place = causePlace(c);
    lines.push(`    ${k + 1}. ${CAUSE_LABELS[c.cause]}${place ? ` — ${place}` : ''}  [${c.cause}, ${c.severity}]`);
    lines.push(...wrap(c.text, '       '));
    const shown = c.findings.slice(0, 3).map((i) => {
      const f = r.findings[i];
      return f ? `${f.code} at ${formatLocation(f) || 'the export'}` : '';
    });
    if (shown.length)
      lines.push(
        ...wrap(
          `shown by ${shown.join('; ')}${c.findings.length > 3 ? ` and ${c.findings.length - 3} more` : ''}`,
          '       ',
        ),
      );
  });
  if (r.diagnosis.length > MAX_CAUSES_SHOWN)
    lines.push(`    … ${r.diagnosis.length - MAX_CAUSES_SHOWN} more causes (use --json for all)`);
  return lines;
}

function coverageLines(r: VerificationResult): string[] {
  const c = r.coverage;
  const lines = [
    '',
    `  Coverage     ${num(c.verified)} verified, ${num(c.failed)} failed, ${num(c.unverifiable)} unverifiable, of ${num(r.bundle.entryCount)} entries (${num(r.bundle.entriesBytes)} bytes)`,
  ];
  const others = c.ranges.filter((g) => g.status !== 'verified');
  for (const g of others.slice(0, MAX_RANGES_SHOWN)) {
    lines.push(
      `               ${g.status.padEnd(12)} ${entrySpan(g.from, g.to).padEnd(26)} ${COVERAGE_REASON_LABELS[g.reason]}`,
    );
  }
  if (others.length > MAX_RANGES_SHOWN)
    lines.push(`               … ${others.length - MAX_RANGES_SHOWN} more ranges (use --json for all)`);
  const trusted = r.checkpoints.filter((x) => x.status === 'trusted');
  lines.push(
    `  Checkpoints  ${r.checkpoints.length} (${trusted.length} trusted, ${trusted.filter((x) => x.rootStatus === 'match').length} roots match)`,
  );
  return lines;
}

function checkLines(r: VerificationResult): string[] {
  const lines = ['', '  Checks'];
  for (const c of r.checks) {
    const counts = Object.entries(c.counts)
      .map(([k, v]) => `${k} ${num(v)}`)
      .join(', ');
    lines.push(`    ${CHECK_STATUS_LABELS[c.status].padEnd(15)} ${CHECK_LABELS[c.id].padEnd(52)} ${counts}`);
  }
  return lines;
}

function findingLines(r: VerificationResult): string[] {
  const important = r.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.severity !== 'info');
  if (!important.length) return [];
  const causeOf = new Map<number, number>();
  r.diagnosis.forEach((c, k) => {
    for (const i of c.findings) causeOf.set(i, k + 1);
  });
  const more = Object.keys(r.findingsOmitted).length ? ', more counted but not listed' : '';
  const lines = ['', `  Findings (${important.length}${more}), under their causes`];
  for (const { f, i } of important.slice(0, MAX_FINDINGS_SHOWN)) {
    const k = causeOf.get(i);
    lines.push(`    ${f.severity.toUpperCase().padEnd(8)} ${f.code}  ${formatLocation(f)}${k ? `  (cause ${k})` : ''}`);
    lines.push(`             ${f.message}`);
    if (f.evidence?.expected !== undefined) lines.push(`             expected ${String(f.evidence.expected)}`);
    if (f.evidence?.actual !== undefined) lines.push(`             actual   ${String(f.evidence.actual)}`);
  }
  if (important.length > MAX_FINDINGS_SHOWN)
    lines.push(`    … ${important.length - MAX_FINDINGS_SHOWN} more (use --json for all)`);
  return lines;
}

export function formatRun(run: VerificationRun): string {
  const r = run.result;
  const s = run.stats;
  const lines: string[] = [`${VERDICT_LABELS[r.verdict]}  ${r.bundle.name}  (origin ${r.bundle.origin})`, ''];
  lines.push(...wrap(r.headline, '  '));
  lines.push(...diagnosisLines(r), ...coverageLines(r), ...checkLines(r), ...findingLines(r));
  lines.push('');
  lines.push(`  rules ${r.rules.ed25519}, ${r.rules.merkle}, ${r.rules.chain}`);
  const cross = s.crossCheckedSignatures ? `, ${s.crossCheckedSignatures} signatures cross-checked` : '';
  lines.push(
    `  ${s.workers} worker${s.workers === 1 ? '' : 's'}, ${(s.elapsedMs / 1000).toFixed(2)} s, ${num(Math.round(s.entriesPerSecond))} entries/s${cross}${s.hashing ? `, hashing ${s.hashing}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
