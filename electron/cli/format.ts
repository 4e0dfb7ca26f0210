/** Human-readable rendering of results for the terminal: verdict first, then what failed and where. */
import type { Finding } from '../../shared/verdict/findings.js';
import type { VerificationRun } from '../../shared/verdict/result.js';

const MAX_FINDINGS_SHOWN = 50;

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

export function formatRun(run: VerificationRun): string {
  const r = run.result;
  const s = run.stats;
  const lines: string[] = [];
  lines.push(`${r.verdict}  ${r.bundle.name}  (origin ${r.bundle.origin})`);
  lines.push('');
  lines.push(
    `  entries      ${r.bundle.entryCount.toLocaleString('en-US')} (${r.bundle.entriesBytes.toLocaleString('en-US')} bytes)`,
  );
  lines.push(
    `  coverage     verified ${r.coverage.verified.toLocaleString('en-US')}, failed ${r.coverage.failed.toLocaleString('en-US')}, unverifiable ${r.coverage.unverifiable.toLocaleString('en-US')}`,
  );
  for (const range of r.coverage.ranges) {
    if (range.status !== 'verified')
      lines.push(`               ${range.status} ${range.from}..${range.to - 1} (${range.reason})`);
  }
  const trusted = r.checkpoints.filter((c) => c.status === 'trusted');
  lines.push(
    `  checkpoints  ${r.checkpoints.length} (${trusted.length} trusted, ${trusted.filter((c) => c.rootStatus === 'match').length} roots match)`,
  );
  lines.push('');
  lines.push('  checks');
  for (const c of r.checks) {
    const counts = Object.entries(c.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(`    ${c.status.toUpperCase().padEnd(13)} ${c.id.padEnd(22)} ${counts}`);
  }
  const important = r.findings.filter((f) => f.severity !== 'info');
  if (important.length) {
    lines.push('');
    lines.push(
      `  findings (${important.length}${Object.keys(r.findingsOmitted).length ? ', more counted but not listed' : ''})`,
    );
    for (const f of important.slice(0, MAX_FINDINGS_SHOWN)) {
      lines.push(`    ${f.severity.toUpperCase().padEnd(8)} ${f.code}  ${formatLocation(f)}`);
      lines.push(`             ${f.message}`);
      if (f.evidence?.expected !== undefined) lines.push(`             expected ${String(f.evidence.expected)}`);
      if (f.evidence?.actual !== undefined) lines.push(`             actual   ${String(f.evidence.actual)}`);
    }
    if (important.length > MAX_FINDINGS_SHOWN)
      lines.push(`    … ${important.length - MAX_FINDINGS_SHOWN} more (use --json for all)`);
  }
  lines.push('');
  lines.push(`  rules ${r.rules.ed25519}, ${r.rules.merkle}, ${r.rules.chain}`);
  lines.push(
    `  ${s.workers} worker${s.workers === 1 ? '' : 's'}, ${(s.elapsedMs / 1000).toFixed(2)} s, ${Math.round(s.entriesPerSecond).toLocaleString('en-US')} entries/s${s.crossCheckedSignatures ? `, ${s.crossCheckedSignatures} signatures cross-checked` : ''}${s.hashing ? `, hashing ${s.hashing}` : ''}`,
  );
  return lines.join('\n') + '\n';
}
