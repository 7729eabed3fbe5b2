import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../shared/audit';
import { DockError } from '../../../../shared/errors';
import { securityConfigSchema, type SecurityConfigInput } from '../../../../shared/security';
import { AuditLog, verifyAuditDir, type AuditIo } from '../audit';
import { Fernet, generateFernetKey } from '../fernet';
import type { TextScanner } from '../policy/apply-policy';
import {
  CallNotAuditedError,
  guardCall,
  InsufficientScopeError,
  PiiRejectedError,
  recordRefusal,
  type Caller,
  type GuardedCall,
  type SecurityServices,
} from './index';

// The guard with plain values and a real audit log in a temp dir; the scanner finds
// "<name>@example.com" only, so each test says exactly what is PII.
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
const fernetKey = generateFernetKey();
const LOCAL: Caller = { clientId: 'local', userId: 'me', scopes: ['mcp.access'] };

let root: string;
let sealKey: Buffer;
let log: AuditLog | undefined;
const auditDir = () => join(root, 'audit');
const openLog = async (io?: AuditIo) =>
  (log = await AuditLog.open(auditDir(), {
    seal: { load: async () => sealKey, create: async () => sealKey },
    ...(io ? { io } : {}),
  }));

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-dock-guard-'));
  sealKey = randomBytes(32);
});
afterEach(async () => {
  await log?.close();
  log = undefined;
  await rm(root, { recursive: true, force: true });
});

function services(audit: AuditLog, config: SecurityConfigInput = {}): SecurityServices {
  const parsed = securityConfigSchema.parse(config);
  return {
    policyContext: (o) => ({
      scanner,
      fernet: () => new Fernet(fernetKey),
      threshold: 0.5,
      timeBudgetMs: 100,
      ...(o?.requireEncryption ? { requireEncryption: true } : {}),
    }),
    config: () => parsed,
    audit: (event) => audit.append(event),
    auditReady: async () => undefined,
  };
}

const records = async (): Promise<AuditEvent[]> => (await log!.query({ order: 'asc' })) ?? [];
const summary = (events: AuditEvent[]) =>
  events.map((e) => [e.event_type, e.action_taken, e.outcome ?? null, e.contains_pii]);

// A call to tool "lookup" on server "demo" whose forward notes what it was given.
function lookup<T = { text: string }>(
  overrides: Partial<GuardedCall<Record<string, unknown>, T>> = {},
  answer: (args: Record<string, unknown>) => T = (args) => ({ text: `found ${String(args.q)}` }) as T,
) {
  const forwarded: { args: Record<string, unknown>; callId: string }[] = [];
  const call: GuardedCall<Record<string, unknown>, T> = {
    toolName: 'lookup',
    server: 'demo',
    caller: LOCAL,
    args: { q: 'x' },
    forward: (args, callId) => {
      forwarded.push({ args, callId });
      return answer(args);
    },
    ...overrides,
  };
  return { call, forwarded };
}

describe('guardCall', () => {
  it('forwards the arguments as the policy left them, masks the result, and logs attempt then outcome', async () => {
    const svc = services(await openLog());
    const { call, forwarded } = lookup({ args: { q: 'kim@example.com', limit: 3 } });
    const outcome = await guardCall(svc, call);

    expect(forwarded.map((f) => f.args)).toEqual([{ q: '***************', limit: 3 }]);
    expect(outcome).toEqual({
      ok: true,
      value: { text: 'found ***************' },
      callId: forwarded[0]!.callId,
    });
    const events = await records();
    expect(summary(events)).toEqual([
      ['tool_call_attempt', 'masked', null, true],
      ['tool_call', 'masked', 'ok', true],
    ]);
    expect(events[0]).toMatchObject({
      tool_name: 'lookup',
      server: 'demo',
      client_id: 'local',
      user_id: 'me',
      parameter_count: 2,
      pii_types: { EMAIL_ADDRESS: 1 },
      call_id: forwarded[0]!.callId,
    });
    // The outcome counts the arguments' PII and the result's (the result's was masked already).
    expect(events[1]).toMatchObject({ pii_types: { EMAIL_ADDRESS: 1 }, call_id: forwarded[0]!.callId });
    expect(events[1]!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(await readFile(join(auditDir(), 'audit.jsonl'), 'utf8')).not.toContain('kim@');
    expect(await verifyAuditDir(auditDir(), { sealKey: { state: 'found', key: sealKey } })).toMatchObject({
      ok: true,
      records: 2,
    });
  });

  it('writes the attempt before the call is forwarded', async () => {
    const svc = services(await openLog());
    let seenAtForward: unknown[] = [];
    const { call } = lookup({
      forward: async () => {
        seenAtForward = summary(await records());
        return { text: 'done' };
      },
    });
    await guardCall(svc, call);
    expect(seenAtForward).toEqual([['tool_call_attempt', 'allowed', null, false]]);
  });

  it('checks every scope, a list meaning any one of it, and refuses with INSUFFICIENT_SCOPE', async () => {
    const svc = services(await openLog());
    const scopes = ['mcp.access', ['mcp:server:demo', 'mcp:servers']] as const;
    const wide = lookup({ scopes, caller: { ...LOCAL, scopes: ['mcp.access', 'mcp:servers'] } });
    expect((await guardCall(svc, wide.call)).ok).toBe(true);

    const narrow = lookup({
      scopes,
      caller: { clientId: 'client-a', userId: 'user-a', scopes: ['mcp.access'] },
    });
    const outcome = await guardCall(svc, narrow.call);
    expect(narrow.forwarded).toEqual([]);
    expect(outcome.ok).toBe(false);
    const refusal = !outcome.ok ? outcome.refusal : undefined;
    expect(refusal).toBeInstanceOf(InsufficientScopeError);
    expect(refusal).toBeInstanceOf(DockError);
    expect(refusal).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      message: 'this tool needs the scope mcp:server:demo or mcp:servers, which the token does not grant',
    });
    const denied = (await records()).at(-1)!;
    expect(denied).toMatchObject({
      event_type: 'tool_call',
      client_id: 'client-a',
      user_id: 'user-a',
      action_taken: 'denied',
      outcome: 'denied',
      detail: 'insufficient_scope',
    });
    expect((await records()).filter((e) => e.call_id === denied.call_id)).toHaveLength(1);
  });

  it('refuses arguments the policy rejects, with one record and no forward', async () => {
    const svc = services(await openLog(), { servers: { demo: { tools: { lookup: { action: 'reject' } } } } });
    const { call, forwarded } = lookup({ args: { q: 'kim@example.com' } });
    const outcome = await guardCall(svc, call);
    expect(forwarded).toEqual([]);
    expect(!outcome.ok && outcome.refusal).toBeInstanceOf(PiiRejectedError);
    expect(!outcome.ok && outcome.refusal).toMatchObject({
      code: 'PII_REJECTED',
      message: 'Refused: the data contains PII (EMAIL_ADDRESS ×1) and the policy rejects it',
    });
    const events = await records();
    expect(summary(events)).toEqual([['tool_call', 'rejected', 'rejected', true]]);
    expect(events[0]!.pii_types).toEqual({ EMAIL_ADDRESS: 1 });
  });

  it('puts the request _meta through the same policy: masked on its way, or the call refused', async () => {
    const svc = services(await openLog());
    const metas: (Record<string, unknown> | undefined)[] = [];
    const { call } = lookup({
      meta: { traceId: 't-1', user: 'kim@example.com' },
      forward: (_args, _callId, meta) => {
        metas.push(meta);
        return { text: 'ok' };
      },
    });
    expect((await guardCall(svc, call)).ok).toBe(true);
    expect(metas).toEqual([{ traceId: 't-1', user: '***************' }]);
    expect((await records())[0]).toMatchObject({ contains_pii: true, pii_types: { EMAIL_ADDRESS: 1 } });

    const strict = services(log!, { servers: { demo: { tools: { lookup: { action: 'reject' } } } } });
    const refused = lookup({ meta: { user: 'kim@example.com' } });
    const outcome = await guardCall(strict, refused.call);
    expect(refused.forwarded).toEqual([]);
    expect(!outcome.ok && outcome.refusal).toBeInstanceOf(PiiRejectedError);
  });

  it('refuses a result the policy rejects: the call ran, so its attempt and outcome are logged', async () => {
    const svc = services(await openLog(), { servers: { demo: { policy: { action: 'reject' } } } });
    const { call, forwarded } = lookup({}, () => ({ text: 'owner lee@example.com' }));
    const outcome = await guardCall(svc, call);
    expect(forwarded).toHaveLength(1);
    expect(!outcome.ok && outcome.refusal).toMatchObject({
      code: 'PII_REJECTED',
      message: 'Refused: the data contains PII (EMAIL_ADDRESS ×1) and the policy rejects it',
    });
    expect(summary(await records())).toEqual([
      ['tool_call_attempt', 'allowed', null, false],
      ['tool_call', 'rejected', 'rejected', true],
    ]);
  });

  it('encrypts what it would let through when the call requires encryption', async () => {
    const svc = services(await openLog());
    const { call, forwarded } = lookup({
      args: { q: 'kim@example.com' },
      requiresEncryption: true,
      piiPolicy: { action: 'allow', entities: {}, maskStyle: 'asterisks' },
    });
    await guardCall(svc, call);
    expect(new Fernet(fernetKey).decrypt(String(forwarded[0]!.args.q)).toString()).toBe('kim@example.com');
    expect(summary(await records())[0]).toEqual(['tool_call_attempt', 'encrypted', null, true]);
  });

  it('passes arguments meant to hold PII as given, still counting them', async () => {
    const svc = services(await openLog());
    const { call, forwarded } = lookup({ args: { q: 'kim@example.com' }, passArguments: true });
    await guardCall(svc, call);
    expect(forwarded[0]!.args).toEqual({ q: 'kim@example.com' });
    expect((await records())[0]).toMatchObject({ contains_pii: true, pii_types: { EMAIL_ADDRESS: 1 } });
  });

  it('does not forward a call whose attempt the log cannot take (a full disk), and says why', async () => {
    let full = false;
    const svc = services(
      await openLog({
        write: (fd, data, offset, length, position) => {
          if (full)
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          return writeSync(fd, data, offset, length, position);
        },
      }),
    );
    full = true;
    const { call, forwarded } = lookup();
    const outcome = await guardCall(svc, call);
    expect(forwarded).toEqual([]);
    expect(!outcome.ok && outcome.refusal).toBeInstanceOf(CallNotAuditedError);
    expect(!outcome.ok && outcome.refusal.code).toBe('AUDIT_FAILED');
    expect(!outcome.ok && outcome.refusal.message).toMatch(
      /^The audit log cannot be used: writing .*audit\.jsonl failed: ENOSPC: no space left on device, write; the call was not run$/,
    );
    expect(await readFile(join(auditDir(), 'audit.jsonl'), 'utf8')).toBe('');
  });

  it('does not forward a call while the log does not match its seal (AUDIT_CHAIN_BROKEN)', async () => {
    const first = await openLog();
    for (let i = 0; i < 3; i += 1) await guardCall(services(first), lookup().call);
    await first.close();
    log = undefined;
    const file = join(auditDir(), 'audit.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${lines[0]}\n`);

    const svc: SecurityServices = {
      ...services(first),
      auditReady: async () => void (await openLog()),
    };
    const { call, forwarded } = lookup();
    const outcome = await guardCall(svc, call);
    expect(forwarded).toEqual([]);
    expect(!outcome.ok && outcome.refusal.code).toBe('AUDIT_CHAIN_BROKEN');
    expect(!outcome.ok && outcome.refusal.message).toMatch(
      /^The audit log in .* does not match its seal: .*; the call was not run$/,
    );
  });

  it('names a plain failure of the log AUDIT_FAILED', async () => {
    const svc: SecurityServices = {
      ...services(await openLog()),
      auditReady: () => Promise.reject(new Error('disk gone')),
    };
    const outcome = await guardCall(svc, lookup().call);
    expect(!outcome.ok && outcome.refusal).toMatchObject({
      code: 'AUDIT_FAILED',
      message: 'The audit log cannot be used: disk gone; the call was not run',
    });
  });

  it('throws the forwarded call’s own failure as it is, after logging its outcome', async () => {
    const svc = services(await openLog());
    const boom = new Error('upstream died');
    const { call } = lookup({
      forward: () => {
        throw boom;
      },
    });
    await expect(guardCall(svc, call)).rejects.toBe(boom);
    expect(summary(await records())).toEqual([
      ['tool_call_attempt', 'allowed', null, false],
      ['tool_call', 'allowed', 'error', false],
    ]);
  });

  it('hands back a result whose outcome the log cannot take: the call ran, and its attempt is logged', async () => {
    const audit = await openLog();
    const svc: SecurityServices = {
      ...services(audit),
      audit: (event) =>
        event.event_type === 'tool_call' ? Promise.reject(new Error('ENOSPC')) : audit.append(event),
    };
    const outcome = await guardCall(svc, lookup().call);
    expect(outcome).toMatchObject({ ok: true, value: { text: 'found x' } });
    expect(summary(await records())).toEqual([['tool_call_attempt', 'allowed', null, false]]);
  });

  it('logAccess: false logs neither a successful call nor its attempt, but a failed result is logged', async () => {
    const svc = services(await openLog());
    const quiet = lookup<{ isError?: boolean }>(
      { logAccess: false, failed: (r) => r.isError === true },
      (args) => (args.q === 'bad' ? { isError: true } : {}),
    );
    await guardCall(svc, quiet.call);
    expect(await records()).toEqual([]);
    await guardCall(svc, { ...quiet.call, args: { q: 'bad' } });
    expect(summary(await records())).toEqual([['tool_call', 'allowed', 'error', false]]);
  });

  it('names records by the event type it is given (prompts, resources)', async () => {
    const svc = services(await openLog());
    await guardCall(svc, lookup({ eventType: 'prompt_get', toolName: 'greet', args: {} }).call);
    const events = await records();
    expect(events.map((e) => [e.event_type, e.tool_name, e.parameter_count])).toEqual([
      ['prompt_get_attempt', 'greet', 0],
      ['prompt_get', 'greet', 0],
    ]);
  });
});

describe('recordRefusal', () => {
  it('logs a call refused before it could be guarded, with nothing scanned', async () => {
    const svc = services(await openLog());
    await recordRefusal(svc, { caller: LOCAL, toolName: 'nobody__echo', server: '', detail: 'unknown tool' });
    expect(await records()).toEqual([
      expect.objectContaining({
        event_type: 'tool_call',
        tool_name: 'nobody__echo',
        server: '',
        client_id: 'local',
        user_id: 'me',
        contains_pii: false,
        action_taken: 'refused',
        parameter_count: 0,
        outcome: 'error',
        detail: 'unknown tool',
      }),
    ]);
  });
});
