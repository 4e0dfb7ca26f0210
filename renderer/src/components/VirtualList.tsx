/**
 * A virtualised list for millions of rows. Only the rows in view are in the DOM. Browsers
 * cap an element's height (about 33 million pixels in Chromium), so above MAX_SCROLL_PX the
 * scroll position maps proportionally onto the row index; below it, one pixel is one pixel.
 * Keyboard: arrows, Page Up/Down, Home/End move the selection and keep it in view.
 */
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { keyTarget, listGeometry, scrollAnchor, scrollTopFor } from './virtual-list/geometry.js';
import { useScrollRequest, useViewHeight } from './virtual-list/hooks.js';
import { renderRows } from './virtual-list/rows.js';

export { MAX_SCROLL_PX } from './virtual-list/geometry.js';

export interface VirtualListProps {
  readonly total: number;
  readonly rowHeight: number;
  readonly selected?: number;
  readonly onSelect: (index: number) => void;
  readonly renderRow: (index: number) => ReactNode;
  /** Called with the visible index range [first, last] whenever it changes. */
  readonly onRange?: (first: number, last: number) => void;
  /** Scroll so this index is visible whenever `scrollSeq` changes. */
  readonly scrollTo?: { readonly index: number; readonly seq: number };
  readonly label: string;
}

export function VirtualList({
  total,
  rowHeight,
  selected,
  onSelect,
  renderRow,
  onRange,
  scrollTo,
  label,
}: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const viewH = useViewHeight(ref);
  const [scrollTop, setScrollTop] = useState(0);
  const { height, scaled, visibleRows, pos, first, last } = listGeometry(total, rowHeight, viewH, scrollTop);

  const topFor = useCallback(
    (index: number) => scrollTopFor(index, total, rowHeight, viewH, height, scaled),
    [scaled, total, viewH, rowHeight, height],
  );

  useEffect(() => {
    if (total > 0) onRange?.(first, last);
  }, [first, last, total, onRange]);

  const ensureVisible = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el) return;
      if (index < first + 1 || index > last - 1) el.scrollTop = topFor(scrollAnchor(index, visibleRows));
    },
    [first, last, topFor, visibleRows],
  );

  useScrollRequest(ref, scrollTo, topFor, visibleRows);

  const onKey = (e: KeyboardEvent) => {
    const next = keyTarget(e.key, selected ?? first, visibleRows, total);
    if (next === undefined) return;
    e.preventDefault();
    onSelect(next);
    ensureVisible(next);
  };

  const rows = renderRows({ first, last, total, pos, rowHeight, selected, onSelect, renderRow });

  return (
    <div
      className="vlist"
      ref={ref}
      tabIndex={0}
      onKeyDown={onKey}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="listbox"
      aria-label={label}
      data-testid="entry-list"
    >
      <div className="vlist-spacer" style={{ height }}>
        <div className="vlist-layer" style={{ height: viewH, transform: `translateY(${scrollTop}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
