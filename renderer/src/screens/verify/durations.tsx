import type { RunStage, RunView } from '../../../../shared/protocol/ipc.js';
import { duration } from '../../format.js';

const STAGE_NAMES: Record<RunStage, string> = {
  import: 'copy into the case',
  open: 'open',
  digest: 'open and digest',
  scan: 'index lines',
  verify: 'verify entries',
  merge: 'roots and signatures',
  index: 'search index',
  done: 'done',
};

/** How long the run took in all, and by stage: what the examiner waited for. */
export function Durations({ view }: { view: RunView }) {
  const total =
    view.finishedAt !== undefined
      ? Date.parse(view.finishedAt) - Date.parse(view.startedAt)
      : view.run?.stats.elapsedMs;
  if (total === undefined) return null;
  const stages = (view.stages ?? []).filter((s) => s.stage !== 'done' && s.ms >= 1);
  return (
    <span data-testid="run-duration" data-ms={Math.round(total)}>
      {duration(total)} in all
      {stages.length ? ` (${stages.map((s) => `${STAGE_NAMES[s.stage]} ${duration(s.ms)}`).join(', ')})` : ''}
    </span>
  );
}
