import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsentQueue, type ConsentQueue } from './consents';

const request = (uid: string, clientId = 'client-a', redirectUri = 'http://127.0.0.1:5000/cb') => ({
  uid,
  clientId,
  clientName: 'Cursor',
  redirectUri,
  scopes: ['mcp.access'],
  resources: ['http://127.0.0.1:8081/mcp'],
  clientKind: 'registered' as const,
  registeredAt: '2026-12-07T10:00:00.000Z',
});

let queue: ConsentQueue | undefined;
afterEach(() => {
  queue?.close();
  vi.useRealTimers();
});

describe('consent queue', () => {
  it('collapses repeats of the same request into one entry, and one decision answers them all', () => {
    queue = createConsentQueue();
    for (let i = 0; i < 300; i++) expect(queue.add(request(`uid-${i}`))).toBe('pending');
    const list = queue.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ uid: 'uid-0', repeats: 300, redirectHost: '127.0.0.1:5000' });
    expect(queue.decide('uid-0', 'allow')).toBe(true);
    expect(queue.list()).toEqual([]);
    expect(queue.takeDecision('uid-0')).toBe('allow');
    expect(queue.takeDecision('uid-299')).toBe('allow');
    expect(queue.takeDecision('uid-299')).toBeUndefined();
    // A later request of the same client is a new question.
    expect(queue.add(request('uid-300'))).toBe('pending');
    expect(queue.list()).toHaveLength(1);
  });

  it('keeps different redirect targets apart', () => {
    queue = createConsentQueue();
    queue.add(request('a'));
    queue.add(request('b', 'client-a', 'http://127.0.0.1:6000/cb'));
    expect(queue.list().map((c) => c.redirectHost)).toEqual(['127.0.0.1:5000', '127.0.0.1:6000']);
  });

  it('expires pending requests, tells listeners, and refuses them afterwards', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-07T10:00:00Z'));
    queue = createConsentQueue({ ttlMs: 60_000 });
    const seen: number[] = [];
    queue.onChange((list) => seen.push(list.length));
    queue.add(request('old'));
    expect(queue.list()[0]?.expiresAt).toBe('2026-12-07T10:01:00.000Z');
    vi.advanceTimersByTime(30_000);
    queue.add(request('other', 'client-b'));
    vi.advanceTimersByTime(30_001);
    expect(queue.list().map((c) => c.uid)).toEqual(['other']);
    expect(seen.at(-1)).toBe(1);
    expect(queue.state('old')).toBe('expired');
    expect(queue.add(request('old'))).toBe('expired');
    expect(queue.decide('old', 'allow')).toBe(false);
    vi.advanceTimersByTime(30_000);
    expect(queue.list()).toEqual([]);
    expect(seen.at(-1)).toBe(0);
  });

  it('a repeat keeps the entry alive from its latest ask', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-07T10:00:00Z'));
    queue = createConsentQueue({ ttlMs: 60_000 });
    queue.add(request('first'));
    vi.advanceTimersByTime(50_000);
    queue.add(request('second'));
    vi.advanceTimersByTime(20_000);
    expect(queue.list()).toHaveLength(1);
    expect(queue.state('first')).toBe('expired');
    expect(queue.state('second')).toBe('pending');
  });

  it('refuses new requests beyond its size, never pushing out waiting ones', () => {
    queue = createConsentQueue({ maxPending: 3 });
    for (const c of ['a', 'b', 'c']) expect(queue.add(request(`uid-${c}`, `client-${c}`))).toBe('pending');
    expect(queue.add(request('uid-d', 'client-d'))).toBe('full');
    expect(queue.state('uid-d')).toBe('unknown');
    // A repeat of a waiting request still joins it.
    expect(queue.add(request('uid-a2', 'client-a'))).toBe('pending');
    expect(queue.list().map((c) => c.clientId)).toEqual(['client-a', 'client-b', 'client-c']);
  });

  it('reports the state of each request for the page that waits on it', () => {
    queue = createConsentQueue();
    expect(queue.state('nope')).toBe('unknown');
    queue.add(request('x'));
    expect(queue.state('x')).toBe('pending');
    queue.decide('x', 'deny');
    expect(queue.state('x')).toBe('decided');
    queue.takeDecision('x');
    expect(queue.state('x')).toBe('unknown');
  });
});
