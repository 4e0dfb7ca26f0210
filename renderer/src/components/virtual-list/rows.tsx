/** The rows in view, each placed by a transform on the layer that follows the scroll. */
import type { ReactNode } from 'react';

export interface RowsInView {
  readonly first: number;
  readonly last: number;
  readonly total: number;
  /** Top of the view as a fractional row index: rows are offset from it. */
  readonly pos: number;
  readonly rowHeight: number;
  readonly selected?: number;
  readonly onSelect: (index: number) => void;
  readonly renderRow: (index: number) => ReactNode;
}

export function renderRows({ first, last, total, pos, rowHeight, selected, onSelect, renderRow }: RowsInView) {
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
  return rows;
}
