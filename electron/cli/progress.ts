/** A one-line progress display on stderr, drawn only when stderr is a terminal. */
import type { VerifyProgress } from '../verify/bundle/verify.js';
import type { CliIO } from './io.js';

export function progressPrinter(io: CliIO): ((p: VerifyProgress) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.stage !== 'done' && now - last < 100) return;
    last = now;
    const total = p.entriesTotal;
    const pct = total
      ? Math.min(100, (100 * p.entriesDone) / Math.max(total, 1))
      : (100 * p.bytesDone) / Math.max(p.bytesTotal, 1);
    const width = 24;
    const bar = '#'.repeat(Math.round((pct / 100) * width)).padEnd(width, '.');
    const eta = p.etaMs !== undefined ? ` eta ${Math.ceil(p.etaMs / 1000)}s` : '';
    const line = `${p.stage.padEnd(7)} [${bar}] ${pct.toFixed(0).padStart(3)}%  ${p.entriesDone.toLocaleString('en-US')} entries  ${Math.round(p.entriesPerSecond).toLocaleString('en-US')}/s${eta}`;
    io.err(`\r${line}\x1b[K${p.stage === 'done' ? '\n' : ''}`);
  };
}
