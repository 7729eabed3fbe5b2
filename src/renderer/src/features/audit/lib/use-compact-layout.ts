import { useLayoutEffect, useState, type RefObject } from 'react';

// Whether the audit table is narrower than its one-line layout needs (`minWidth` pixels): then
// each row takes two lines instead of hiding columns off to the side. Measured on the element,
// not the window, since the sidebar and the pane's padding take their share first. jsdom has no
// ResizeObserver: there the table stays one-line.
export function useCompactLayout(ref: RefObject<HTMLElement | null>, minWidth: number): boolean {
  const [compact, setCompact] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const read = () => setCompact(el.clientWidth > 0 && el.clientWidth < minWidth);
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, minWidth]);
  return compact;
}
