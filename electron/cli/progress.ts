/**
 * Progress on stderr: one line redrawn in place with an ANSI erase, drawn only when stderr is a
 * terminal that understands it (not TERM=dumb); anything else gets no progress and no escape code.
 */
import type { VerifyProgress } from '../../shared/protocol/progress.js';
import type { ImportProgress } from '../case/evidence.js';
import type { CliIO } from './io.js';

/**
 * The one progress printer: `render` turns an update into the line to show (undefined: this
 * update shows nothing) and says whether it is the last; lines are redrawn at most every
 * `intervalMs`, except the last, which always shows and ends the line.
 */
export function progressLine<P>(
  io: CliIO,
  intervalMs: number,
  render: (p: P) => { readonly line: string; readonly last: boolean } | undefined,
): ((p: P) => void) | undefined {
  if (!io.stderrIsTTY || io.env.TERM === 'dumb') return undefined;
  let shown = 0;
  return (p) => {
    const r = render(p);
    if (r === undefined) return;
    const now = Date.now();
    if (!r.last && now - shown < intervalMs) return;
    shown = now;
    io.err(`\r${r.line}\x1b[K${r.last ? '\n' : ''}`);
  };
}

/** A verification's progress: stage, bar, percentage, entries, rate and time left. */
export function progressPrinter(io: CliIO): ((p: VerifyProgress) => void) | undefined {
  return progressLine<VerifyProgress>(io, 100, (p) => {
    const total = p.entriesTotal;
    const pct = total
      ? Math.min(100, (100 * p.entriesDone) / Math.max(total, 1))
      : (100 * p.bytesDone) / Math.max(p.bytesTotal, 1);
    const width = 24;
    const bar = '#'.repeat(Math.round((pct / 100) * width)).padEnd(width, '.');
    const eta = p.etaMs !== undefined ? ` eta ${Math.ceil(p.etaMs / 1000)}s` : '';
    const line = `${p.stage.padEnd(7)} [${bar}] ${pct.toFixed(0).padStart(3)}%  ${p.entriesDone.toLocaleString('en-US')} entries  ${Math.round(p.entriesPerSecond).toLocaleString('en-US')}/s${eta}`;
    return { line, last: p.stage === 'done' };
  });
}

/** A long copy into the case: MiB copied of the total. */
export function copyProgress(io: CliIO): ((p: ImportProgress) => void) | undefined {
  return progressLine<ImportProgress>(io, 200, (p) =>
    p.stage !== 'copy'
      ? undefined
      : {
          line: `copying ${(p.bytesDone / 1048576).toFixed(0)} / ${(p.bytesTotal / 1048576).toFixed(0)} MiB`,
          last: p.bytesDone >= p.bytesTotal,
        },
  );
}
