import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../../shared/audit';
import { createAuditApi } from './audit-api';
import type { Security } from './open-security';

// Only the log's live feed matters here: the api's other calls hand straight through.
function securityWithFeed() {
  const listeners = new Set<(event: AuditEvent) => void>();
  const audit = {
    subscribe(listener: (event: AuditEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    security: { audit } as unknown as Security,
    emit: (seq: number) => listeners.forEach((l) => l({ seq } as AuditEvent)),
    listenerCount: () => listeners.size,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('audit api: live events', () => {
  it('sends a burst as one batch, at most 100 ms after its first event, oldest first', () => {
    const { security, emit } = securityWithFeed();
    const batches: number[][] = [];
    createAuditApi(security).onEvents((batch) => batches.push(batch.map((e) => e.seq)));
    emit(1);
    vi.advanceTimersByTime(60);
    emit(2);
    emit(3);
    vi.advanceTimersByTime(39);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2, 3]]);
    emit(4);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[1, 2, 3], [4]]);
    // Quiet: no empty batches.
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(2);
  });

  it('stops listening and drops a batch still waiting when unsubscribed', () => {
    const { security, emit, listenerCount } = securityWithFeed();
    const listener = vi.fn();
    const stop = createAuditApi(security).onEvents(listener);
    emit(1);
    stop();
    expect(listenerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(listener).not.toHaveBeenCalled();
  });
});
