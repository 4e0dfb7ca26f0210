/**
 * Where the rows of a virtualised list fall. Browsers cap an element's height (about 33 million
 * pixels in Chromium), so above MAX_SCROLL_PX the scroll position maps proportionally onto the
 * row index; below it, one pixel is one pixel. Pure: numbers in, numbers out.
 */

export const MAX_SCROLL_PX = 8_000_000;

/** The list's extent and the rows in view, computed once per render. */
export interface ListGeometry {
  /** The spacer's height: the whole list, capped at MAX_SCROLL_PX. */
  readonly height: number;
  /** The list is taller than the cap: scroll positions are proportional, not pixels. */
  readonly scaled: boolean;
  /** Whole rows the view holds (at least one): the step of Page Up/Down. */
  readonly visibleRows: number;
  /** Top of the view as a fractional row index. */
  readonly pos: number;
  readonly first: number;
  readonly last: number;
}

export function listGeometry(total: number, rowHeight: number, viewH: number, scrollTop: number): ListGeometry {
  const full = total * rowHeight;
  const height = Math.min(full, MAX_SCROLL_PX);
  const scaled = full > MAX_SCROLL_PX;
  const visibleRows = Math.max(1, Math.floor(viewH / rowHeight));
  const pos = scaled
    ? (scrollTop / Math.max(1, height - viewH)) * Math.max(0, total - viewH / rowHeight)
    : scrollTop / rowHeight;
  const first = Math.max(0, Math.floor(pos));
  const last = Math.min(total - 1, Math.floor(pos + viewH / rowHeight));
  return { height, scaled, visibleRows, pos, first, last };
}

/** The scroll position that puts row `index` at the top of the view. */
export function scrollTopFor(
  index: number,
  total: number,
  rowHeight: number,
  viewH: number,
  height: number,
  scaled: boolean,
): number {
  return scaled ? (index / Math.max(1, total - viewH / rowHeight)) * (height - viewH) : index * rowHeight;
}

/** The row to scroll to so `index` shows a third of the way down the view, not at its edge. */
export function scrollAnchor(index: number, visibleRows: number): number {
  return Math.max(0, index - Math.floor(visibleRows / 3));
}

/**
 * The row a key moves the selection to from `cur`, kept within [0, total - 1]; undefined for a
 * key that does not move it. Arrows and j/k step one row, Page Up/Down a view less one row (so
 * one row stays in sight), Home/End go to the ends.
 */
export function keyTarget(key: string, cur: number, visibleRows: number, total: number): number | undefined {
  let next: number;
  switch (key) {
    case 'ArrowDown':
    case 'j':
      next = cur + 1;
      break;
    case 'ArrowUp':
    case 'k':
      next = cur - 1;
      break;
    case 'PageDown':
      next = cur + (visibleRows - 1);
      break;
    case 'PageUp':
      next = cur + -(visibleRows - 1);
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = total - 1;
      break;
    default:
      return undefined;
  }
  return Math.max(0, Math.min(total - 1, next));
}
