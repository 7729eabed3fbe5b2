import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type JSONRPCMessage,
  type LoggingLevel,
  type LoggingMessageNotification,
  type Root,
} from '@modelcontextprotocol/sdk/types.js';
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { requireEngine, removeContainersNamed } from '../../../../test-support/docker-engine';
import { StreamClientTransport } from '../../../../test-support/stream-client-transport';
import { EVERYTHING } from '../../../../test-support/test-image';
import { openEngineCore } from '../../../../test-support/engine-core';
import type { Core } from '../create-core';
import { STDIO_SCOPE } from './stdio-credential';
import { relayStdioToHttp } from './stdio-relay';

// The acceptance test of the gateway's pass-through: every MCP feature that
// @modelcontextprotocol/server-everything demonstrates, seen by the SDK client once over the
// server's own stdio (`docker exec -i <container> mcp-server-everything stdio`) and once through
// the gateway (/mcp, and the `gateway --stdio` relay), where only the names differ: tools and
// prompts are `<server>__<name>`, URIs `mcp-dock://<server>/<original uri>`. Each feature is one
// `it` per path, so a failure names the feature and the path.

type Kind = 'direct' | 'gateway' | 'stdio-relay';

const SAMPLED: CreateMessageResult = {
  role: 'assistant',
  model: 'fixed-test-model',
  stopReason: 'endTurn',
  content: { type: 'text', text: 'A fixed answer from the test client.' },
};
const FORM = { name: 'anonymous', check: true, integer: 7 };
const ROOTS: Root[] = [{ uri: 'file:///work/project', name: 'project' }];
const LEVELS: LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];
const atLeast = (level: LoggingLevel, floor: LoggingLevel) => LEVELS.indexOf(level) >= LEVELS.indexOf(floor);
const STATIC_DOC = 'demo://resource/static/document/architecture.md';
const TEXT_TEMPLATE = 'demo://resource/dynamic/text/{resourceId}';

// What the server calls back and sends to one client, recorded in arrival order.
interface Session {
  client: Client;
  sampled: CreateMessageRequest['params'][];
  elicited: ElicitRequest['params'][];
  logs: LoggingMessageNotification['params'][];
  updated: string[];
  resourceListChanged: number;
  // Every message the transport delivered, before the SDK dispatches it (it may drop a progress
  // that arrives in the same read as its result: typescript-sdk#2580).
  arrived: JSONRPCMessage[];
}

interface SessionOptions {
  roots?: Root[];
  form?: Record<string, unknown>;
}

// One way to reach the server, and the names it shows there.
interface Side {
  kind: Kind;
  open(options?: SessionOptions): Promise<Session>;
  // A tool's or prompt's or listed resource's name, a URI or URI template, as this side shows it.
  name(original: string): string;
  uri(original: string): string;
  // This side's tools among everything listed (the gateway lists other servers' and its own).
  owns(name: string): boolean;
}

// The gateway's naming, applied to what the server says directly: `name` of a listed item
// (tool, prompt, resource, template) becomes `<server>__<name>`; every `uri`/`uriTemplate`
// anywhere in a value becomes `mcp-dock://<server>/<uri>`.
function namespaced(server: string) {
  const uri = (original: string) => `mcp-dock://${server}/${original}`;
  const name = (original: string) => `${server}__${original}`;
  const uris = <T>(value: T): T => {
    if (Array.isArray(value)) return value.map(uris) as T;
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        key,
        (key === 'uri' || key === 'uriTemplate') && typeof v === 'string' ? uri(v) : uris(v),
      ]),
    ) as T;
  };
  const listed = <T extends { name: string }>(items: T[]): T[] =>
    items.map((item) => uris({ ...item, name: name(item.name) }));
  return { uri, name, uris, listed };
}

const text = (result: unknown) =>
  (result as CallToolResult).content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('\n');
const byName = <T extends { name: string }>(items: T[]) =>
  [...items].sort((a, b) => a.name.localeCompare(b.name));
// Generated resources carry the time they were made.
const untimed = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value).replace(/created at [^"\\]+/g, 'created at <time>')) as T;
const simulated = (logs: Session['logs']) =>
  logs.filter((l) => typeof l.data === 'string' && /level[- ]message/i.test(l.data));

async function record(transport: Transport, options: SessionOptions): Promise<Session> {
  const client = new Client(
    { name: 'gateway-features-test', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } } },
  );
  const session: Session = {
    client,
    sampled: [],
    elicited: [],
    logs: [],
    updated: [],
    resourceListChanged: 0,
    arrived: [],
  };
  client.setRequestHandler(CreateMessageRequestSchema, (request) => {
    session.sampled.push(request.params);
    return SAMPLED;
  });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    session.elicited.push(request.params);
    return request.params.mode === 'url'
      ? { action: 'accept' }
      : { action: 'accept', content: (options.form ?? FORM) as Record<string, string> };
  });
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: options.roots ?? ROOTS }));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void session.logs.push(n.params));
  client.setNotificationHandler(
    ResourceUpdatedNotificationSchema,
    (n) => void session.updated.push(n.params.uri),
  );
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    session.resourceListChanged++;
  });
  await client.connect(transport);
  const deliver = transport.onmessage!;
  transport.onmessage = (message: JSONRPCMessage, extra?: unknown) => {
    session.arrived.push(message);
    (deliver as (m: JSONRPCMessage, e?: unknown) => void)(message, extra);
  };
  return session;
}

// A feature: what one side shows, and (for the gateway's sides) how that compares with what the
// server showed directly.
interface Feature<T> {
  name: string;
  sides: Kind[];
  run(side: Side): Promise<T>;
  same?(got: T, direct: T, side: Side): void;
}
type Progress = { progressToken?: unknown; progress?: number };
const feature = <T>(f: Feature<T>) => f as Feature<unknown>;
// Every feature runs directly, through /mcp, and through `gateway --stdio` (which relays to /mcp).
const ALL: Kind[] = ['direct', 'gateway', 'stdio-relay'];

describe('every MCP feature through the gateway, as over the server’s own stdio', async () => {
  const engine = await requireEngine();
  const run = randomBytes(3).toString('hex');
  const EVERY = `every-${run}`;
  const ns = namespaced(EVERY);
  let docker: Docker;
  let core: Core;
  let creds: { client_id: string; client_secret: string };
  const sessions: Session[] = [];
  const stops: (() => Promise<unknown>)[] = [];

  async function token(): Promise<string> {
    const res = await fetch(`${core.httpOrigin}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${creds.client_id}:${creds.client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'mcp.access mcp:servers',
        resource: `${core.httpOrigin}/mcp`,
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  const keep = (session: Session) => {
    sessions.push(session);
    return session;
  };

  const direct: Side = {
    kind: 'direct',
    async open(options = {}) {
      const transport = new StdioClientTransport({
        command: 'docker',
        args: ['exec', '-i', core.containers.view(EVERY).container.id!, ...EVERYTHING],
        env: { ...(process.env as Record<string, string>), DOCKER_HOST: `unix://${engine!.socketPath}` },
        stderr: 'ignore',
      });
      return keep(await record(transport, options));
    },
    name: (original) => original,
    uri: (original) => original,
    owns: () => true,
  };
  const gateway: Side = {
    kind: 'gateway',
    async open(options = {}) {
      const transport = new StreamableHTTPClientTransport(new URL(`${core.httpOrigin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await token()}` } },
      });
      return keep(await record(transport, options));
    },
    name: ns.name,
    uri: ns.uri,
    owns: (name) => name.startsWith(`${EVERY}__`),
  };
  // `mcp-dock gateway --stdio`'s relay, in-process over a pair of streams, with the credential
  // the app keeps for it.
  const stdioRelay: Side = {
    ...gateway,
    kind: 'stdio-relay',
    async open(options = {}) {
      const toRelay = new PassThrough();
      const fromRelay = new PassThrough();
      const controller = new AbortController();
      const relayed = relayStdioToHttp({
        input: toRelay,
        output: fromRelay,
        url: `${core.httpOrigin}/mcp`,
        credential: await core.stdioCredential(),
        scope: STDIO_SCOPE,
        signal: controller.signal,
        log: () => undefined,
      });
      stops.push(async () => {
        controller.abort();
        await relayed.catch(() => undefined);
      });
      return keep(await record(new StreamClientTransport(fromRelay, toRelay), options));
    },
  };
  const SIDES: Record<Kind, Side> = { direct, gateway, 'stdio-relay': stdioRelay };

  // Waits until the server's (namespaced) echo tool is listed: the gateway reaches it.
  async function ready(session: Session, side: Side) {
    await vi.waitFor(
      async () =>
        expect((await session.client.listTools()).tools.map((t) => t.name)).toContain(side.name('echo')),
      { timeout: 30_000 },
    );
  }
  async function open(side: Side, options?: SessionOptions) {
    const session = await side.open(options);
    if (side.kind !== 'direct') await ready(session, side);
    return session;
  }
  const call = (session: Session, side: Side, tool: string, args: Record<string, unknown> = {}) =>
    session.client.callTool({ name: side.name(tool), arguments: args }) as Promise<CallToolResult>;
  // The JSON-RPC error as it came over the wire (the SDK client prefixes its message again).
  const wireError = (session: Session) => {
    const answer = session.arrived.findLast((m) => 'error' in m) as
      { error: { code: number; message: string } } | undefined;
    return answer && { code: answer.error.code, message: answer.error.message };
  };

  const features: Feature<unknown>[] = [
    feature({
      name: 'tools/list: the same tools, including those listed only to clients with sampling, elicitation and roots',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const tools = byName((await s.client.listTools()).tools.filter((t) => side.owns(t.name)));
        expect(tools.map((t) => t.name)).toEqual(
          expect.arrayContaining(
            [
              'get-roots-list',
              'trigger-sampling-request',
              'trigger-elicitation-request',
              'trigger-url-elicitation',
              'simulate-research-query',
            ].map(side.name),
          ),
        );
        return tools;
      },
      same: (got, direct) => expect(got).toEqual(byName(ns.listed(direct as { name: string }[]))),
    }),
    feature({
      name: 'sampling: trigger-sampling-request asks this client and returns its answer',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const result = await call(s, side, 'trigger-sampling-request', { prompt: 'Say hi', maxTokens: 20 });
        expect(s.sampled).toHaveLength(1);
        expect(s.sampled[0]!.messages[0]!.content).toMatchObject({
          type: 'text',
          text: expect.stringContaining('Say hi'),
        });
        expect(result.isError ?? false).toBe(false);
        expect(text(result)).toContain(SAMPLED.model);
        expect(text(result)).toContain('A fixed answer from the test client.');
        return { request: s.sampled[0], result };
      },
    }),
    feature({
      name: 'elicitation (form): trigger-elicitation-request asks this client and gets its answer',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const result = await call(s, side, 'trigger-elicitation-request');
        expect(s.elicited).toHaveLength(1);
        expect(s.elicited[0]).toMatchObject({ requestedSchema: { required: ['name'] } });
        expect(text(result)).toContain('- Name: anonymous');
        return { request: s.elicited[0], result };
      },
    }),
    feature({
      name: 'elicitation (url): trigger-url-elicitation asks this client in url mode',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const args = { url: 'https://example.com/consent', elicitationId: 'elicit-1', message: 'Open it.' };
        const result = await call(s, side, 'trigger-url-elicitation', args);
        expect(s.elicited).toEqual([{ mode: 'url', ...args }]);
        expect(text(result)).toContain('User completed the URL elicitation flow');
        return result;
      },
    }),
    feature({
      name: 'roots: get-roots-list returns this client’s roots',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const result = await call(s, side, 'get-roots-list');
        expect(text(result)).toContain('URI: file:///work/project');
        return result;
      },
    }),
    feature({
      name: 'logging: logging/setLevel, then toggle-simulated-logging sends messages at or above the level',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        await s.client.setLoggingLevel('notice');
        s.logs.length = 0;
        expect(text(await call(s, side, 'toggle-simulated-logging'))).toMatch(/^Started simulated/);
        try {
          // One right away, then one every 5 s at a random level.
          await vi.waitFor(() => expect(simulated(s.logs).length).toBeGreaterThan(0), { timeout: 40_000 });
        } finally {
          await call(s, side, 'toggle-simulated-logging');
        }
        for (const log of simulated(s.logs))
          expect({ log, ok: atLeast(log.level, 'notice') }).toMatchObject({ ok: true });
      },
    }),
    feature({
      name: 'completion/complete: completable-prompt’s arguments and the text template’s variable',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const prompt = { type: 'ref/prompt' as const, name: side.name('completable-prompt') };
        const department = await s.client.complete({
          ref: prompt,
          argument: { name: 'department', value: 'S' },
        });
        expect(department.completion.values).toEqual(['Sales', 'Support']);
        const lead = await s.client.complete({
          ref: prompt,
          argument: { name: 'name', value: '' },
          context: { arguments: { department: 'Sales' } },
        });
        expect(lead.completion.values).toEqual(['David', 'Eve', 'Frank']);
        const template = await s.client.complete({
          ref: { type: 'ref/resource', uri: side.uri(TEXT_TEMPLATE) },
          argument: { name: 'resourceId', value: '3' },
        });
        expect(template.completion.values).toEqual(['3']);
        return { department, lead, template };
      },
    }),
    feature({
      name: 'resources/templates/list: the same templates',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const { resourceTemplates } = await s.client.listResourceTemplates();
        const mine = byName(resourceTemplates.filter((t) => side.owns(t.name)));
        expect(mine.map((t) => t.uriTemplate)).toContain(side.uri(TEXT_TEMPLATE));
        return mine;
      },
      same: (got, direct) => expect(got).toEqual(byName(ns.listed(direct as { name: string }[]))),
    }),
    feature({
      name: 'resources/read: a URI from a template (dynamic/text/3)',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const uri = side.uri('demo://resource/dynamic/text/3');
        const read = await s.client.readResource({ uri });
        expect(read.contents).toEqual([
          {
            uri,
            mimeType: 'text/plain',
            text: expect.stringMatching(/^Resource 3: This is a plaintext resource/),
          },
        ]);
        return untimed(read);
      },
      same: (got, direct) => expect(got).toEqual(ns.uris(direct)),
    }),
    feature({
      name: 'resources/read: a resource_link that get-resource-links returned',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const links = await call(s, side, 'get-resource-links', { count: 2 });
        const link = links.content.find((c) => c.type === 'resource_link' && c.uri.includes('/text/'));
        expect(link).toMatchObject({ uri: side.uri('demo://resource/dynamic/text/2') });
        const read = await s.client.readResource({ uri: (link as { uri: string }).uri });
        expect(read.contents[0]).toMatchObject({ uri: side.uri('demo://resource/dynamic/text/2') });
        return untimed({ links, read });
      },
      same: (got, direct) => expect(got).toEqual(ns.uris(direct)),
    }),
    feature({
      name: 'resources/subscribe: updates name the subscribed URI; unsubscribe stops them',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const doc = side.uri(STATIC_DOC);
        const other = side.uri('demo://resource/dynamic/text/1');
        await s.client.subscribeResource({ uri: doc });
        await call(s, side, 'toggle-subscriber-updates');
        try {
          await vi.waitFor(() => expect(s.updated).toContain(doc), { timeout: 20_000 });
          expect(new Set(s.updated)).toEqual(new Set([doc]));
          await s.client.unsubscribeResource({ uri: doc });
          await s.client.subscribeResource({ uri: other });
          // The server sends every subscribed URI on each 5 s tick: once a whole tick has passed
          // since the first update of the other URI, an update of the document would have come.
          await vi.waitFor(() => expect(s.updated).toContain(other), { timeout: 20_000 });
          s.updated.length = 0;
          await vi.waitFor(() => expect(s.updated).toContain(other), { timeout: 20_000 });
          expect(s.updated).not.toContain(doc);
        } finally {
          await call(s, side, 'toggle-subscriber-updates');
        }
      },
    }),
    feature({
      name: 'list_changed: gzip-file-as-resource adds a session resource; resources/list_changed, then listed and readable',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        s.resourceListChanged = 0;
        const data = `data:text/plain;base64,${Buffer.from('hello through the gateway').toString('base64')}`;
        const made = await call(s, side, 'gzip-file-as-resource', { name: 'hello.txt.gz', data });
        const uri = side.uri('demo://resource/session/hello.txt.gz');
        expect(made.content).toEqual([
          { type: 'resource_link', uri, name: 'hello.txt.gz', mimeType: 'application/gzip' },
        ]);
        await vi.waitFor(() => expect(s.resourceListChanged).toBeGreaterThan(0), { timeout: 10_000 });
        const listed = (await s.client.listResources()).resources.find((r) => r.uri === uri);
        expect(listed).toMatchObject({ name: side.name('hello.txt.gz'), mimeType: 'application/gzip' });
        const read = await s.client.readResource({ uri });
        const blob = (read.contents[0] as { blob: string }).blob;
        expect(gunzipSync(Buffer.from(blob, 'base64')).toString()).toBe('hello through the gateway');
        return { made, listed, read };
      },
      same: (got, direct) => {
        const d = direct as { made: unknown; listed: { name: string }; read: unknown };
        expect(got).toEqual({
          made: ns.uris(d.made),
          listed: ns.listed([d.listed])[0],
          read: ns.uris(d.read),
        });
      },
    }),
    feature({
      name: 'tasks: simulate-research-query called as a task completes with its report',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const kinds: string[] = [];
        const statuses: string[] = [];
        let result: CallToolResult | undefined;
        let error: unknown;
        for await (const message of s.client.experimental.tasks.callToolStream(
          { name: side.name('simulate-research-query'), arguments: { topic: 'tides' } },
          CallToolResultSchema,
          { task: { ttl: 60_000 }, timeout: 60_000 },
        )) {
          kinds.push(message.type);
          if (message.type === 'taskStatus') statuses.push(message.task.status);
          if (message.type === 'result') result = message.result as CallToolResult;
          if (message.type === 'error') error = message.error;
        }
        expect(error).toBeUndefined();
        expect(kinds[0]).toBe('taskCreated');
        expect(kinds.at(-1)).toBe('result');
        expect(statuses.at(-1)).toBe('completed');
        expect(text(result)).toContain('# Research Report: tides');
        // The task's id is the server's, made anew each run: the rest is compared.
        const { _meta: meta, ...rest } = result as CallToolResult & { _meta?: Record<string, unknown> };
        expect(Object.keys(meta ?? {})).toEqual(['io.modelcontextprotocol/related-task']);
        return rest;
      },
    }),
    // get-sum's bad arguments are a tool result (the SDK's McpServer turns its own -32602 into
    // isError content); the JSON-RPC errors that reach the client as errors are -32602 from
    // prompts/get and -32042 from trigger-url-elicitation's error path. Each is compared whole
    // (code and message as sent), so an error wrapped twice, or rewritten, shows.
    feature({
      name: 'errors: get-sum with a string for a answers the server’s own tool error, once',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const sum = await call(s, side, 'get-sum', { a: 'one', b: 2 });
        expect(sum.isError).toBe(true);
        expect(text(sum)).toMatch(
          /^MCP error -32602: Input validation error: Invalid arguments for tool get-sum: /,
        );
        return sum;
      },
    }),
    feature({
      name: 'errors: prompts/get of args-prompt without its required city answers the server’s -32602, once',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        await expect(s.client.getPrompt({ name: side.name('args-prompt'), arguments: {} })).rejects.toThrow();
        const prompt = wireError(s);
        expect(prompt).toMatchObject({ code: -32602, message: expect.stringMatching(/args-prompt/) });
        return prompt;
      },
    }),
    feature({
      name: 'errors: trigger-url-elicitation’s error path answers the server’s -32042, once',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        await expect(
          call(s, side, 'trigger-url-elicitation', {
            url: 'https://example.com/needs-consent',
            elicitationId: `error-path-${side.kind}`,
            errorPath: true,
          }),
        ).rejects.toThrow();
        const urlRequired = wireError(s);
        expect(urlRequired).toMatchObject({ code: -32042 });
        return urlRequired;
      },
    }),
    feature({
      name: 'initialize: the instructions hold the server’s own instructions',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        const instructions = s.client.getInstructions();
        expect(instructions).toContain('# Everything Server – Server Instructions');
        return instructions;
      },
      same: (got, direct) => expect(got).toContain(direct),
    }),
    feature({
      name: 'two clients: each gets the log messages at its own level',
      sides: ALL,
      async run(side) {
        const a = await open(side);
        const b = await open(side);
        await a.client.setLoggingLevel('error');
        await b.client.setLoggingLevel('debug');
        a.logs.length = 0;
        b.logs.length = 0;
        await call(a, side, 'toggle-simulated-logging');
        await call(b, side, 'toggle-simulated-logging');
        try {
          // Random levels every 5 s: half of them below error.
          await vi.waitFor(
            () => {
              expect(simulated(b.logs).some((l) => !atLeast(l.level, 'error'))).toBe(true);
              expect(simulated(a.logs).length).toBeGreaterThan(0);
            },
            { timeout: 90_000, interval: 500 },
          );
        } finally {
          await call(a, side, 'toggle-simulated-logging');
          await call(b, side, 'toggle-simulated-logging');
        }
        expect(simulated(a.logs).filter((l) => !atLeast(l.level, 'error'))).toEqual([]);
      },
    }),
    feature({
      name: 'two clients: only the one that subscribed gets resource updates',
      sides: ALL,
      async run(side) {
        const a = await open(side);
        const b = await open(side);
        const doc = side.uri(STATIC_DOC);
        await a.client.subscribeResource({ uri: doc });
        await call(a, side, 'toggle-subscriber-updates');
        await call(b, side, 'toggle-subscriber-updates');
        try {
          await vi.waitFor(() => expect(a.updated).toContain(doc), { timeout: 20_000 });
          a.updated.length = 0;
          // A whole tick later B would have had its own.
          await vi.waitFor(() => expect(a.updated).toContain(doc), { timeout: 20_000 });
          expect(b.updated).toEqual([]);
        } finally {
          await call(a, side, 'toggle-subscriber-updates');
          await call(b, side, 'toggle-subscriber-updates');
        }
      },
    }),
    feature({
      name: 'two clients: get-roots-list returns each client’s own roots',
      sides: ALL,
      async run(side) {
        const a = await open(side, { roots: [{ uri: 'file:///work/alpha', name: 'alpha' }] });
        const b = await open(side, { roots: [{ uri: 'file:///work/beta', name: 'beta' }] });
        const [ra, rb] = [
          text(await call(a, side, 'get-roots-list')),
          text(await call(b, side, 'get-roots-list')),
        ];
        expect(ra).toContain('file:///work/alpha');
        expect(ra).not.toContain('file:///work/beta');
        expect(rb).toContain('file:///work/beta');
        expect(rb).not.toContain('file:///work/alpha');
      },
    }),
    feature({
      name: 'progress: 30 runs of trigger-long-running-operation each get all 5 progress notifications before the result',
      sides: ALL,
      async run(side) {
        const s = await open(side);
        for (let attempt = 0; attempt < 30; attempt++) {
          s.arrived.length = 0;
          const done = await s.client.callTool(
            { name: side.name('trigger-long-running-operation'), arguments: { duration: 0.05, steps: 5 } },
            undefined,
            { onprogress: () => undefined },
          );
          expect(done.isError ?? false).toBe(false);
          const at = s.arrived.findIndex((m) => 'id' in m && !('method' in m));
          const id = (s.arrived[at] as { id: unknown }).id;
          const progress = (s.arrived.slice(0, at) as { method?: string; params?: Progress }[])
            .filter((m) => m.method === 'notifications/progress' && m.params?.progressToken === id)
            .map((m) => m.params?.progress);
          expect({ attempt, progress }).toEqual({ attempt, progress: [1, 2, 3, 4, 5] });
        }
      },
    }),
    feature({
      name: 'PII: an e-mail in an elicitation answer reaches the server masked, and the relay is audited',
      sides: ALL,
      async run(side) {
        const s = await open(side, { form: { name: 'anonymous', email: 'tester@example.com' } });
        const result = await call(s, side, 'trigger-elicitation-request');
        if (side.kind === 'direct') {
          // The server echoes what it received.
          expect(text(result)).toContain('- Email: tester@example.com');
          return;
        }
        expect(text(result)).not.toContain('tester@example.com');
        expect(text(result)).toMatch(/- Email: \*+\n/);
        const events = await core.api.audit.query({ limit: 50 });
        expect(events.find((e) => e.event_type === 'elicitation')).toMatchObject({
          server: EVERY,
          contains_pii: true,
          pii_types: { EMAIL_ADDRESS: 1 },
        });
        // What came back held no PII: the answer was masked before it reached the server.
        expect(
          events.find((e) => e.event_type === 'tool_call' && e.tool_name === 'trigger-elicitation-request'),
        ).toMatchObject({ contains_pii: false });
      },
    }),
    feature({
      name: 'audit: a relayed sampling request is audited as sampling',
      sides: ['gateway'],
      async run(side) {
        const s = await open(side);
        await call(s, side, 'trigger-sampling-request', { prompt: 'Say hi', maxTokens: 20 });
        const events = await core.api.audit.query({ limit: 50 });
        expect(events.find((e) => e.event_type === 'sampling')).toMatchObject({ server: EVERY });
      },
    }),
  ];

  beforeAll(async () => {
    if (!engine) return;
    let image: string;
    ({ docker, image, core } = await openEngineCore(engine.socketPath, 'gateway-features', {
      // Faithfulness is the subject here: a tool a server lists only to clients with roots would
      // otherwise wait for approval (tool-pins.docker.test.ts covers that).
      pinTools: false,
    }));
    // Every direct session is one more server process in this container, and one that lost its
    // client lingers (it does not exit on end of input): room for all of a run's.
    await core.api.servers.add({
      spec: serverSpecSchema.parse({
        name: EVERY,
        image,
        command: EVERYTHING,
        limits: { memoryMb: 2048, cpus: 1, pids: 1024 },
      }),
    });
    await core.containers.start(EVERY, { waitForProbe: true });
    creds = await core.oauthClients.create({
      name: 'features-client',
      grant: 'client_credentials',
      scope: 'mcp.access mcp:servers',
    });
  }, 300_000);

  // A test's sessions end with it.
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.client.close().catch(() => undefined)));
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  afterAll(async () => {
    await core?.close();
    if (engine) await removeContainersNamed(docker, run);
  });

  // What each feature showed directly, for the gateway's sides to compare with.
  const seenDirectly = new Map<string, Promise<unknown>>();
  const directly = (f: Feature<unknown>) => {
    if (!seenDirectly.has(f.name)) seenDirectly.set(f.name, f.run(direct));
    return seenDirectly.get(f.name)!;
  };

  const LABELS: Record<Kind, string> = {
    direct: 'directly (docker exec -i <container> mcp-server-everything stdio)',
    gateway: 'through the gateway (/mcp)',
    'stdio-relay': 'through gateway --stdio',
  };
  for (const kind of ['direct', 'gateway', 'stdio-relay'] as const)
    describe(LABELS[kind], () => {
      for (const f of features.filter((f) => f.sides.includes(kind)))
        it.skipIf(!engine)(
          f.name,
          async () => {
            const side = SIDES[kind];
            if (kind === 'direct') {
              await directly(f);
              return;
            }
            const got = await f.run(side);
            const seen = await directly(f);
            if (f.same) f.same(got, seen, side);
            else expect(got).toEqual(ns.uris(seen));
          },
          180_000,
        );
    });
  // A gateway session's upstream sessions end with it: the server processes it started in the
  // container exit once the client ends its session, so clients that come and go leave nothing.
  it.skipIf(!engine)(
    'a gateway session’s own server processes end when the session does',
    async () => {
      const container = core.containers.view(EVERY).container.id!;
      const pids = async () =>
        new Set(
          (await docker.getContainer(container).top({ ps_args: '-eo pid,args' })).Processes.filter(
            (p: string[]) => p.join(' ').includes('mcp-server-everything'),
          ).map((p: string[]) => p[0]!),
        );
      const before = await pids();
      const s = await open(gateway);
      await call(s, gateway, 'echo', { message: 'hi' });
      const started = [...(await pids())].filter((pid) => !before.has(pid));
      expect(started).toHaveLength(1);
      // The server asks a client with roots for them soon after it starts, and a server still
      // waiting for an answer stays until its own timeout (as when reached directly).
      await vi.waitFor(() =>
        expect(s.arrived.some((m) => 'method' in m && m.method === 'roots/list')).toBe(true),
      );
      await (s.client.transport as StreamableHTTPClientTransport).terminateSession();
      await s.client.close();
      await vi.waitFor(async () => expect(await pids()).not.toContain(started[0]), { timeout: 15_000 });
    },
    120_000,
  );
  // server-everything echoes no request _meta (only progressToken is read, by
  // trigger-long-running-operation, and that is shown by the progress feature): that a trace id
  // reaches the server as sent is shown against a scripted server in upstream-pool.test.ts.
});
