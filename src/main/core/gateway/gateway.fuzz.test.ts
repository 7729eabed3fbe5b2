import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { isJSONRPCRequest, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomInt } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeEngine } from '../../../../test-support/fake-engine';
import { createCore, type Core } from '../create-core';
import { GatewaySession } from './gateway-server';

// The gateway at /mcp under a few thousand random and mutated requests, sent raw over HTTP while
// one well-behaved SDK session (the witness) keeps calling tools. Replay a failure with the seed
// its message names: FUZZ_SEED=<seed> npx vitest run src/main/core/gateway/gateway.fuzz.test.ts
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : randomInt(2 ** 32);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const IN_FLIGHT = 16;
const WITNESS_EVERY = 100;
const POOL_SESSIONS = 8;
// gateway.json's maxBodyBytes, small so oversized bodies stay cheap.
const MAX_BODY = 64 * 1024;
const ANSWER_WITHIN_MS = 30_000;
const ALLOWED_STATUS = new Set([200, 202, 400, 401, 404, 405, 406, 413, 415]);
const SCOPE = 'mcp.access mcp:servers';
const PROTOCOL = '2025-11-25';
const ACCEPT = 'application/json, text/event-stream';

// ---------------------------------------------------------------------------------------------
// A seeded PRNG (mulberry32): the same seed gives the same requests in the same order.

function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return {
    int,
    pick,
    chance: (p: number) => next() < p,
    weighted<T>(entries: readonly (readonly [number, T])[]): T {
      let roll = next() * entries.reduce((sum, [w]) => sum + w, 0);
      for (const [w, value] of entries) if ((roll -= w) < 0) return value;
      return entries[entries.length - 1]![1];
    },
    bytes: (n: number) => Uint8Array.from({ length: n }, () => int(256)),
    text(n: number): string {
      const alphabet = pick([
        'abcdefghijklmnopqrstuvwxyz0123456789',
        ' \t\n"\\/{}[]:,',
        'äöü한국어日本語💥🙂\u00a0\u200b',
        '\u0000\udfff\u0001\u001f\u007f\ud800',
      ]);
      const chars = [...alphabet];
      return Array.from({ length: n }, () => pick(chars)).join('');
    },
  };
}
type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------------------
// Messages. Every request id the fuzzer means as valid is unique for the whole run (f-<n> or
// 10_000_000+n): two requests in flight with one id in one session would be a client bug, and a
// cancellation could then silence a request. Random values below never fall in those ranges.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
type Id = string | number;

let nextId = 0;
const freshId = (rng: Rng): Id => (rng.chance(0.5) ? `f-${++nextId}` : 10_000_000 + ++nextId);
// Ids of the requests the test makes outside the fuzzed sequence, which must not shift its ids.
let nextSetupId = 0;
const setupId = () => `s-${++nextSetupId}`;

const OWN_TOOLS = ['test_pii_detection', 'test_encryption', 'get_security_audit_log'] as const;
const UNKNOWN_METHODS = [
  'tools/calll',
  'TOOLS/CALL',
  'tools/',
  '',
  ' ',
  'rpc.discover',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'resources/unsubscribe',
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
  'notifications/initialized',
];
const UNKNOWN_TOOLS = [
  'nope',
  'x__y',
  'mcp-dock__test_encryption',
  'ghost__get_security_audit_log',
  '__',
  'a__',
  '__b',
  'a__b__c',
  'test_encryption ',
  ' test_encryption',
  'TEST_ENCRYPTION',
  'test_encryption\u0000',
  'test_encryptio',
  '',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '../../etc/passwd',
  '💥__🙂',
];

function weird(rng: Rng): Json {
  switch (rng.int(16)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.int(2_000_000) - 1_000_000;
    case 3:
      return rng.pick([1.5, -0.5, 1e308, -1e308, 2 ** 53 + 2, 0.1]);
    case 4:
      return '';
    case 5:
      return rng.text(1 + rng.int(40));
    case 6:
      return rng.text(5_000 + rng.int(20_000));
    case 7:
      return [];
    case 8:
      return [weird(rng), weird(rng)];
    case 9:
      return {};
    case 10:
      return { a: weird(rng) };
    case 11:
      return protoKeyed({ polluted: true });
    case 12:
      return nested(rng, 10 + rng.int(300));
    case 13:
      return rng.pick(['true', 'null', '0', '{}', '[]', 'NaN', 'undefined']);
    case 14:
      return rng.int(2) === 0 ? -1 : 0;
    default:
      return `gAAAAA${rng.text(20)}`;
  }
}

// An own "__proto__" key, as JSON.parse makes one from a body (not the prototype).
function protoKeyed(value: Json, into: Obj = {}): Obj {
  Object.defineProperty(into, '__proto__', { value, enumerable: true, writable: true, configurable: true });
  return into;
}

function nested(rng: Rng, depth: number): Json {
  let node: Json = rng.pick<Json>([1, 'x', null, {}]);
  for (let i = 0; i < depth; i++) node = rng.chance(0.5) ? [node] : { a: node };
  return node;
}

const invalidId = (rng: Rng): Json => rng.pick<Json>([null, true, false, 1.5, -0.25, {}, [], [1], { id: 1 }]);

function toolArguments(rng: Rng, tool: string): Obj {
  switch (tool) {
    case 'test_pii_detection':
      return rng.chance(0.5)
        ? { text: 'hong@example.com 010-1234-5678 홍길동' }
        : { text: rng.text(rng.int(200)), threshold: rng.int(101) / 100 };
    case 'test_encryption':
      return rng.chance(0.7) ? { text: rng.text(1 + rng.int(100)) } : { token: `gAAAAA${rng.text(30)}` };
    default:
      return rng.chance(0.5) ? { limit: 1 + rng.int(20) } : { limit: 5, tool_name: rng.pick(OWN_TOOLS) };
  }
}

function validMessage(rng: Rng): Obj {
  const id = freshId(rng);
  const base = { jsonrpc: '2.0', id };
  switch (
    rng.weighted([
      [3, 'tools/call'],
      [1, 'tools/list'],
      [1, 'initialize'],
      [1, 'prompts/list'],
      [1, 'prompts/get'],
      [1, 'resources/list'],
      [1, 'resources/read'],
      [1, 'ping'],
      [1, 'notification'],
    ] as const)
  ) {
    case 'tools/call': {
      const name = rng.pick(OWN_TOOLS);
      return { ...base, method: 'tools/call', params: { name, arguments: toolArguments(rng, name) } };
    }
    case 'tools/list':
      return { ...base, method: 'tools/list', ...(rng.chance(0.3) ? { params: {} } : {}) };
    case 'initialize':
      return {
        ...base,
        method: 'initialize',
        params: {
          protocolVersion: rng.pick([PROTOCOL, '2025-06-18', '2024-11-05', '1999-01-01']),
          capabilities: {},
          clientInfo: { name: 'fuzz', version: '1.0.0' },
        },
      };
    case 'prompts/get':
      return { ...base, method: 'prompts/get', params: { name: rng.pick(['a__b', 'x', '']) } };
    case 'resources/read':
      return {
        ...base,
        method: 'resources/read',
        params: { uri: rng.pick(['file:///etc/passwd', 'mcp://x', 'x', '']) },
      };
    case 'notification':
      return rng.pick<Obj>([
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: `never-${rng.int(1e6)}` } },
        { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: 1 } },
        { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
      ]);
    default:
      return { ...base, method: rng.pick(['prompts/list', 'resources/list', 'ping']) };
  }
}

const clone = (value: Obj): Obj => JSON.parse(JSON.stringify(value)) as Obj;
const isObj = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// Mutates a valid message: drops or retypes fields, renames methods and tools, adds keys.
function mutate(rng: Rng, message: Obj): Obj {
  const m = clone(message);
  const params = () => (isObj(m.params) ? m.params : undefined);
  const args = () => {
    const p = params();
    return p && isObj(p.arguments) ? p.arguments : undefined;
  };
  for (let round = 1 + rng.int(3); round > 0; round--) {
    switch (rng.int(11)) {
      case 0: {
        const holder = rng.pick([m, params() ?? m, args() ?? m]);
        const keys = Object.keys(holder);
        if (keys.length > 0) delete holder[rng.pick(keys)];
        break;
      }
      case 1: {
        const holder = rng.pick([m, params() ?? m, args() ?? m]);
        const keys = Object.keys(holder);
        if (keys.length === 0) break;
        const key = rng.pick(keys);
        holder[key] = holder === m && key === 'id' ? invalidId(rng) : weird(rng);
        break;
      }
      case 2:
        m.method = rng.chance(0.7) ? rng.pick(UNKNOWN_METHODS) : rng.text(1 + rng.int(30));
        break;
      case 3:
        if (m.method === 'tools/call' && params()) params()!.name = rng.pick(UNKNOWN_TOOLS);
        else m.method = 'tools/call';
        break;
      case 4: {
        const a = args();
        if (a) a[rng.pick(['text', 'token', 'limit', 'threshold', 'tool_name', 'contains_pii'])] = weird(rng);
        else if (params()) params()!.arguments = weird(rng);
        break;
      }
      case 5:
        if (params()) params()!.arguments = rng.pick<Json>([[], 'text', 1, null, true, [{ text: 'x' }]]);
        break;
      case 6:
        m.jsonrpc = rng.pick<Json>(['1.0', '2', 2, 2.0, null, '2.0 ', '', ['2.0']]);
        break;
      case 7:
        m.id = rng.chance(0.5) ? invalidId(rng) : freshId(rng);
        break;
      case 8: {
        const holder = rng.pick([m, params() ?? m, args() ?? m]);
        if (rng.chance(0.5)) protoKeyed(rng.pick<Json>([{ isAdmin: true }, 'x', null]), holder);
        else holder[rng.pick(['extra', 'constructor', 'toString', 'result', 'error'])] = weird(rng);
        break;
      }
      case 9:
        if (params()) params()!._meta = { progressToken: weird(rng) };
        else m.params = weird(rng);
        break;
      default:
        if (params()) params()!.task = { ttl: weird(rng) };
        else m.params = { name: rng.pick(UNKNOWN_TOOLS) };
    }
  }
  return m;
}

// Valid JSON that is not a well-formed JSON-RPC message, or a batch that mixes good and bad.
function structurallyWrong(rng: Rng): string {
  const good = () => validMessage(rng);
  switch (rng.int(12)) {
    case 0: {
      const m = good();
      delete m.jsonrpc;
      return JSON.stringify(m);
    }
    case 1:
      return JSON.stringify({ ...good(), jsonrpc: rng.pick<Json>(['1.0', '3.0', 2, null]) });
    case 2:
      return JSON.stringify({ ...good(), id: invalidId(rng) });
    case 3:
      return JSON.stringify({ ...good(), params: rng.pick<Json>([[1, 2], 'x', 3, null, true]) });
    case 4: {
      const batch: Json[] = Array.from({ length: 1 + rng.int(8) }, () =>
        rng.weighted<Json>([
          [4, good()],
          [2, mutate(rng, good())],
          [1, weird(rng)],
        ]),
      );
      return JSON.stringify(batch);
    }
    case 5:
      return JSON.stringify(
        Array.from({ length: rng.pick([0, 101, 150]) }, () => ({
          jsonrpc: '2.0',
          id: freshId(rng),
          method: 'ping',
        })),
      );
    case 6: {
      const depth = rng.pick([100, 1_000, 10_000, 30_000]);
      return rng.chance(0.5)
        ? '['.repeat(depth) + ']'.repeat(depth)
        : JSON.stringify({
            jsonrpc: '2.0',
            id: freshId(rng),
            method: 'tools/call',
            params: {
              name: rng.pick([...OWN_TOOLS, 'x__y']),
              arguments: { text: 'x', deep: nested(rng, 2000) },
            },
          });
    }
    case 7: {
      const long = rng.text(20_000 + rng.int(30_000));
      return JSON.stringify(
        rng.pick<Obj>([
          { jsonrpc: '2.0', id: freshId(rng), method: long },
          { jsonrpc: '2.0', id: freshId(rng), method: 'tools/call', params: { name: long } },
          {
            jsonrpc: '2.0',
            id: freshId(rng),
            method: 'tools/call',
            params: { name: 'test_pii_detection', arguments: { text: long } },
          },
        ]),
      );
    }
    case 8: {
      const name = rng.pick(['\u0000', 'test_encryption\u0000x', '\ud800', '\u202e__evil', '\n__\n']);
      return JSON.stringify({ jsonrpc: '2.0', id: freshId(rng), method: 'tools/call', params: { name } });
    }
    case 9:
      // Duplicate keys: JSON.parse keeps the last one.
      return `{"jsonrpc":"2.0","jsonrpc":"1.0","id":"${freshId(rng)}","method":"ping","method":"tools/list"}`;
    case 10:
      return `{"__proto__":{"jsonrpc":"2.0","method":"ping"},"id":"${freshId(rng)}","constructor":{"prototype":{"x":1}}}`;
    default:
      return JSON.stringify(
        protoKeyed({ isAdmin: true }, { jsonrpc: '2.0', id: freshId(rng), method: 'ping' }),
      );
  }
}

// Bodies that are not JSON at all, or JSON that is no message.
function junk(rng: Rng): string | Uint8Array {
  switch (rng.int(7)) {
    case 0:
      return rng.bytes(rng.int(2_000));
    case 1: {
      const text = JSON.stringify(mutate(rng, validMessage(rng)));
      return text.slice(0, rng.int(text.length));
    }
    case 2:
      return rng.pick([
        '',
        ' ',
        'hello',
        'NaN',
        'undefined',
        '{a:1}',
        "{'jsonrpc':'2.0'}",
        '{"jsonrpc":"2.0",}',
        '[',
        ']',
        '\u0000',
      ]);
    case 3:
      return rng.pick(['1', '"s"', 'null', 'true', '[]', '{}', '[[]]', '1e999', '-0']);
    case 4:
      return `\ufeff${JSON.stringify(validMessage(rng))}`;
    case 5:
      return rng.text(rng.int(500));
    default:
      return `${JSON.stringify(validMessage(rng))}${rng.pick(['x', '}', ' {}', '\u0000'])}`;
  }
}

// ---------------------------------------------------------------------------------------------
// A fuzz case: one HTTP request with its envelope.

type SessionChoice = 'pool' | 'none' | 'bogus' | 'foreign' | 'fresh';
type AuthChoice = 'valid' | 'none' | 'garbage' | 'other-resource';

interface FuzzCase {
  n: number;
  kind: string;
  method: string;
  session: SessionChoice;
  poolIndex: number;
  auth: AuthChoice;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  // Sent without Content-Length (Transfer-Encoding: chunked), on a connection of its own.
  chunked?: boolean;
  expectStatus?: number;
}

function envelope(rng: Rng, c: Partial<FuzzCase>): FuzzCase {
  const headers: Record<string, string> = {};
  const accept = rng.weighted<string | undefined>([
    [88, ACCEPT],
    [3, undefined],
    [3, 'application/json'],
    [2, 'text/event-stream'],
    [2, '*/*'],
    [2, 'text/html'],
  ]);
  if (accept !== undefined) headers.accept = accept;
  const contentType = rng.weighted<string | undefined>([
    [86, 'application/json'],
    [3, 'application/json; charset=utf-8'],
    [3, undefined],
    [2, 'text/plain'],
    [2, 'application/jsonx'],
    [2, 'application/x-www-form-urlencoded'],
    [2, 'multipart/form-data; boundary=x'],
  ]);
  if (contentType !== undefined) headers['content-type'] = contentType;
  const version = rng.weighted<string | undefined>([
    [60, undefined],
    [35, PROTOCOL],
    [5, rng.pick(['1999-01-01', 'latest', '', '2025-11-25, 2025-06-18'])],
  ]);
  if (version !== undefined) headers['mcp-protocol-version'] = version;
  return {
    n: 0,
    kind: '?',
    method: 'POST',
    session: rng.weighted<SessionChoice>([
      [72, 'pool'],
      [14, 'none'],
      [9, 'bogus'],
      [5, 'foreign'],
    ]),
    poolIndex: rng.int(POOL_SESSIONS),
    auth: rng.weighted<AuthChoice>([
      [93, 'valid'],
      [3, 'none'],
      [2, 'garbage'],
      [2, 'other-resource'],
    ]),
    headers,
    ...c,
  };
}

function generate(rng: Rng, n: number): FuzzCase {
  const kind = rng.weighted([
    [12, 'junk'],
    [18, 'structure'],
    [42, 'mutated'],
    [20, 'valid'],
    [6, 'method'],
    [1, 'oversized'],
    [1, 'near-limit'],
  ] as const);
  const text = (value: Json) => JSON.stringify(value);
  switch (kind) {
    case 'junk':
      return { ...envelope(rng, { body: junk(rng) }), n, kind };
    case 'structure':
      return { ...envelope(rng, { body: structurallyWrong(rng) }), n, kind };
    case 'mutated': {
      const m = mutate(rng, validMessage(rng));
      return { ...envelope(rng, { body: text(m) }), n, kind: `mutated ${String(m.method)}`.slice(0, 60) };
    }
    case 'valid': {
      const m = validMessage(rng);
      return { ...envelope(rng, { body: text(m) }), n, kind: `valid ${String(m.method)}` };
    }
    case 'oversized': {
      const size = MAX_BODY + 1 + rng.int(3 * MAX_BODY);
      const body = text({
        jsonrpc: '2.0',
        id: freshId(rng),
        method: 'tools/call',
        params: { name: 'test_pii_detection', arguments: { text: 'a'.repeat(size) } },
      });
      const chunked = rng.chance(0.5);
      return {
        ...envelope(rng, { body, chunked }),
        auth: 'valid',
        n,
        kind: chunked ? 'oversized chunked' : 'oversized',
        expectStatus: 413,
      };
    }
    case 'near-limit': {
      const wrapper = text({
        jsonrpc: '2.0',
        id: `f-${++nextId}`,
        method: 'tools/call',
        params: { name: 'test_pii_detection', arguments: { text: '' } },
      });
      const body = wrapper.replace('"text":""', `"text":"${'b'.repeat(MAX_BODY - wrapper.length)}"`);
      return {
        ...envelope(rng, { body }),
        n,
        kind: 'near-limit',
        auth: 'valid',
        session: 'pool',
        headers: { accept: ACCEPT, 'content-type': 'application/json' },
        expectStatus: 200,
      };
    }
    default: {
      const method = rng.weighted([
        [5, 'GET'],
        [4, 'DELETE'],
        [1, 'PUT'],
        [1, 'PATCH'],
        [1, 'OPTIONS'],
      ] as const);
      const c = envelope(rng, { method });
      if (method === 'GET') {
        if (rng.chance(0.7)) c.headers.accept = rng.chance(0.8) ? 'text/event-stream' : 'application/json';
        if (rng.chance(0.3))
          c.headers['last-event-id'] = rng.pick(['x', '0', 'f_00000001', `${'a'.repeat(36)}_0`]);
      }
      if (method === 'DELETE') {
        // Never a pool session: those must stay open. A fresh one is opened for the DELETE.
        c.session = rng.weighted<SessionChoice>([
          [4, 'fresh'],
          [2, 'bogus'],
          [2, 'none'],
          [2, 'foreign'],
        ]);
      }
      if (rng.chance(0.3)) c.body = junk(rng);
      return { ...c, n, kind: `method ${method}` };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sending and reading.

interface Answer {
  status: number;
  contentType: string;
  text: string;
  headers: Headers;
}

// A chunked body on a connection of its own (Connection: close), so whatever the server does with
// a body it stops reading cannot touch the connections the other requests share.
function sendChunked(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
          headers: new Headers(
            Object.entries(res.headers).flatMap(([k, v]): [string, string][] =>
              v === undefined ? [] : [[k, String(v)]],
            ),
          ),
        }),
      );
      res.on('error', reject);
    });
    // The server may answer and hang up before it read everything: only a missing answer counts.
    req.on('error', reject);
    req.setTimeout(ANSWER_WITHIN_MS, () => req.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)));
    const bytes = Buffer.from(body);
    for (let at = 0; at < bytes.length; at += 16 * 1024) req.write(bytes.subarray(at, at + 16 * 1024));
    req.end();
  });
}

// Server-sent events → their data, parsed; empty data (priming events) skipped.
// A POST is answered with an SSE stream or, for a plain request, one JSON body: both are
// Streamable HTTP, and both are read here.
function replyMessages(contentType: string, text: string): unknown[] {
  if (contentType.startsWith('text/event-stream')) return sseMessages(text);
  if (contentType.includes('json')) return [JSON.parse(text)];
  return [];
}

function sseMessages(text: string): unknown[] {
  const out: unknown[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data !== '') out.push(JSON.parse(data));
  }
  return out;
}

// What is wrong with a JSON-RPC message the server sent, if anything.
function rpcProblem(message: unknown): string | undefined {
  if (!isObj(message)) return 'not an object';
  if (message.jsonrpc !== '2.0') return 'jsonrpc is not "2.0"';
  if (typeof message.method === 'string') return undefined; // a notification or request from the server
  const { id } = message;
  if (!(typeof id === 'string' || Number.isSafeInteger(id) || id === null)) return 'bad id';
  if ('result' in message === 'error' in message) return 'not exactly one of result and error';
  if ('result' in message) return isObj(message.result) && id !== null ? undefined : 'bad result';
  const error = message.error;
  if (!isObj(error)) return 'error is not an object';
  if (!Number.isSafeInteger(error.code)) return 'error.code is not an integer';
  if (typeof error.message !== 'string') return 'error.message is not a string';
  return undefined;
}

// ---------------------------------------------------------------------------------------------

describe('the gateway under a fuzzer', () => {
  let core: Core;
  let base: string;
  let fuzzClientId: string;
  let tokens: Record<Exclude<AuthChoice, 'none'>, string>;
  let witness: Client;
  let witnessSession: string;
  let witnessTools: string[];
  const pool: string[] = [];
  const rng = prng(SEED);
  const seedNote = `FUZZ_SEED=${SEED}`;

  const problems: string[] = [];
  const stats = {
    sent: 0,
    byStatus: {} as Record<string, number>,
    // tools/call requests answered within one of our sessions, as valid auth sent them.
    toolCallsAnswered: 0,
    expectAudited: 0,
    notAudited: {} as Record<string, number>,
    witnessChecks: 0,
  };

  async function tokenFor(id: string, secret: string, resource: string) {
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE, resource }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  const postInit = (token: string) =>
    fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: ACCEPT },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: setupId(),
        method: 'initialize',
        params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } },
      }),
    });

  async function openSession(): Promise<string> {
    const res = await postInit(tokens.valid);
    await res.text();
    expect(res.status).toBe(200);
    const id = res.headers.get('mcp-session-id')!;
    const done = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.valid}`,
        'mcp-session-id': id,
        'content-type': 'application/json',
        accept: ACCEPT,
      },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
    expect(done.status).toBe(202);
    return id;
  }

  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-gateway-fuzz-'));
    await writeFile(join(dataDir, 'gateway.json'), JSON.stringify({ version: 1, maxBodyBytes: MAX_BODY }));
    core = await createCore({
      mode: 'headless',
      dataDir,
      http: { port: 0 },
      dockerHost: 'unix:///fake.sock',
      engine: { connect: fakeEngine().connect },
    });
    base = core.httpOrigin;
    const fuzzer = await core.oauthClients.create({
      name: 'fuzzer',
      grant: 'client_credentials',
      scope: SCOPE,
    });
    const watcher = await core.oauthClients.create({
      name: 'witness',
      grant: 'client_credentials',
      scope: SCOPE,
    });
    fuzzClientId = fuzzer.client_id;
    tokens = {
      valid: await tokenFor(fuzzer.client_id, fuzzer.client_secret, `${base}/mcp`),
      garbage: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      'other-resource': await tokenFor(fuzzer.client_id, fuzzer.client_secret, base),
    };
    witness = new Client({ name: 'fuzz-witness', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: {
        headers: {
          authorization: `Bearer ${await tokenFor(watcher.client_id, watcher.client_secret, `${base}/mcp`)}`,
        },
      },
    });
    await witness.connect(transport);
    witnessSession = transport.sessionId!;
    witnessTools = (await witness.listTools()).tools.map((t) => t.name).sort();
    for (let i = 0; i < POOL_SESSIONS; i++) pool.push(await openSession());
  });

  afterAll(async () => {
    await witness?.close();
    await core?.close();
  });

  async function witnessWorks(when: string): Promise<void> {
    stats.witnessChecks++;
    try {
      const result = (await witness.callTool({
        name: 'test_encryption',
        arguments: { text: `witness ${when}` },
      })) as CallToolResult;
      const text = (result.content[0] as { text?: string } | undefined)?.text ?? '';
      if (result.isError || !(JSON.parse(text) as { round_trip_ok?: boolean }).round_trip_ok)
        problems.push(`witness test_encryption failed ${when}: ${text.slice(0, 200)}`);
      const names = (await witness.listTools()).tools.map((t) => t.name).sort();
      if (JSON.stringify(names) !== JSON.stringify(witnessTools))
        problems.push(`witness tools/list changed ${when}: ${names.join(',')}`);
    } catch (error) {
      problems.push(`witness failed ${when}: ${String(error)}`);
    }
  }

  function describeCase(c: FuzzCase): string {
    const body =
      c.body === undefined
        ? ''
        : typeof c.body === 'string'
          ? JSON.stringify(c.body.slice(0, 160))
          : `<${c.body.length} random bytes>`;
    return `#${c.n} ${c.kind} ${c.method} session=${c.session} auth=${c.auth} ${JSON.stringify(c.headers)} ${body}`;
  }

  async function run(c: FuzzCase): Promise<void> {
    const headers: Record<string, string> = { ...c.headers };
    if (c.auth !== 'none') headers.authorization = `Bearer ${tokens[c.auth]}`;
    let session: string | undefined;
    if (c.session === 'pool') session = pool[c.poolIndex];
    if (c.session === 'bogus')
      session = c.n % 2 ? `00000000-0000-4000-8000-${String(c.n).padStart(12, '0')}` : 'x';
    if (c.session === 'foreign') session = witnessSession;
    if (c.session === 'fresh') session = await openSession();
    if (session !== undefined) headers['mcp-session-id'] = session;

    let answer: Answer;
    try {
      if (c.chunked) {
        answer = await sendChunked(`${base}/mcp`, headers, c.body as string);
      } else {
        const res = await fetch(`${base}/mcp`, {
          method: c.method,
          headers,
          // Bytes go as a Buffer: the same for Node's fetch types and the DOM's.
          ...(c.body !== undefined && c.method !== 'GET'
            ? { body: typeof c.body === 'string' ? c.body : Buffer.from(c.body) }
            : {}),
          signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
        });
        const contentType = res.headers.get('content-type') ?? '';
        let text = '';
        // A GET that opened the standalone stream stays open by design: its headers are the answer.
        if (c.method === 'GET' && contentType.startsWith('text/event-stream')) await res.body?.cancel();
        else text = await res.text();
        answer = { status: res.status, contentType, text, headers: res.headers };
      }
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      problems.push(`no answer (${String(error)}${cause ? `: ${String(cause)}` : ''}) to ${describeCase(c)}`);
      return;
    }
    stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
    const fail = (what: string): void => {
      problems.push(`${what} [status ${answer.status}, ${answer.text.slice(0, 200)}] for ${describeCase(c)}`);
    };

    // 409: a second GET stream for one session, which the transport refuses as it should.
    const allowed =
      ALLOWED_STATUS.has(answer.status) ||
      (c.method === 'GET' && c.session === 'pool' && answer.status === 409);
    if (!allowed) fail('unexpected status');
    if (c.expectStatus !== undefined && answer.status !== c.expectStatus && c.auth === 'valid')
      fail(`expected ${c.expectStatus}`);

    let messages: unknown[] = [];
    try {
      if (answer.contentType.startsWith('text/event-stream')) messages = sseMessages(answer.text);
      else if (answer.contentType.includes('json')) messages = [JSON.parse(answer.text)];
      else if (answer.text !== '') return fail(`a body that is neither JSON nor SSE (${answer.contentType})`);
    } catch {
      return fail('a body that does not parse');
    }
    if (answer.status === 401) {
      const body = messages[0] as { error?: unknown } | undefined;
      if (typeof body?.error !== 'string' || !answer.headers.get('www-authenticate'))
        fail('a 401 without an OAuth error and a challenge');
      return;
    }
    for (const message of messages) {
      const problem = rpcProblem(message);
      if (problem) fail(`malformed JSON-RPC (${problem})`);
    }

    // Which requests the server must answer: those the SDK itself takes for requests.
    if (c.method !== 'POST' || c.body === undefined || typeof c.body !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(c.body);
    } catch {
      return;
    }
    const requests = (Array.isArray(parsed) ? parsed : [parsed]).filter(isJSONRPCRequest);
    if (answer.status === 202 && requests.length > 0) fail('202 for a body holding requests');
    if (answer.status !== 200) return;
    const answers = new Map<unknown, Obj>();
    for (const m of messages) if (isObj(m) && 'id' in m) answers.set(m.id, m);
    for (const request of requests) {
      const reply = answers.get(request.id);
      if (!reply) {
        fail(`no JSON-RPC answer to request ${JSON.stringify(request.id)}`);
        continue;
      }
      if (request.method !== 'tools/call' || c.session !== 'pool' || c.auth !== 'valid') continue;
      stats.toolCallsAnswered++;
      const unaudited = whyNotAudited(reply);
      if (unaudited) stats.notAudited[unaudited] = (stats.notAudited[unaudited] ?? 0) + 1;
      else stats.expectAudited++;
    }
  }

  // A tools/call answer that shows the call never reached a tool handler (nor the gateway's
  // refusal, which audits): the SDK turned it away first. Everything else must have been audited.
  function whyNotAudited(reply: Obj): string | undefined {
    const error = isObj(reply.error) ? reply.error : undefined;
    if (error) {
      const message = String(error.message);
      // The SDK's own schema check of params (name not a string, arguments not an object, no
      // params): answered before the gateway's handler runs.
      if (error.code === -32603 && message.trimStart().startsWith('['))
        return 'params failing the SDK schema';
      if (message.startsWith('Server does not support task creation')) return 'task-augmented call';
      return undefined;
    }
    const result = isObj(reply.result) ? reply.result : {};
    const content = Array.isArray(result.content) ? result.content : [];
    const text = isObj(content[0]) ? String(content[0].text) : '';
    // Our own tools' input schemas, checked by the SDK's McpServer before the secured handler.
    if (result.isError === true && text.startsWith('MCP error -32602: Input validation error'))
      return 'own tool, arguments failing its input schema';
    return undefined;
  }

  describe(`after ${REQUESTS} random and mutated requests, ${IN_FLIGHT} in flight`, () => {
    beforeAll(async () => {
      let next = 0;
      const worker = async () => {
        while (next < REQUESTS) {
          const n = next++;
          // Generated in order, so one seed gives one sequence whatever the timing.
          const c = generate(rng, n);
          try {
            await run(c);
          } catch (error) {
            problems.push(`the fuzzer itself failed (${String(error)}) on ${describeCase(c)}`);
          }
          stats.sent++;
          if (n % WITNESS_EVERY === WITNESS_EVERY - 1) await witnessWorks(`after request #${n}`);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      await witnessWorks('at the end');
      if (process.env.FUZZ_VERBOSE) console.info(JSON.stringify({ seed: SEED, ...stats }, null, 1));
    }, 180_000);

    it('answered every one with an expected status and well-formed JSON-RPC, never a 5xx, the witness working throughout', () => {
      expect(problems.slice(0, 20), `${seedNote}; ${problems.length} problems`).toEqual([]);
      expect(stats.sent).toBe(REQUESTS);
      expect(stats.witnessChecks).toBeGreaterThanOrEqual(Math.floor(REQUESTS / WITNESS_EVERY));
    });

    it('still serves: the witness works, /healthz answers and the audit chain verifies', async () => {
      const result = (await witness.callTool({
        name: 'test_encryption',
        arguments: { text: 'after the fuzzer' },
      })) as CallToolResult;
      expect(result.isError, seedNote).toBeFalsy();
      const health = await fetch(`${base}/healthz`);
      expect(health.status, seedNote).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      expect(await core.api.audit.verify(), seedNote).toMatchObject({ ok: true });
    });

    // Counted per request: tools/call sent with the fuzzer's valid token into one of its own open
    // sessions, and answered. Those the SDK turned away before any handler (whyNotAudited) are
    // left out; all the others ran the gateway's handler, which audits calls and refusals alike.
    it('audited every tools/call that reached the gateway within a session', async () => {
      const events = await core.api.audit.query({
        client_id: fuzzClientId,
        event_type: 'tool_call',
        limit: 100_000,
      });
      if (process.env.FUZZ_VERBOSE) console.info(`audit events of the fuzzer: ${events.length}`);
      expect(stats.toolCallsAnswered, seedNote).toBeGreaterThan(0);
      expect(events.length, `${seedNote}; ${JSON.stringify(stats)}`).toBeGreaterThanOrEqual(
        stats.expectAudited,
      );
    });
  });

  describe('bad input at the edges', () => {
    // Regression: the SDK's Server parses params before a handler runs and used to answer a
    // mismatch with -32603 and a dump of schema issues, unaudited. JSON-RPC says -32602.
    it('answers tools/call, prompts/get and resources/read with params of the wrong type with -32602', async () => {
      const session = pool[0]!;
      const cases: Obj[] = [
        { method: 'tools/call', params: { name: 42 } },
        { method: 'tools/call', params: { name: 'test_encryption', arguments: 'text' } },
        { method: 'tools/call', params: { name: 'test_encryption', arguments: [1] } },
        { method: 'tools/call' },
        { method: 'prompts/get', params: { name: 1 } },
        { method: 'resources/read', params: { uri: 5 } },
      ];
      for (const body of cases) {
        const res = await fetch(`${base}/mcp`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.valid}`,
            'mcp-session-id': session,
            'content-type': 'application/json',
            accept: ACCEPT,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: setupId(), ...body }),
        });
        expect(res.status).toBe(200);
        const [reply] = replyMessages(res.headers.get('content-type') ?? '', await res.text()) as {
          error?: { code: number; message: string };
        }[];
        // Found by this fuzzer: it was -32603 with a JSON dump of Zod issues as the message.
        expect(reply?.error?.code, JSON.stringify(body)).toBe(-32602);
        expect(reply?.error?.message).not.toMatch(/^\s*\[/);
      }
    });

    // Regression: an oversized chunked body is not read to its end, so its connection cannot
    // carry another request; the 413 used to say keep-alive and the next request hung (ECONNRESET).
    it('keeps a keep-alive connection usable after a 413 for an oversized chunked body', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const send = (body: string, chunked: boolean) =>
        new Promise<{ status: number; contentType: string; text: string }>((resolve, reject) => {
          const req = httpRequest(
            `${base}/mcp`,
            {
              method: 'POST',
              agent,
              headers: {
                authorization: `Bearer ${tokens.valid}`,
                'mcp-session-id': pool[1]!,
                'content-type': 'application/json',
                accept: ACCEPT,
                ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
              },
            },
            (res) => {
              let text = '';
              res.on('data', (chunk: Buffer) => (text += chunk.toString()));
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  contentType: String(res.headers['content-type'] ?? ''),
                  text,
                }),
              );
            },
          );
          req.on('error', reject);
          req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
          if (chunked) for (let i = 0; i < 40; i++) req.write('y'.repeat(4096));
          else req.write(body);
          req.end();
        });
      try {
        expect((await send('', true)).status).toBe(413);
        const ping = JSON.stringify({ jsonrpc: '2.0', id: setupId(), method: 'ping' });
        // Found by this fuzzer: it used to reject with ECONNRESET after ~6 s.
        const after = await send(ping, false);
        expect(after.status).toBe(200);
        expect(replyMessages(after.contentType, after.text)).toContainEqual(
          expect.objectContaining({ result: {} }),
        );
      } finally {
        agent.destroy();
      }
    }, 20_000);

    // Regression: a GatewaySession was made for every initialize and never closed, neither when
    // the transport refused the request (406, 415) nor when the session ended (DELETE, sweep).
    it('closes the gateway session of a session that ends or never starts', async () => {
      const connects = vi.spyOn(GatewaySession.prototype, 'connect');
      const closes = vi.spyOn(GatewaySession.prototype, 'close');
      try {
        for (const headers of [{ accept: 'application/json' }, { 'content-type': 'text/plain' }]) {
          const init = JSON.stringify({
            jsonrpc: '2.0',
            id: setupId(),
            method: 'initialize',
            params: {
              protocolVersion: PROTOCOL,
              capabilities: {},
              clientInfo: { name: 'fuzz', version: '1' },
            },
          });
          const res = await fetch(`${base}/mcp`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${tokens.valid}`,
              'content-type': 'application/json',
              accept: ACCEPT,
              ...headers,
            },
            body: init,
          });
          expect([406, 415]).toContain(res.status);
        }
        const session = await openSession();
        const deleted = await fetch(`${base}/mcp`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${tokens.valid}`, 'mcp-session-id': session },
        });
        expect(deleted.status).toBe(200);
        expect(connects).toHaveBeenCalled();
        // Every session that was connected is closed again.
        await vi.waitFor(() => expect(closes.mock.calls.length).toBe(connects.mock.calls.length), {
          timeout: 2_000,
        });
      } finally {
        connects.mockRestore();
        closes.mockRestore();
      }
    });
  });
});
