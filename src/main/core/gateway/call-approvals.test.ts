import { describe, expect, it, vi } from 'vitest';
import type { AuditEventInput } from '../../../shared/audit';
import { CallApprovals } from './call-approvals';

const request = { server: 's', tool: 'rm', clientId: 'cursor', userId: 'me', arguments: { path: '/x' } };

function approvals(timeoutMs = 10_000) {
  const events: AuditEventInput[] = [];
  const seen: number[] = [];
  const held = new CallApprovals({ timeoutMs: () => timeoutMs, audit: async (e) => void events.push(e) });
  held.onChange((pending) => seen.push(pending.length));
  return { held, events, seen };
}

describe('CallApprovals', () => {
  it('holds a call until a person answers, and audits the request and the decision', async () => {
    const { held, events, seen } = approvals();
    const asked = held.ask(request);
    await vi.waitFor(() => expect(held.list()).toHaveLength(1));
    const [pending] = held.list();
    expect(pending).toMatchObject({
      server: 's',
      tool: 'rm',
      client_id: 'cursor',
      arguments: { path: '/x' },
    });
    expect(Date.parse(pending!.expires_at) - Date.parse(pending!.requested_at)).toBe(10_000);
    held.decide(pending!.id, { allow: true, always: true, by: 'cli' });
    await expect(asked).resolves.toMatchObject({ allowed: true, by: 'cli', always: true });
    expect(held.list()).toEqual([]);
    expect(seen).toEqual([1, 0]);
    expect(events.map((e) => `${e.event_type}:${e.action_taken}`)).toEqual([
      'approval_requested:asked',
      'approval_decided:allowed',
    ]);
    expect(events[1]!.detail).toMatch(/^by cli after \d+\.\d s; always for this client$/);
    expect(() => held.decide(pending!.id, { allow: false, by: 'panel' })).toThrow(
      expect.objectContaining({ code: 'APPROVAL_NOT_FOUND' }),
    );
  });

  it('denies what nobody answers in time', async () => {
    const { held, events } = approvals(1000);
    vi.useFakeTimers();
    try {
      const asked = held.ask(request);
      await vi.advanceTimersByTimeAsync(1000);
      await expect(asked).resolves.toMatchObject({ allowed: false, by: 'timeout' });
    } finally {
      vi.useRealTimers();
    }
    expect(events.at(-1)).toMatchObject({
      event_type: 'approval_decided',
      action_taken: 'denied',
      detail: 'no answer within 1.0 s',
    });
  });

  it('withdraws the question when the caller gives up, and takes the client’s own answer', async () => {
    const { held, events } = approvals();
    const controller = new AbortController();
    const asked = held.ask({ ...request, signal: controller.signal });
    await vi.waitFor(() => expect(held.list()).toHaveLength(1));
    controller.abort();
    await expect(asked).resolves.toMatchObject({ allowed: false, by: 'cancelled' });
    expect(held.list()).toEqual([]);

    let clientSignal: AbortSignal | undefined;
    const byClient = held.ask({
      ...request,
      askClient: async (signal) => {
        clientSignal = signal;
        return true;
      },
    });
    await expect(byClient).resolves.toMatchObject({ allowed: true, by: 'client', always: false });
    // Once decided, the client's question is called off.
    expect(clientSignal!.aborted).toBe(true);
    expect(events.at(-1)!.detail).toMatch(/^by client after/);
  });
});
