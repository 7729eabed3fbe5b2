import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { sendJson } from '../http/respond';
import type { Route } from '../http/router';
import type { BearerPolicy } from '../oauth/bearer';
import { authorizeBearer } from '../oauth/bearer';
import { BoundedEventStore } from './event-store';
import { JsonReplyTransport, jsonReplyCandidate, requestIds, type Claim } from './json-reply-transport';
import { BodyTooLargeError, readBody } from '../http/read-body';

export const MCP_PATH = '/mcp';
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface McpSessionLimits {
  // A session with no request in flight and no stream open for this long is closed.
  idleMs: number;
  // Sessions one OAuth client may hold at once.
  perClient: number;
  // Every request is answered, or its POST closed, within this long (progress restarts it).
  requestDeadlineMs: number;
}
export const DEFAULT_SESSION_LIMITS: McpSessionLimits = {
  idleMs: 10 * 60_000,
  perClient: 32,
  requestDeadlineMs: 61_000,
};

export interface McpSessionServer {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
  // True while the session's replies must be SSE streams (what the server sends during a request
  // travels on that request's stream): no request of it is then answered as plain JSON.
  streamsReplies?(): boolean;
}

export interface McpRouteOptions {
  // Where it is served (/mcp, or a profile's /mcp/p/<name>); also the resource tokens must name.
  path?: string;
  policy: () => BearerPolicy | undefined;
  isClientActive: (clientId: string) => boolean;
  // A fresh MCP server for each session, told who opened it.
  createServer: (caller: AuthInfo) => McpSessionServer;
  maxBodyBytes?: () => number;
  limits?: () => McpSessionLimits;
}

interface Session {
  transport: JsonReplyTransport;
  server: McpSessionServer;
  clientId: string;
  lastSeen: number;
  // GET streams open: a client listening for notifications is not idle.
  streams: number;
}

const isIdle = (s: Session) => s.streams === 0 && s.transport.inFlight === 0;

// The resource a policy protects, as the URL AuthInfo carries: parsed once per policy.
const resources = new WeakMap<BearerPolicy, URL>();
function resourceOf(policy: BearerPolicy, path: string): URL {
  let url = resources.get(policy);
  if (!url) resources.set(policy, (url = new URL(`${policy.issuer}${path}`)));
  return url;
}

function rpcError(res: ServerResponse, status: number, code: number, message: string, headers = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', id: null, error: { code, message } }, headers);
}

// An id still in flight on the session. Answered with an HTTP error and id null rather than a
// JSON-RPC error with that id: a client matches responses by id, and would take this one for the
// answer to the request that is still running.
function duplicateId(res: ServerResponse, id: unknown): void {
  rpcError(
    res,
    400,
    -32600,
    `Invalid Request: the id ${JSON.stringify(id)} belongs to a request still in flight on this session; use a new id`,
  );
}

// A cancelled request gets no response (MCP cancellation), but its POST must end: as an SSE
// stream that carries nothing, which Streamable HTTP clients read as a stream without a reply.
function endWithoutResponse(res: ServerResponse, sessionId: string): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'mcp-session-id': sessionId,
  });
  res.end();
}

export interface McpRoute {
  route: Route;
  sessions(): { id: string; clientId: string; lastSeen: number }[];
  onSessionsChanged(listener: () => void): () => void;
  close(): Promise<void>;
}

// Streamable HTTP at /mcp behind our bearer tokens. Sessions belong to the client that opened
// them: another client presenting the session id gets "not found", as if it did not exist.
export function createMcpRoute(options: McpRouteOptions): McpRoute {
  const path = options.path ?? MCP_PATH;
  const sessions = new Map<string, Session>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());

  const limits = () => options.limits?.() ?? DEFAULT_SESSION_LIMITS;
  const end = (id: string, s: Session) => {
    sessions.delete(id);
    void s.transport.close();
  };

  // Idle sessions are swept on a timer, so they go whether or not anyone opens a new one.
  let sweepTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const sweep = () => {
    const now = Date.now();
    const { idleMs } = limits();
    const expired = [...sessions].filter(([, s]) => isIdle(s) && now - s.lastSeen > idleMs);
    for (const [id, s] of expired) end(id, s);
    if (expired.length > 0) changed();
  };
  const scheduleSweep = () => {
    if (sweepTimer || closed || sessions.size === 0) return;
    const every = Math.min(Math.max(limits().idleMs / 4, 250), 30_000);
    sweepTimer = setTimeout(() => {
      sweepTimer = undefined;
      sweep();
      scheduleSweep();
    }, every);
    sweepTimer.unref();
  };

  // Room for one more session of this client: its longest-idle sessions are closed. Sessions
  // with a request in flight or a stream open are never taken from under a working client; when
  // all are busy the new session is refused instead, saying what to do. Sessions still being
  // opened count too, so a burst of initialize requests cannot slip past the cap.
  const opening = new Map<string, number>();
  const makeRoom = (clientId: string): string | undefined => {
    const { perClient } = limits();
    const mine = [...sessions].filter(([, s]) => s.clientId === clientId);
    const held = mine.length + (opening.get(clientId) ?? 0);
    const excess = held - perClient + 1;
    if (excess <= 0) return undefined;
    const idle = mine.filter(([, s]) => isIdle(s)).sort(([, a], [, b]) => a.lastSeen - b.lastSeen);
    if (idle.length < excess)
      return `The client ${clientId} already holds ${held} sessions, each with a request or a stream open; close one (DELETE ${path} with its Mcp-Session-Id) or raise maxSessionsPerClient in gateway.json`;
    for (const [id, s] of idle.slice(0, excess)) end(id, s);
    changed();
    return undefined;
  };

  // Runs the SDK on a POST or GET of a session, with the POST's requests claimed first.
  const viaSdk = async (session: Session, req: IncomingMessage, res: ServerResponse, body: unknown) => {
    if (req.method === 'GET') {
      session.streams++;
      res.once('close', () => {
        session.streams--;
        session.lastSeen = Date.now();
      });
    }
    let claim: Claim | undefined;
    if (req.method === 'POST') {
      claim = session.transport.claim(requestIds(body));
      if (claim.conflict !== undefined) return duplicateId(res, claim.conflict);
      res.once('close', () => (session.lastSeen = Date.now()));
    }
    try {
      await session.transport.sdk.handleRequest(req, res, body);
    } finally {
      claim?.settle();
    }
  };

  const authenticate = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const policy = options.policy();
    if (!policy) {
      sendJson(res, 503, { error: 'unavailable', message: 'the authorization server is starting' });
      return undefined;
    }
    const caller = await authorizeBearer(req, res, url, policy, options.isClientActive);
    if (!caller) return undefined;
    const { clientId, claims } = caller;
    const auth: AuthInfo = {
      token: req.headers.authorization!.slice('Bearer '.length),
      clientId,
      scopes: String(claims.scope ?? '')
        .split(' ')
        .filter(Boolean),
      ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
      resource: resourceOf(policy, path),
      extra: { sub: claims.sub },
    };
    return auth;
  };

  const route: Route = async (req, res, url) => {
    if (url.pathname !== path) return false;
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      rpcError(res, 405, -32000, `${req.method} is not supported on ${path}; use POST, GET or DELETE`, {
        allow: 'POST, GET, DELETE',
      });
      return true;
    }
    const auth = await authenticate(req, res, url);
    if (!auth) return true;
    (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;

    let body: unknown;
    if (req.method === 'POST') {
      try {
        const raw = await readBody(req, options.maxBodyBytes?.() ?? DEFAULT_MAX_BODY_BYTES);
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        // The rest of an oversized body is never read, so the connection cannot carry another
        // request: say so, and the client opens a fresh one.
        if (error instanceof BodyTooLargeError)
          rpcError(res, 413, -32600, error.message, { connection: 'close' });
        else rpcError(res, 400, -32700, 'Parse error: the body is not JSON');
        return true;
      }
    }

    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session || session.clientId !== auth.clientId) {
        rpcError(res, 404, -32001, 'Session not found; start a new one with initialize');
        return true;
      }
      session.lastSeen = Date.now();
      const request =
        req.method === 'POST' && !session.server.streamsReplies?.()
          ? jsonReplyCandidate(req, body)
          : undefined;
      if (request) {
        const claim = session.transport.claim([request.id]);
        if (claim.conflict !== undefined) {
          duplicateId(res, claim.conflict);
          return true;
        }
        // A client that hangs up has cancelled: no stream is left to resume a JSON answer on.
        res.once('close', () => {
          if (!res.writableFinished) claim.cancel('the client closed the connection');
        });
        const response = await session.transport.answer(request, {
          authInfo: auth,
          requestInfo: { headers: req.headers },
        });
        session.lastSeen = Date.now();
        if (res.destroyed) return true;
        if (response) sendJson(res, 200, response, { 'mcp-session-id': sessionId });
        else endWithoutResponse(res, sessionId);
        return true;
      }
      await viaSdk(session, req, res, body);
      return true;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      rpcError(res, 400, -32000, 'No session: send an initialize request first (without Mcp-Session-Id)');
      return true;
    }
    sweep();
    const full = makeRoom(auth.clientId);
    if (full) {
      rpcError(res, 429, -32000, full);
      return true;
    }
    opening.set(auth.clientId, (opening.get(auth.clientId) ?? 0) + 1);
    let reserved = true;
    const release = () => {
      if (!reserved) return;
      reserved = false;
      const left = opening.get(auth.clientId)! - 1;
      if (left > 0) opening.set(auth.clientId, left);
      else opening.delete(auth.clientId);
    };
    try {
      await openSession(auth, req, res, body, release);
    } finally {
      release();
    }
    return true;
  };

  const openSession = async (
    auth: AuthInfo,
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    // Called once the session is in the table (it counts there from then on).
    opened: () => void,
  ) => {
    const server = options.createServer(auth);
    const sdkTransport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new BoundedEventStore(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, clientId: auth.clientId, lastSeen: Date.now(), streams: 0 });
        opened();
        changed();
        scheduleSweep();
      },
      onsessionclosed: (id) => {
        if (sessions.delete(id)) changed();
      },
    });
    const transport = new JsonReplyTransport(sdkTransport, () => limits().requestDeadlineMs);
    // A session's server lives as long as its transport: closed when the session ends (DELETE,
    // idle sweep, shutdown) or when the transport refused to open one at all.
    let serverClosed = false;
    const closeServer = () => {
      if (serverClosed) return;
      serverClosed = true;
      void server.close().catch(() => undefined);
    };
    transport.onclose = () => {
      if (transport.sessionId && sessions.delete(transport.sessionId)) changed();
      closeServer();
    };
    await server.connect(transport);
    const claim = transport.claim(requestIds(body));
    try {
      await sdkTransport.handleRequest(req, res, body);
    } finally {
      claim.settle();
    }
    if (!transport.sessionId || !sessions.has(transport.sessionId)) closeServer();
  };

  return {
    route,
    sessions: () => [...sessions].map(([id, s]) => ({ id, clientId: s.clientId, lastSeen: s.lastSeen })),
    onSessionsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(sweepTimer);
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(all.map((s) => s.transport.close()));
    },
  };
}
