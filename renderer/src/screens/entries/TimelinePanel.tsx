/** The timeline above the list, which the examiner may hide and show again. */
import { useState } from 'react';
import { Timeline } from '../../components/Timeline.js';
import type { TimeSpan } from './types.js';

export function TimelinePanel({ runId, onOpen }: { runId: string; onOpen: (b: TimeSpan) => void }) {
  const [showTimeline, setShowTimeline] = useState(true);
  return (
    <section className="panel timeline-panel">
      {showTimeline ? (
        <Timeline runId={runId} onOpen={onOpen} onHide={() => setShowTimeline(false)} />
      ) : (
        <button type="button" className="link small" onClick={() => setShowTimeline(true)}>
          Show the timeline
        </button>
      )}
    </section>
  );
}
