import { describe, expect, it } from 'vitest';
import { PanelSessions } from './panel-sessions';

describe('panel sessions', () => {
  it('only the launch token opens a session, and a session is not the launch token', () => {
    const sessions = new PanelSessions('launch-token');
    expect(sessions.exchange('wrong')).toBeUndefined();
    expect(sessions.exchange(undefined)).toBeUndefined();
    const secret = sessions.exchange('launch-token')!;
    expect(secret).not.toBe('launch-token');
    expect(sessions.use(secret)).toBe(true);
    expect(sessions.use('launch-token')).toBe(false);
    expect(sessions.use('')).toBe(false);
  });

  it('forgets a session left idle, but not one in use', () => {
    let now = 0;
    const sessions = new PanelSessions('t', { max: 10, idleMs: 1000 }, () => now);
    const idle = sessions.exchange('t')!;
    const busy = sessions.exchange('t')!;
    for (now = 500; now <= 3000; now += 500) expect(sessions.use(busy)).toBe(true);
    expect(sessions.use(idle)).toBe(false);
  });

  it('keeps a bounded number, dropping the least recently used first', () => {
    const sessions = new PanelSessions('t', { max: 2, idleMs: 60_000 });
    const a = sessions.exchange('t')!;
    const b = sessions.exchange('t')!;
    expect(sessions.use(a)).toBe(true);
    const c = sessions.exchange('t')!;
    expect([sessions.use(a), sessions.use(b), sessions.use(c)]).toEqual([true, false, true]);
  });
});
