/** The list's view: its measured height, and the scroll requests it follows. */
import { type RefObject, useEffect, useLayoutEffect, useState } from 'react';
import { scrollAnchor } from './geometry.js';

/** The element's client height, kept current as it resizes (600 until first measured). */
export function useViewHeight(ref: RefObject<HTMLDivElement | null>): number {
  const [viewH, setViewH] = useState(600);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewH(el.clientHeight));
    ro.observe(el);
    setViewH(el.clientHeight);
    return () => ro.disconnect();
  }, [ref]);
  return viewH;
}

/** Scrolls so `scrollTo.index` is in view each time a new request (a new `seq`) arrives. */
export function useScrollRequest(
  ref: RefObject<HTMLDivElement | null>,
  scrollTo: { readonly index: number; readonly seq: number } | undefined,
  topFor: (index: number) => number,
  visibleRows: number,
): void {
  useEffect(() => {
    if (scrollTo) {
      const el = ref.current;
      if (el) el.scrollTop = topFor(scrollAnchor(scrollTo.index, visibleRows));
    }
    // Only when a new scroll request arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollTo?.seq]);
}
