/**
 * A virtualised list for millions of rows. Only the rows in view are in the DOM. Browsers
 * cap an element's height (about 33 million pixels in Chromium), so above MAX_SCROLL_PX the
 * scroll position maps proportionally onto the row index; below it, one pixel is one pixel.
 * Keyboard: arrows, Page Up/Down, Home/End move the selection and keep it in view.
 */
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export const MAX_SCROLL_PX = 8_000_000;

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
  const [viewH, setViewH] = useState(600);
  const [scrollTop, setScrollTop] = useState(0);
  const full = total * rowHeight;
  const height = Math.min(full, MAX_SCROLL_PX);
  const scaled = full > MAX_SCROLL_PX;
  const visibleRows = Math.max(1, Math.floor(viewH / rowHeight));

  // Top of the view as a fractional row index.
  const pos = scaled
    ? (scrollTop / Math.max(1, height - viewH)) * Math.max(0, total - viewH / rowHeight)
    : scrollTop / rowHeight;
  const first = Math.max(0, Math.floor(pos));
  const last = Math.min(total - 1, Math.floor(pos + viewH / rowHeight));

  const topFor = useCallback(
    (index: number) =>
      scaled ? (index / Math.max(1, total - viewH / rowHeight)) * (height - viewH) : index * rowHeight,
    [scaled, total, viewH, rowHeight, height],
  );

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewH(el.clientHeight));
    ro.observe(el);
    setViewH(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (total > 0) onRange?.(first, last);
  }, [first, last, total, onRange]);

  const ensureVisible = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el) return;
      if (index < first + 1 || index > last - 1) {
        el.scrollTop = topFor(Math.max(0, index - Math.floor(visibleRows / 3)));
      }
    },
    [first, last, topFor, visibleRows],
  );

  useEffect(() => {
    if (scrollTo) {
      const el = ref.current;
      if (el) el.scrollTop = topFor(Math.max(0, scrollTo.index - Math.floor(visibleRows / 3)));
    }
    // Only when a new scroll request arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollTo?.seq]);

  const onKey = (e: KeyboardEvent) => {
    const cur = selected ?? first;
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: visibleRows - 1,
      PageUp: -(visibleRows - 1),
      j: 1,
      k: -1,
    };
    let next: number | undefined;
    if (e.key in moves) next = cur + moves[e.key]!;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = total - 1;
    if (next === undefined) return;
    e.preventDefault();
    next = Math.max(0, Math.min(total - 1, next));
    onSelect(next);
    ensureVisible(next);
  };

  const rows: ReactNode[] = [];
  for (let i = first; i <= last && i < total; i++) {
    rows.push(
      // biome-ignore lint/a11y/useFocusableInteractive: the listbox owns focus and the keys (aria-activedescendant); a row is only clicked
      // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox owns focus and the keys (aria-activedescendant); a row is only clicked
      <div
        key={i}
        className={`vrow${i === selected ? ' selected' : ''}`}
        style={{ transform: `translateY(${((i - pos) * rowHeight).toFixed(2)}px)`, height: rowHeight }}
        role="option"
        aria-selected={i === selected}
        data-index={i}
        onClick={() => onSelect(i)}
      >
        {renderRow(i)}
      </div>,
    );
  }

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
