/** A running comparison: which export is being verified, or that the trees are being compared; cancellable. */
import type { CompareProgress, CompareView } from '../../../../shared/protocol/ipc.js';
import { call } from '../../api.js';
import { num } from '../../format.js';

function progressText(p: CompareProgress | undefined): string {
  if (!p) return 'starting…';
  if (p.stage === 'verify')
    return `verifying export ${p.side}: ${num(p.verify.entriesDone)}${p.verify.entriesTotal ? ` of ${num(p.verify.entriesTotal)}` : ''} entries`;
  return p.stage === 'compare' ? 'comparing the two trees…' : 'done';
}

export function CompareProgressPanel({ job }: { job: CompareView }) {
  return (
    <section className="panel" role="status" data-testid="compare-progress">
      <div className="row-between">
        <span>{progressText(job.progress)}</span>
        <button type="button" className="danger" onClick={() => void call('compare.cancel', { jobId: job.jobId })}>
          Cancel
        </button>
      </div>
    </section>
  );
}
