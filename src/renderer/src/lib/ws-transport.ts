import {
  BRIDGE_PROTOCOL,
  bridgeServerMessageSchema,
  SESSION_PROTOCOL_PREFIX,
  type BridgeClientMessage,
} from '../../../shared/bridge-protocol';
import type { ContractTransport } from '../../../shared/contract-client';
import type { Envelope, Unsubscribe } from '../../../shared/contract-kit';

// 'unauthorized': this page holds no live panel session (it needs the printed URL).
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface WebSocketTransport extends ContractTransport {
  state(): ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): Unsubscribe;
  // Tries again after 'unauthorized' (another tab may have opened a session since).
  retry(): void;
  close(): void;
}

// Where the transport gets the panel session it presents, and learns whether a refused or lost
// connection was the session's fault (a browser is not told why a handshake failed).
export interface SessionSource {
  current(): Promise<string | undefined>;
  check(secret: string): Promise<'valid' | 'invalid' | 'unreachable'>;
  forget(): void;
}

export interface WebSocketTransportOptions {
  url: string;
  session?: SessionSource;
  createSocket?: (url: string, protocols?: string[]) => WebSocket;
  // Waits between reconnects; the last repeats.
  retryDelaysMs?: readonly number[];
}

const closedEnvelope = (why: string): Envelope => ({
  ok: false,
  error: { code: 'TRANSPORT_CLOSED', message: why },
});

// Headless mode's transport. It reconnects by itself and re-subscribes, so a restarted server
// or a sleeping laptop only shows a banner, never a dead page.
export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const createSocket =
    options.createSocket ?? ((url: string, protocols?: string[]) => new WebSocket(url, protocols));
  const delays = options.retryDelaysMs ?? [250, 500, 1000, 2000, 5000];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (envelope: Envelope) => void>();
  const queued: BridgeClientMessage[] = [];
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | undefined;
  let nextId = 1;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const send = (message: BridgeClientMessage) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    else queued.push(message);
  };

  const retryLater = () => {
    setState('reconnecting');
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 5000;
    attempt += 1;
    timer = setTimeout(connect, delay);
  };

  const connect = () => {
    const source = options.session;
    if (!source) return openSocket(undefined);
    void source.current().then((secret) => {
      if (closed) return;
      if (!secret) return setState('unauthorized');
      openSocket(secret);
    });
  };

  const openSocket = (secret: string | undefined) => {
    const ws = createSocket(
      options.url,
      secret === undefined ? undefined : [BRIDGE_PROTOCOL, `${SESSION_PROTOCOL_PREFIX}${secret}`],
    );
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      for (const channel of listeners.keys()) ws.send(JSON.stringify({ t: 'sub', channel }));
      for (const message of queued.splice(0)) ws.send(JSON.stringify(message));
      setState('open');
    };
    ws.onmessage = (event: MessageEvent) => {
      let json: unknown;
      try {
        json = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const parsed = bridgeServerMessageSchema.safeParse(json);
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.t === 'result') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else if (message.t === 'event') {
        for (const listener of listeners.get(message.channel) ?? []) listener(message.payload);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      // Calls in flight will never be answered: fail them now rather than hang the UI.
      for (const resolve of pending.values()) resolve(closedEnvelope('the connection to MCP Dock was lost'));
      pending.clear();
      queued.length = 0;
      if (closed) return;
      const source = options.session;
      if (!source || secret === undefined) return retryLater();
      void source.check(secret).then((verdict) => {
        if (closed) return;
        if (verdict !== 'invalid') return retryLater();
        source.forget();
        setState('unauthorized');
      });
    };
  };

  connect();

  return {
    invoke(channel, input) {
      if (state === 'reconnecting')
        return Promise.resolve(closedEnvelope('not connected to MCP Dock; reconnecting'));
      if (state === 'unauthorized')
        return Promise.resolve(
          closedEnvelope('this page has no MCP Dock session; open the URL mcp-dock serve printed'),
        );
      const id = nextId++;
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve);
        send({ t: 'call', id, channel, input });
      });
    },
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        send({ t: 'sub', channel });
      }
      set.add(listener);
      return () => {
        const current = listeners.get(channel);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) {
          listeners.delete(channel);
          send({ t: 'unsub', channel });
        }
      };
    },
    state: () => state,
    retry() {
      if (state !== 'unauthorized' || closed) return;
      attempt = 0;
      setState('connecting');
      connect();
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}

export function bridgeUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge`;
}
