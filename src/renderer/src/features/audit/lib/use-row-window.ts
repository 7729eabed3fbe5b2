import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

// Which rows of a newest-first, fixed-row-height scroll area are in view (plus `overscan` on
// each side), keeping a reader who scrolled down on the rows they read while new ones arrive on
// top.
//
// Written here rather than taken from a virtualization library on purpose: the audit table takes
// a live batch every 100 ms that changes the row count and moves every row down, and the
// libraries we measured (bench/, "UI: p95 frame") pay per row loaded on each count change
// (TanStack Virtual rebuilds a measurement per row) or settle the window a render after the
// scroll position moves, which mounts a screenful of rows only to swap them out again. With one
// row height the window is index arithmetic, and the shift for the new rows is applied in the
// same render that shows them, so a batch costs the rows in view and mounts none of them anew.
export interface RowWindow {
  // Inclusive bounds; `last < first` when there are no rows.
  first: number;
  last: number;
  totalHeight: number;
}

interface Viewport {
  scrollTop: number;
  height: number;
  // The newest row when scrollTop was read: rows newer than it arrived since, above the reader.
  newestKey: number;
}

export function useRowWindow(
  scrollRef: RefObject<HTMLElement | null>,
  options: {
    rowCount: number;
    rowHeight: number;
    overscan: number;
    // A key that grows with each new row on top (the audit seq), and how many rows are newer
    // than a given key.
    newestKey: number;
    countNewerThan: (key: number) => number;
  },
): RowWindow {
  const { rowCount, rowHeight, overscan, newestKey, countNewerThan } = options;
  const [viewport, setViewport] = useState<Viewport>({ scrollTop: 0, height: 0, newestKey });
  // Scroll events read the newest key rendered, not the one of the render that subscribed.
  // (A layout effect, and the first: the shift below reads it in the same layout pass.)
  const rendered = useRef(newestKey);
  useLayoutEffect(() => {
    rendered.current = newestKey;
  });

  const read = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const next = { scrollTop: el.scrollTop, height: el.clientHeight, newestKey: rendered.current };
    setViewport((prev) =>
      // Scrolling within a row changes nothing rendered; skip the render.
      Math.floor(prev.scrollTop / rowHeight) === Math.floor(next.scrollTop / rowHeight) &&
      (prev.scrollTop === 0) === (next.scrollTop === 0) &&
      prev.height === next.height &&
      prev.newestKey === next.newestKey
        ? prev
        : next,
    );
  }, [scrollRef, rowHeight]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    read();
    el.addEventListener('scroll', read, { passive: true });
    // jsdom has no ResizeObserver: the height read above then stands.
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(read) : undefined;
    resize?.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      resize?.disconnect();
    };
  }, [scrollRef, read]);

  // A reader at the very top watches new rows come in; anyone further down keeps their rows, now
  // `shift` rows lower.
  const shift =
    rowCount === 0 || viewport.scrollTop === 0 || newestKey <= viewport.newestKey
      ? 0
      : countNewerThan(viewport.newestKey);
  const scrollTop = viewport.scrollTop + shift * rowHeight;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (rowCount === 0) el.scrollTop = 0;
    else if (shift > 0) el.scrollTop = scrollTop;
    else return;
    read();
  }, [scrollRef, rowCount, shift, scrollTop, read]);

  const topRow = Math.floor(scrollTop / rowHeight);
  const visible = Math.ceil(viewport.height / rowHeight) + 1;
  const first = Math.max(0, Math.min(topRow, rowCount - 1) - overscan);
  const last = Math.min(rowCount - 1, topRow + visible + overscan);
  return { first, last, totalHeight: rowCount * rowHeight };
}
