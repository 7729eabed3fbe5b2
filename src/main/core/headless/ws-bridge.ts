import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_MAX_MESSAGE_BYTES,
  BRIDGE_PATH,
  BRIDGE_PROTOCOL,
  bridgeClientMessageSchema,
  SESSION_PROTOCOL_PREFIX,
  type BridgeServerMessage,
} from '../../../shared/bridge-protocol';
import { UnknownCallError } from '../../../shared/contract-errors';
import type { Unsubscribe } from '../../../shared/contract-kit';
import type { ServedContract } from '../../../shared/contract-server';
import { rejectUpgrade, type UpgradeRoute } from '../http/router';
import { checkHostAndOrigin } from '../http/loopback-guard';
import type { PanelSessions } from './panel-sessions';

export interface WsBridge {
  route: UpgradeRoute;
  close(): void;
}

// Binds the contract to a WebSocket for the headless UI. Same contract and validation as the
// Electron IPC binding; only the framing differs.
export function createWsBridge(
  served: ServedContract,
  sessions: PanelSessions,
  port: () => number,
): WsBridge {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: BRIDGE_MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => (offered.has(BRIDGE_PROTOCOL) ? BRIDGE_PROTOCOL : false),
  });
  const alive = new WeakMap<WebSocket, boolean>();
  const sessionOf = new WeakMap<WebSocket, string>();

  // Drops peers that vanished without a close frame (a laptop lid, a killed tab), and keeps the
  // sessions of open panels in use, so only abandoned ones idle out.
  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false || !sessions.use(sessionOf.get(socket))) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, 30_000);
  heartbeat.unref();

  wss.on('connection', (socket: WebSocket) => {
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    const subscriptions = new Map<string, Unsubscribe>();
    const send = (message: BridgeServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };

    socket.on('message', (data, isBinary) => {
      if (isBinary) return send({ t: 'error', message: 'binary frames are not part of the bridge protocol' });
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        return send({ t: 'error', message: 'message is not JSON' });
      }
      const parsed = bridgeClientMessageSchema.safeParse(json);
      if (!parsed.success)
        return send({ t: 'error', message: 'message does not follow the bridge protocol' });
      const message = parsed.data;
      if (message.t === 'call') {
        const target = served.calls.get(message.channel);
        if (!target) {
          return send({
            t: 'result',
            id: message.id,
            result: { ok: false, error: new UnknownCallError(message.channel).toPayload() },
          });
        }
        void target.invoke(message.input).then((result) => send({ t: 'result', id: message.id, result }));
        return;
      }
      const target = served.events.get(message.channel);
      if (!target) return send({ t: 'error', message: `no event named ${message.channel}` });
      if (message.t === 'sub' && !subscriptions.has(message.channel)) {
        subscriptions.set(
          message.channel,
          target.subscribe((payload) => send({ t: 'event', channel: message.channel, payload })),
        );
      } else if (message.t === 'unsub') {
        subscriptions.get(message.channel)?.();
        subscriptions.delete(message.channel);
      }
    });

    socket.on('close', () => {
      for (const unsubscribe of subscriptions.values()) unsubscribe();
      subscriptions.clear();
    });
  });

  const route: UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
    if (url.pathname !== BRIDGE_PATH) return false;
    // Browsers always send Origin on WebSocket handshakes, and never let pages forge it: a
    // missing or foreign one is another site (or a non-browser) trying our bridge.
    const verdict = checkHostAndOrigin(req, port(), { requireOrigin: true });
    if (!verdict.ok) {
      rejectUpgrade(socket, 403, 'Forbidden');
      return true;
    }
    const session = sessionFromProtocols(req.headers['sec-websocket-protocol']);
    if (!session || !sessions.use(session)) {
      rejectUpgrade(socket, 401, 'Unauthorized');
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sessionOf.set(ws, session);
      wss.emit('connection', ws, req);
    });
    return true;
  };

  return {
    route,
    close() {
      clearInterval(heartbeat);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

// The page offers [BRIDGE_PROTOCOL, SESSION_PROTOCOL_PREFIX + secret]; only the first is echoed.
function sessionFromProtocols(header: string | undefined): string | undefined {
  const offered = (header ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(BRIDGE_PROTOCOL)) return undefined;
  return offered.find((p) => p.startsWith(SESSION_PROTOCOL_PREFIX))?.slice(SESSION_PROTOCOL_PREFIX.length);
}
