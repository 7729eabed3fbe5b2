import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEngine } from '../../../../test-support/fake-engine';
import { createCore, type Core } from '../create-core';

const GUIDE_TEXT = '고객 정보: 홍길동님 (hong@example.com, 010-1234-5678)';
export const NINE_TOOLS = [
  'create_oauth2_test_token',
  'generate_security_report',
  'get_oauth2_flow_guide',
  'get_oauth2_server_status',
  'get_security_audit_log',
  'simulate_data_breach_detection',
  'test_encryption',
  'test_pii_detection',
  'validate_oauth2_setup',
];

let core: Core;
let dataDir: string;
let base: string;
let clientId: string;
let secret: string;

async function tokenFor(id: string, pass: string, resource: string, scope = 'mcp.access') {
  const res = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${id}:${pass}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
  });
  const body = (await res.json()) as { access_token: string };
  expect(res.status).toBe(200);
  return body.access_token;
}

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'dock-tools-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

const json = (result: unknown) => {
  const r = result as CallToolResult;
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool output is JSON, read by shape in assertions
  return JSON.parse((r.content[0] as { text: string }).text) as Record<string, any>;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-tools-'));
  core = await createCore({
    mode: 'headless',
    dataDir,
    http: { port: 0 },
    dockerHost: 'unix:///fake.sock',
    engine: { connect: fakeEngine().connect },
  });
  base = core.httpOrigin;
  ({ client_id: clientId, client_secret: secret } = await core.oauthClients.create({
    name: 'tools-client',
    grant: 'client_credentials',
    scope: 'mcp.access',
  }));
});
afterAll(() => core.close());

describe('the nine tools over Streamable HTTP at /mcp, with a token from our server', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(await tokenFor(clientId, secret, `${base}/mcp`));
  });
  afterAll(() => client.close());

  it('lists the guide’s nine tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(NINE_TOOLS);
  });

  it('test_pii_detection finds the guide’s example and shows every policy, values never echoed', async () => {
    const out = json(await client.callTool({ name: 'test_pii_detection', arguments: { text: GUIDE_TEXT } }));
    expect(out.findings.map((f: { type: string }) => f.type)).toEqual([
      'PERSON',
      'EMAIL_ADDRESS',
      'PHONE_NUMBER',
    ]);
    const email = out.findings[1];
    expect(GUIDE_TEXT.slice(email.start, email.end)).toBe('hong@example.com');
    expect(out.outcomes.mask.text).not.toContain('hong@example.com');
    expect(out.outcomes.reject.message).toMatch(/EMAIL_ADDRESS ×1/);
    expect(out.outcomes.encrypt.text).toMatch(/^gAAAAA/);
    expect(JSON.stringify(out)).not.toContain('010-1234-5678');
  });

  it('test_encryption round-trips with the app key and decrypts its own token', async () => {
    const round = json(
      await client.callTool({ name: 'test_encryption', arguments: { text: 'secret note' } }),
    );
    expect(round).toMatchObject({ mode: 'round-trip', round_trip_ok: true, keys: 1 });
    const back = json(await client.callTool({ name: 'test_encryption', arguments: { token: round.token } }));
    expect(back).toEqual({ mode: 'decrypt', valid: true, plaintext: 'secret note' });
    const bad = (await client.callTool({
      name: 'test_encryption',
      arguments: { token: 'gAAAAAbad' },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
  });

  it('OAuth tools report the live server, issue a usable token and validate the setup over HTTP', async () => {
    const status = json(await client.callTool({ name: 'get_oauth2_server_status', arguments: {} }));
    expect(status).toMatchObject({ issuer: base, reachable: true, clients: { confidential: 1, public: 0 } });
    expect(status.endpoints.token_endpoint).toBe(`${base}/oauth2/token`);

    const issued = json(
      await client.callTool({
        name: 'create_oauth2_test_token',
        arguments: { client_id: clientId, audience: base },
      }),
    );
    const hello = await fetch(`${base}/hello`, {
      headers: { authorization: `Bearer ${issued.access_token}` },
    });
    expect(hello.status).toBe(200);

    const guide = json(await client.callTool({ name: 'get_oauth2_flow_guide', arguments: {} }));
    expect(JSON.stringify(guide)).toContain(`${base}/oauth2/token`);

    const validation = json(await client.callTool({ name: 'validate_oauth2_setup', arguments: {} }));
    expect(validation.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(validation.ok).toBe(true);
  });

  it('create_oauth2_test_token over /mcp makes tokens only for the caller, within its own scopes', async () => {
    // A client registered for the gateway's scope: a caller with mcp.access must not borrow it.
    await core.oauthClients.create({
      name: 'powerful-client',
      grant: 'client_credentials',
      scope: 'mcp.access mcp:servers',
    });
    const refusedFor = async (args: Record<string, unknown>) => {
      const result = (await client.callTool({
        name: 'create_oauth2_test_token',
        arguments: args,
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      return (result.content[0] as { text: string }).text;
    };
    expect(await refusedFor({ client_id: 'powerful-client', scope: 'mcp.access mcp:servers' })).toMatch(
      /only for the calling client/,
    );
    expect(await refusedFor({ client_id: 'powerful-client', scope: 'mcp.access' })).toMatch(
      /only for the calling client/,
    );
    expect(await refusedFor({ client_id: clientId, scope: 'mcp.access mcp:servers' })).toMatch(/mcp:servers/);
    expect(
      json(await client.callTool({ name: 'create_oauth2_test_token', arguments: { client_id: clientId } })),
    ).toMatchObject({ scope: 'mcp.access' });
  });

  it('simulate_data_breach_detection plays every policy over a sample and over given records', async () => {
    const sample = json(await client.callTool({ name: 'simulate_data_breach_detection', arguments: {} }));
    expect(sample.dataset).toBe('sample');
    expect(sample.records).toBe(24);
    expect(sample.records_with_pii).toBeGreaterThan(15);
    expect(sample.policies.allow.findings_exposed).toBeGreaterThan(0);
    expect(sample.policies.reject.records_rejected).toBe(sample.records_with_pii);
    expect(sample.policies.mask.residual_findings).toBe(0);
    const given = json(
      await client.callTool({
        name: 'simulate_data_breach_detection',
        arguments: { records: [GUIDE_TEXT, 'no pii here'] },
      }),
    );
    expect(given).toMatchObject({ dataset: 'given', records: 2, records_with_pii: 1 });
  });

  it('every call is in the audit log with the caller and PII types, and no raw value is written', async () => {
    const log = json(await client.callTool({ name: 'get_security_audit_log', arguments: { limit: 100 } }));
    expect(log.chain.ok).toBe(true);
    const pii = log.events.find((e: { tool_name: string }) => e.tool_name === 'test_pii_detection');
    expect(pii).toMatchObject({
      client_id: clientId,
      contains_pii: true,
      pii_types: { PERSON: 1, EMAIL_ADDRESS: 1, PHONE_NUMBER: 1 },
      outcome: 'ok',
    });
    const report = json(await client.callTool({ name: 'generate_security_report', arguments: {} }));
    expect(report.audit_chain).toMatchObject({ intact: true, seal: 'sealed' });
    expect(report.events).toBeGreaterThanOrEqual(8);
    // Every call so far has its attempt and its outcome; the report's own is still running.
    expect(report.calls_without_outcome).toBe(0);
    expect(report.by_event_type.tool_call_attempt).toBeGreaterThan(0);
    expect(report.calls_with_pii).toBeGreaterThan(0);
    const files = await readdir(join(dataDir, 'audit'));
    const text = (await Promise.all(files.map((f) => readFile(join(dataDir, 'audit', f), 'utf8')))).join('');
    expect(text).toContain('test_pii_detection');
    for (const raw of ['hong@example.com', '010-1234-5678', '홍길동', 'secret note'])
      expect(text).not.toContain(raw);
  });

  it('a reject policy refuses a call whose arguments hold PII, naming types only, and audits it', async () => {
    const config = await core.api.security.getConfig();
    await core.api.security.setConfig({
      ...config,
      default: { action: 'reject', entities: {}, maskStyle: 'asterisks' },
    });
    try {
      const refused = (await client.callTool({
        name: 'get_security_audit_log',
        arguments: { client_id: 'hong@example.com' },
      })) as CallToolResult;
      expect(refused.isError).toBe(true);
      const message = (refused.content[0] as { text: string }).text;
      expect(message).toBe(
        'PII_REJECTED: Refused: the data contains PII (EMAIL_ADDRESS ×1) and the policy rejects it',
      );
      const [last] = await core.api.audit.query({ limit: 1 });
      expect(last).toMatchObject({
        tool_name: 'get_security_audit_log',
        action_taken: 'rejected',
        outcome: 'rejected',
      });
    } finally {
      await core.api.security.setConfig(config);
    }
  });
});

describe('/mcp refuses what it must', () => {
  it('asks for a token with the RFC 9728 metadata of /mcp', async () => {
    const res = await fetch(`${base}/mcp`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", scope="mcp.access mcp:servers"`,
    );
  });

  it('refuses a token issued for another resource, even once it was accepted there', async () => {
    const token = await tokenFor(clientId, secret, base);
    // Accepted (and remembered as verified) at /hello, whose audience it is...
    expect((await fetch(`${base}/hello`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('answers malformed JSON, an oversized body and a missing session with JSON-RPC errors', async () => {
    const token = await tokenFor(clientId, secret, `${base}/mcp`);
    const post = (body: string) =>
      fetch(`${base}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body,
      });
    const parse = await post('{"jsonrpc":');
    expect(parse.status).toBe(400);
    expect(await parse.json()).toMatchObject({ error: { code: -32700 } });
    const big = await post(`{"x":"${'a'.repeat(5 * 1024 * 1024)}"}`);
    expect(big.status).toBe(413);
    const noSession = await post('{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
    expect(noSession.status).toBe(400);
    expect(await noSession.json()).toMatchObject({ error: { code: -32000 } });
  });

  it('answers a plain request with one JSON body, and a request asking for progress with a stream', async () => {
    const token = await tokenFor(clientId, secret, `${base}/mcp`);
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const init = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    await init.text();
    const session = { ...headers, 'mcp-session-id': init.headers.get('mcp-session-id')! };
    const post = (body: object, extra: Record<string, string> = {}) =>
      fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { ...session, 'mcp-protocol-version': '2025-06-18', ...extra },
        body: JSON.stringify({ jsonrpc: '2.0', ...body }),
      });
    expect((await post({ method: 'notifications/initialized' })).status).toBe(202);

    const plain = await post({ id: 2, method: 'tools/list' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(plain.headers.get('mcp-session-id')).toBe(session['mcp-session-id']);
    const listed = (await plain.json()) as { id: number; result: { tools: { name: string }[] } };
    expect(listed.id).toBe(2);
    expect(listed.result.tools.map((t) => t.name).sort()).toEqual(NINE_TOOLS);

    const failing = await post({ id: 3, method: 'tools/call', params: { name: 'no_such_tool' } });
    expect(failing.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await failing.json()).toMatchObject({ id: 3 });

    const streamed = await post({ id: 4, method: 'tools/list', params: { _meta: { progressToken: 'p' } } });
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    expect(await streamed.text()).toContain('"id":4');

    // What the SDK refuses is still refused, with its own answers.
    expect((await post({ id: 5, method: 'tools/list' }, { accept: 'application/json' })).status).toBe(406);
    expect((await post({ id: 6, method: 'tools/list' }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect(
      (await post({ id: 7, method: 'tools/list' }, { 'mcp-protocol-version': '1999-01-01' })).status,
    ).toBe(400);
  });

  it('keeps a session to the client that opened it', async () => {
    const mine = await connect(await tokenFor(clientId, secret, `${base}/mcp`));
    const other = await core.oauthClients.create({
      name: 'other',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const otherToken = await tokenFor(other.client_id, other.client_secret, `${base}/mcp`);
    const sessionId = (mine.transport as StreamableHTTPClientTransport).sessionId!;
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${otherToken}`,
        'mcp-session-id': sessionId,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(res.status).toBe(404);
    await mine.close();
  });
});
