import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AuditEventInput } from '../../../shared/audit';
import { AuditLog, verifyAuditDir } from './audit';
import { securityConfigSchema, type SecurityConfigInput } from '../../../shared/security';
import { Fernet, generateFernetKey } from './fernet';
import type { TextScanner } from './policy/apply-policy';
import { secureTool, type Caller, type SecureToolOptions, type SecurityServices } from './secure-tool';

const scanner: TextScanner = {
  scan(text) {
    const findings = [...text.matchAll(/[a-z]+@example\.com/g)].map((m) => ({
      type: 'EMAIL_ADDRESS',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.9,
    }));
    return { findings, timedOut: false };
  },
};
const key = generateFernetKey();
const LOCAL: Caller = { clientId: 'local', userId: 'me', scopes: ['mcp.access'] };

function services(config: SecurityConfigInput = {}, events: AuditEventInput[] = []): SecurityServices {
  const parsed = securityConfigSchema.parse(config);
  return {
    policyContext: (o) => ({
      scanner,
      fernet: () => new Fernet(key),
      threshold: 0.5,
      timeBudgetMs: 100,
      ...(o?.requireEncryption ? { requireEncryption: true } : {}),
    }),
    config: () => parsed,
    audit: async (e) => void events.push(e),
    auditReady: async () => undefined,
  };
}

let client: Client | undefined;
afterEach(() => client?.close());

// A real SDK client and server over a linked in-memory pair; `auth` is what a verified bearer
// token would have put on each request.
async function serve(
  handler: (args: { text: string }) => CallToolResult | Promise<CallToolResult>,
  options: Partial<SecureToolOptions>,
  svc: SecurityServices,
  auth?: AuthInfo,
) {
  const server = new McpServer({ name: 't', version: '1' });
  server.registerTool(
    'echo',
    { inputSchema: { text: z.string() } },
    secureTool(handler, { toolName: 'echo', server: 'demo', ...options }, svc, LOCAL),
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  if (auth) {
    const send = clientSide.send.bind(clientSide);
    clientSide.send = (message, opts) => send(message, { ...opts, authInfo: auth });
  }
  await server.connect(serverSide);
  client = new Client({ name: 'c', version: '1' });
  await client.connect(clientSide);
  return (text: string) => client!.callTool({ name: 'echo', arguments: { text } }) as Promise<CallToolResult>;
}

const echo = (args: { text: string }): CallToolResult => ({
  content: [{ type: 'text', text: `got ${args.text}` }],
});
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe('secureTool', () => {
  it('masks PII in the arguments before the handler sees them, and audits types only', async () => {
    const events: AuditEventInput[] = [];
    const seen: string[] = [];
    const call = await serve(
      (args) => {
        seen.push(args.text);
        return echo(args);
      },
      {},
      services({}, events),
    );
    expect(textOf(await call('mail kim@example.com now'))).toBe('got mail *************** now');
    expect(seen).toEqual(['mail *************** now']);
    expect(events).toEqual([
      expect.objectContaining({
        event_type: 'tool_call_attempt',
        tool_name: 'echo',
        contains_pii: true,
        pii_types: { EMAIL_ADDRESS: 1 },
        action_taken: 'masked',
      }),
      expect.objectContaining({
        event_type: 'tool_call',
        tool_name: 'echo',
        server: 'demo',
        client_id: 'local',
        user_id: 'me',
        contains_pii: true,
        pii_types: { EMAIL_ADDRESS: 1 },
        action_taken: 'masked',
        outcome: 'ok',
        parameter_count: 1,
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('kim@');
  });

  it('applies the server’s and the tool’s policy from the config', async () => {
    const events: AuditEventInput[] = [];
    const call = await serve(
      echo,
      {},
      services({ servers: { demo: { tools: { echo: { action: 'reject' } } } } }, events),
    );
    const refused = await call('kim@example.com');
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe(
      'PII_REJECTED: Refused: the data contains PII (EMAIL_ADDRESS ×1) and the policy rejects it',
    );
    expect(events[0]).toMatchObject({ action_taken: 'rejected', outcome: 'rejected', contains_pii: true });
  });

  it('scans results too: PII the handler returns is encrypted under an encrypt policy', async () => {
    const call = await serve(
      () => ({ content: [{ type: 'text', text: 'owner is lee@example.com' }] }),
      { piiPolicy: { action: 'encrypt', entities: {}, maskStyle: 'asterisks' } },
      services(),
    );
    const token = textOf(await call('clean'));
    expect(new Fernet(key).decrypt(token).toString()).toBe('owner is lee@example.com');
  });

  it('checks scopes from the caller’s token and audits the denial', async () => {
    const events: AuditEventInput[] = [];
    const call = await serve(echo, { scopes: ['mcp.access', 'mcp:server:demo'] }, services({}, events), {
      token: 't',
      clientId: 'client-a',
      scopes: ['mcp.access'],
      extra: { sub: 'user-a' },
    });
    const denied = await call('hello');
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toBe(
      'INSUFFICIENT_SCOPE: this tool needs the scope mcp:server:demo, which the token does not grant',
    );
    expect(events).toEqual([
      expect.objectContaining({
        client_id: 'client-a',
        user_id: 'user-a',
        action_taken: 'denied',
        outcome: 'denied',
      }),
    ]);
  });

  it('passes arguments meant to hold PII through, still counting them, and audits failures', async () => {
    const events: AuditEventInput[] = [];
    const call = await serve(
      (args) => {
        if (args.text === 'boom') throw new Error('handler failed');
        return { content: [{ type: 'text', text: `len ${args.text.length}` }] };
      },
      { passArguments: true },
      services({}, events),
    );
    expect(textOf(await call('kim@example.com'))).toBe('len 15');
    const failed = await call('boom');
    expect(failed.isError).toBe(true);
    expect(events.map((e) => [e.event_type, e.contains_pii, e.action_taken, e.outcome])).toEqual([
      ['tool_call_attempt', true, 'allowed', undefined],
      ['tool_call', true, 'allowed', 'ok'],
      ['tool_call_attempt', false, 'allowed', undefined],
      ['tool_call', false, 'allowed', 'error'],
    ]);
  });

  it('requiresEncryption raises the policy to encrypt for PII', async () => {
    const seen: string[] = [];
    const call = await serve(
      (args) => {
        seen.push(args.text);
        return echo(args);
      },
      { requiresEncryption: true, piiPolicy: { action: 'allow', entities: {}, maskStyle: 'asterisks' } },
      services(),
    );
    await call('kim@example.com');
    expect(new Fernet(key).decrypt(seen[0]!).toString()).toBe('kim@example.com');
  });

  it('logAccess: false skips successful calls but never refusals', async () => {
    const events: AuditEventInput[] = [];
    const call = await serve(echo, { logAccess: false, scopes: ['nope'] }, services({}, events));
    await call('x');
    expect(events).toHaveLength(1);
    expect(events[0]!.outcome).toBe('denied');
  });

  it('logs the attempt before the call runs and the outcome after, linked by one call id', async () => {
    const log: string[] = [];
    const events: AuditEventInput[] = [];
    const svc = {
      ...services({}, events),
      audit: async (e: AuditEventInput) => {
        events.push(e);
        log.push(`audit ${e.event_type}`);
      },
    };
    const call = await serve(
      (args) => {
        log.push('run');
        return echo(args);
      },
      {},
      svc,
    );
    await call('mail kim@example.com');
    expect(log).toEqual(['audit tool_call_attempt', 'run', 'audit tool_call']);
    const [attempt, outcome] = events;
    expect(attempt).toMatchObject({
      event_type: 'tool_call_attempt',
      tool_name: 'echo',
      contains_pii: true,
      pii_types: { EMAIL_ADDRESS: 1 },
      action_taken: 'masked',
    });
    expect(attempt!.outcome).toBeUndefined();
    expect(outcome).toMatchObject({ event_type: 'tool_call', outcome: 'ok', call_id: attempt!.call_id });
    expect(attempt!.call_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never runs a call whose attempt cannot be logged (a full disk), and says why', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mcp-dock-secure-enospc-'));
    let full = false;
    const key = randomBytes(32);
    const auditLog = await AuditLog.open(join(root, 'audit'), {
      seal: { load: async () => key, create: async () => key },
      io: {
        write: (fd, data, offset, length, position) => {
          if (full)
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
              syscall: 'write',
            });
          return writeSync(fd, data, offset, length, position);
        },
      },
    });
    try {
      const ran: string[] = [];
      const call = await serve(
        (args) => {
          ran.push(args.text);
          return echo(args);
        },
        {},
        { ...services(), audit: (e) => auditLog.append(e) },
      );
      full = true;
      const refused = await call('delete everything');
      expect(ran).toEqual([]);
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(
        /^AUDIT_FAILED: The audit log cannot be used: writing .*audit\.jsonl failed: ENOSPC: no space left on device, write; the call was not run$/,
      );
      expect(await readFile(join(root, 'audit', 'audit.jsonl'), 'utf8')).toBe('');

      full = false;
      expect(textOf(await call('again'))).toBe('got again');
      expect(ran).toEqual(['again']);
      const events = await auditLog.query({ order: 'asc' });
      expect(events.map((e) => e.event_type)).toEqual(['tool_call_attempt', 'tool_call']);
      expect(events[1]!.call_id).toBe(events[0]!.call_id);
      expect(await verifyAuditDir(join(root, 'audit'), { sealKey: { state: 'found', key } })).toMatchObject({
        ok: true,
        records: 2,
      });
    } finally {
      await auditLog.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('an outcome that cannot be logged does not turn a call that ran into a failure to retry', async () => {
    const events: AuditEventInput[] = [];
    const ran: string[] = [];
    const call = await serve(
      (args) => {
        ran.push(args.text);
        return echo(args);
      },
      {},
      {
        ...services({}, events),
        audit: async (e) => {
          if (e.event_type === 'tool_call') throw new Error('ENOSPC: no space left on device, write');
          events.push(e);
        },
      },
    );
    const result = await call('pay 10 EUR');
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('got pay 10 EUR');
    expect(ran).toEqual(['pay 10 EUR']);
    // The attempt is there: the log shows a call that ran and whose outcome is unknown.
    expect(events.map((e) => e.event_type)).toEqual(['tool_call_attempt']);
  });

  it('refuses to run when the audit log cannot be written', async () => {
    const svc = {
      ...services(),
      auditReady: () => Promise.reject(new Error('AUDIT_FAILED: another writer')),
    };
    const ran: string[] = [];
    const call = await serve(
      (args) => {
        ran.push(args.text);
        return echo(args);
      },
      {},
      svc,
    );
    const result = await call('x');
    expect(result.isError).toBe(true);
    expect(ran).toEqual([]);
  });
});
