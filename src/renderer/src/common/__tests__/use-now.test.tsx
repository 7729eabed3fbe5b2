import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useNow } from '../use-now';

function Clock({ everyMs }: { everyMs?: number }) {
  const now = useNow(everyMs);
  return <output aria-label="now">{now}</output>;
}

const shown = () => Number(screen.getByLabelText('now').textContent);
const START = Date.parse('2026-11-22T00:00:00.000Z');

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useNow', () => {
  it('gives the time in milliseconds and refreshes it every ten seconds by default', () => {
    render(<Clock />);
    expect(shown()).toBe(START);
    act(() => vi.advanceTimersByTime(9_999));
    expect(shown()).toBe(START);
    act(() => vi.advanceTimersByTime(1));
    expect(shown()).toBe(START + 10_000);
  });

  it('refreshes as often as asked, for a countdown each second', () => {
    render(<Clock everyMs={1000} />);
    act(() => vi.advanceTimersByTime(1000));
    expect(shown()).toBe(START + 1000);
    act(() => vi.advanceTimersByTime(2000));
    expect(shown()).toBe(START + 3000);
  });

  it('stops its timer when the component goes away', () => {
    const { unmount } = render(<Clock everyMs={1000} />);
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
