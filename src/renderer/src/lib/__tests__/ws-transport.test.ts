import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketTransport } from '../ws-transport';

// A scripted WebSocket: the test plays the server.
class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  reply(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

afterEach(() => {
  FakeSocket.instances = [];
  vi.useRealTimers();
});

function make() {
  vi.stubGlobal('WebSocket', Object.assign(FakeSocket, { OPEN: 1 }));
  const transport = createWebSocketTransport({
    url: 'ws://127.0.0.1:1/bridge',
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    retryDelaysMs: [10],
  });
  return { transport, socket: () => FakeSocket.instances.at(-1)! };
}

describe('WebSocket transport', () => {
  it('queues calls until open, then pairs results by id', async () => {
    const { transport, socket } = make();
    const result = transport.invoke('mcp-dock:engine.getStatus', undefined);
    expect(socket().sent).toEqual([]);
    socket().open();
    expect(socket().sent).toEqual([{ t: 'call', id: 1, channel: 'mcp-dock:engine.getStatus' }]);
    socket().reply({ t: 'result', id: 1, result: { ok: true, value: 7 } });
    await expect(result).resolves.toEqual({ ok: true, value: 7 });
  });

  it('fails calls in flight when the connection drops, reconnects and resubscribes', async () => {
    vi.useFakeTimers();
    const { transport, socket } = make();
    const states: string[] = [];
    transport.onStateChange((s) => states.push(s));
    const seen: unknown[] = [];
    transport.subscribe('mcp-dock:engine.onStatus', (p) => seen.push(p));
    socket().open();
    const pending = transport.invoke('mcp-dock:engine.recheck', undefined);
    socket().drop();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'TRANSPORT_CLOSED' } });
    await expect(transport.invoke('mcp-dock:engine.recheck', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'TRANSPORT_CLOSED' },
    });
    vi.advanceTimersByTime(20);
    expect(FakeSocket.instances).toHaveLength(2);
    socket().open();
    expect(socket().sent).toEqual([{ t: 'sub', channel: 'mcp-dock:engine.onStatus' }]);
    socket().reply({ t: 'event', channel: 'mcp-dock:engine.onStatus', payload: { state: 'reachable' } });
    expect(seen).toEqual([{ state: 'reachable' }]);
    expect(states).toEqual(['open', 'reconnecting', 'open']);
    transport.close();
  });

  it('ignores garbage from the server', () => {
    const { transport, socket } = make();
    const seen: unknown[] = [];
    transport.subscribe('c', (p) => seen.push(p));
    socket().open();
    socket().onmessage?.({ data: 'not json' });
    socket().reply({ t: 'event' });
    socket().reply({ t: 'result', id: 'x' });
    expect(seen).toEqual([]);
  });

  it('unsubscribes from the server when the last listener leaves', () => {
    const { transport, socket } = make();
    socket().open();
    const a = transport.subscribe('c', () => undefined);
    const b = transport.subscribe('c', () => undefined);
    a();
    expect(socket().sent).toEqual([{ t: 'sub', channel: 'c' }]);
    b();
    expect(socket().sent).toEqual([
      { t: 'sub', channel: 'c' },
      { t: 'unsub', channel: 'c' },
    ]);
  });

  describe('with a panel session', () => {
    function withSession(secret: string | undefined, verdict: 'valid' | 'invalid' | 'unreachable') {
      vi.stubGlobal('WebSocket', Object.assign(FakeSocket, { OPEN: 1 }));
      const source = {
        secret,
        current: vi.fn(async () => source.secret),
        check: vi.fn(async () => verdict),
        forget: vi.fn(() => {
          source.secret = undefined;
        }),
      };
      const transport = createWebSocketTransport({
        url: 'ws://127.0.0.1:1/bridge',
        session: source,
        createSocket: (url, protocols) => new FakeSocket(url, protocols) as unknown as WebSocket,
        retryDelaysMs: [10],
      });
      return { transport, source };
    }

    it('offers the session as a subprotocol, never in the URL', async () => {
      const { transport } = withSession('s3cret', 'valid');
      await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(1));
      const socket = FakeSocket.instances.at(-1)!;
      expect(socket.url).toBe('ws://127.0.0.1:1/bridge');
      expect(socket.protocols).toEqual(['mcp-dock.bridge', 'mcp-dock.session.s3cret']);
      transport.close();
    });

    it('without a session it asks for the URL instead of connecting, and fails calls at once', async () => {
      const { transport, source } = withSession(undefined, 'valid');
      await vi.waitFor(() => expect(transport.state()).toBe('unauthorized'));
      expect(FakeSocket.instances).toHaveLength(0);
      await expect(transport.invoke('mcp-dock:app.getInfo', undefined)).resolves.toMatchObject({
        ok: false,
        error: { code: 'TRANSPORT_CLOSED' },
      });
      // Another tab opened a session: retry picks it up.
      source.secret = 'fresh';
      transport.retry();
      await vi.waitFor(() =>
        expect(FakeSocket.instances.at(-1)?.protocols).toContain('mcp-dock.session.fresh'),
      );
      transport.close();
    });

    it('a session the server no longer knows is forgotten, not retried forever', async () => {
      const { transport, source } = withSession('stale', 'invalid');
      await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(1));
      FakeSocket.instances.at(-1)!.drop();
      await vi.waitFor(() => expect(transport.state()).toBe('unauthorized'));
      expect(source.check).toHaveBeenCalledWith('stale');
      expect(source.forget).toHaveBeenCalled();
      expect(transport.state()).toBe('unauthorized');
      transport.close();
    });

    it('a server that is down is retried', async () => {
      const { transport } = withSession('s', 'unreachable');
      await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(1));
      FakeSocket.instances.at(-1)!.drop();
      await vi.waitFor(() => expect(transport.state()).toBe('reconnecting'));
      transport.close();
    });
  });
});
