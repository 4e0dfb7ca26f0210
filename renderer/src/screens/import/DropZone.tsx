/** A drop target for files, with the file dialog's button when the desktop offers one. */
import type { DragEvent, ReactNode } from 'react';
import { useWorkspace } from '../../state.js';

export function DropZone({
  testId,
  onDrop,
  onChoose,
  children,
}: {
  testId: string;
  onDrop: (e: DragEvent) => void;
  onChoose: () => void;
  children: ReactNode;
}) {
  const { w } = useWorkspace();
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target only; the button and path field inside it are the keyboard route
    <div className="dropzone" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid={testId}>
      {children}
      {w.app?.features.fileDialog ? (
        <button type="button" className="secondary" onClick={onChoose}>
          Choose…
        </button>
      ) : null}
    </div>
  );
}
