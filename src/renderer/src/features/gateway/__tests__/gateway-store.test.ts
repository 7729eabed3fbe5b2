import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../../../shared/contract-kit';
import { createPreloadStub, EMPTY_GATEWAY_STATUS } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import {
  GATEWAY_POLL_MS,
  GATEWAY_REFRESH_DEBOUNCE_MS,
  refreshGateway,
  resetGatewayStore,
  setGatewayToolEnabled,
  startGatewaySync,
  useGatewayStore,
  watchGateway,
} from '../lib/gateway-store';
import { gatewayStatus, toolOf } from './gateway-fixtures';

let stop: (() => void) | undefined;
let stub: ReturnType<typeof createPreloadStub>;

function start() {
  stop = startGatewaySync(connectToDock({ mcpDock: stub.raw } as unknown as Window).api);
}

beforeEach(() => {
  resetGatewayStore();
  stub = createPreloadStub();
  stub.setGatewayStatus(gatewayStatus());
});
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.useRealTimers();
});

const state = () => useGatewayStore.getState();
const echo = () => toolOf(state().status, 'every', 'echo');

// An answer the test hands out when it chooses.
function deferred() {
  let resolve: (value: Envelope) => void = () => undefined;
  const promise = new Promise<Envelope>((r) => (resolve = r));
  return { promise, resolve };
}

describe('gateway store', () => {
  it('reads the status when sync starts', async () => {
    expect(state()).toMatchObject({ status: null, load: 'idle', error: null });
    start();
    expect(state().load).toBe('loading');
    await expect.poll(() => state().load).toBe('ready');
    expect(state().status).toEqual(gatewayStatus());
    expect(stub.raw.gateway.status).toHaveBeenCalledTimes(1);
    expect(stub.gatewayListenerCount()).toBe(1);
    stop?.();
    expect(stub.gatewayListenerCount()).toBe(0);
  });

  it('re-reads once per burst of onChanged pushes, after the debounce', async () => {
    start();
    await expect.poll(() => state().load).toBe('ready');
    vi.useFakeTimers();
    stub.setGatewayStatus(gatewayStatus({ callsPerMinute: 40 }));
    stub.fireGatewayChanged();
    await vi.advanceTimersByTimeAsync(GATEWAY_REFRESH_DEBOUNCE_MS - 50);
    stub.fireGatewayChanged();
    stub.fireGatewayChanged();
    await vi.advanceTimersByTimeAsync(GATEWAY_REFRESH_DEBOUNCE_MS - 1);
    expect(stub.raw.gateway.status).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(stub.raw.gateway.status).toHaveBeenCalledTimes(2);
    expect(state().status?.callsPerMinute).toBe(40);
  });

  it('reports a failed read as a sentence, and reads again when the pane opens', async () => {
    stub.raw.gateway.status.mockResolvedValueOnce({
      ok: false,
      error: { code: 'UNKNOWN_CALL', message: 'gateway.status is not implemented' },
    });
    start();
    await expect.poll(() => state().error).toBe('gateway.status is not implemented.');
    expect(state()).toMatchObject({ status: null, load: 'ready' });
    const unwatch = watchGateway();
    await expect.poll(() => state().error).toBeNull();
    expect(state().status).toEqual(gatewayStatus());
    unwatch();
  });

  it('re-reads traffic every GATEWAY_POLL_MS while the pane watches, and stops after', async () => {
    start();
    await expect.poll(() => state().load).toBe('ready');
    vi.useFakeTimers();
    const unwatch = watchGateway();
    // Already loaded: opening the pane does not read again at once.
    expect(stub.raw.gateway.status).toHaveBeenCalledTimes(1);
    stub.setGatewayStatus(gatewayStatus({ callsPerMinute: 99 }));
    await vi.advanceTimersByTimeAsync(GATEWAY_POLL_MS);
    expect(stub.raw.gateway.status).toHaveBeenCalledTimes(2);
    expect(state().status?.callsPerMinute).toBe(99);
    unwatch();
    await vi.advanceTimersByTimeAsync(GATEWAY_POLL_MS * 3);
    expect(stub.raw.gateway.status).toHaveBeenCalledTimes(2);
  });

  it('shows a switch at once and keeps core’s answer', async () => {
    start();
    await expect.poll(() => state().load).toBe('ready');
    const answer = deferred();
    stub.raw.gateway.setToolEnabled.mockImplementationOnce(() => answer.promise);
    const switching = setGatewayToolEnabled('every', 'echo', false);
    expect(echo()?.enabled).toBe(false);
    expect(stub.raw.gateway.setToolEnabled).toHaveBeenCalledWith({
      server: 'every',
      tool: 'echo',
      enabled: false,
    });
    const after = gatewayStatus();
    after.servers[0]!.tools[0]!.enabled = false;
    answer.resolve({ ok: true, value: after });
    await switching;
    expect(state().status).toEqual(after);
    expect(state().toggleError).toBeNull();
  });

  it('keeps a switch in flight shown when a read lands meanwhile', async () => {
    start();
    await expect.poll(() => state().load).toBe('ready');
    const answer = deferred();
    stub.raw.gateway.setToolEnabled.mockImplementationOnce(() => answer.promise);
    const switching = setGatewayToolEnabled('every', 'add', true);
    await refreshGateway();
    expect(toolOf(state().status, 'every', 'add')?.enabled).toBe(true);
    answer.resolve({ ok: false, error: { code: 'INTERNAL', message: 'gateway.json is read-only' } });
    await switching;
    expect(toolOf(state().status, 'every', 'add')?.enabled).toBe(false);
  });

  it('rolls a refused switch back and says why, beside its server', async () => {
    start();
    await expect.poll(() => state().load).toBe('ready');
    stub.raw.gateway.setToolEnabled.mockResolvedValueOnce({
      ok: false,
      error: { code: 'SERVER_NOT_FOUND', message: 'no server named every' },
    });
    await setGatewayToolEnabled('every', 'echo', false);
    expect(echo()?.enabled).toBe(true);
    expect(state().status).toEqual(gatewayStatus());
    expect(state().toggleError).toEqual({
      server: 'every',
      tool: 'echo',
      enabled: false,
      message: 'No server named every.',
    });
    // The next switch clears the old refusal.
    await setGatewayToolEnabled('every', 'echo', false);
    expect(state().toggleError).toBeNull();
    expect(echo()?.enabled).toBe(false);
  });

  it('lets the last of two quick switches of one tool win', async () => {
    start();
    await expect.poll(() => state().load).toBe('ready');
    const first = deferred();
    stub.raw.gateway.setToolEnabled.mockImplementationOnce(() => first.promise);
    const off = setGatewayToolEnabled('every', 'echo', false);
    const on = setGatewayToolEnabled('every', 'echo', true);
    // The first answer (echo off) arrives after the second request went out: it is not shown.
    const offAnswer = gatewayStatus();
    offAnswer.servers[0]!.tools[0]!.enabled = false;
    first.resolve({ ok: true, value: offAnswer });
    await Promise.all([off, on]);
    expect(echo()?.enabled).toBe(true);
  });

  it('resets, and drops the answers and the debounced read made before', async () => {
    start();
    await expect.poll(() => state().load).toBe('ready');
    vi.useFakeTimers();
    stub.fireGatewayChanged();
    const late = refreshGateway();
    const answer = deferred();
    stub.raw.gateway.setToolEnabled.mockImplementationOnce(() => answer.promise);
    const switching = setGatewayToolEnabled('every', 'echo', false);
    resetGatewayStore();
    answer.resolve({ ok: true, value: EMPTY_GATEWAY_STATUS });
    await Promise.all([late, switching]);
    await vi.advanceTimersByTimeAsync(GATEWAY_REFRESH_DEBOUNCE_MS * 2);
    expect(state()).toEqual({
      status: null,
      load: 'idle',
      error: null,
      toggleError: null,
      pins: [],
      reviewing: null,
      pinError: null,
      pinBusy: false,
      policyError: null,
    });
    expect(stub.raw.gateway.status).toHaveBeenCalledTimes(2);
  });
});
