import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AuditChainStatus, AuditEvent, AuditQuery } from '../../../../shared/audit';
import { PII_ACTIONS, type PiiPolicy } from '../../../../shared/security';
import type { FernetKeys } from '../../security/fernet-keys';
import { applyPolicyToFindings } from '../../security/policy/apply-policy';
import type { Caller, SecurityServices, ToolExtra } from '../../security/secure-tool';
import { allowSecrets, secureTool } from '../../security/secure-tool';
import { sampleDataset, simulateBreach } from './breach-simulation';
import { jsonResult } from './json-result';
import { buildSecurityReport } from './security-report';

export interface SecurityToolsBackend {
  fernet: FernetKeys;
  queryAudit(query: AuditQuery): Promise<AuditEvent[]>;
  verifyAudit(): Promise<AuditChainStatus>;
}

const MAX_TEXT = 1_000_000;

export function registerSecurityTools(
  server: McpServer,
  backend: SecurityToolsBackend,
  security: SecurityServices,
  local: Caller,
): void {
  const options = (
    name: string,
    extra: { passArguments?: boolean; adjustPolicy?: (p: PiiPolicy) => PiiPolicy } = {},
  ) => ({
    toolName: name,
    server: 'mcp-dock',
    scopes: ['mcp.access'],
    ...extra,
  });

  server.registerTool(
    'test_pii_detection',
    {
      description:
        'Find PII in a text (types, offsets, scores; never the values) and show what each policy would make of it: masked, redacted, encrypted or rejected.',
      inputSchema: {
        text: z.string().max(MAX_TEXT),
        threshold: z.number().min(0).max(1).optional(),
      },
    },
    secureTool(
      async (args: { text: string; threshold?: number }) => {
        const ctx = security.policyContext();
        const threshold = args.threshold ?? ctx.threshold;
        const scan = ctx.scanner.scan(args.text, { threshold, timeBudgetMs: ctx.timeBudgetMs });
        const outcomes = Object.fromEntries(
          PII_ACTIONS.filter((a) => a !== 'allow').map((action) => {
            const o = applyPolicyToFindings(
              args.text,
              scan.findings,
              scan.timedOut,
              { action, entities: {}, maskStyle: 'asterisks' },
              ctx,
            );
            return [
              action,
              {
                action: o.action,
                ...(o.text !== undefined ? { text: o.text } : {}),
                ...(o.message ? { message: o.message } : {}),
              },
            ];
          }),
        );
        return jsonResult({
          contains_pii: scan.findings.length > 0,
          threshold,
          timed_out: scan.timedOut,
          findings: scan.findings,
          outcomes,
        });
      },
      options('test_pii_detection', { passArguments: true }),
      security,
      local,
    ),
  );

  server.registerTool(
    'test_encryption',
    {
      description:
        "Round-trip a text through the app's Fernet key (AES-128-CBC + HMAC-SHA256, compatible with Python cryptography), or decrypt a token made with it.",
      inputSchema: {
        text: z.string().max(MAX_TEXT).optional(),
        token: z
          .string()
          .max(4 * MAX_TEXT)
          .optional(),
        ttl_seconds: z.number().int().min(1).optional(),
      },
    },
    secureTool(
      async (args: { text?: string; token?: string; ttl_seconds?: number }) => {
        const fernet = backend.fernet.current();
        if (args.token !== undefined) {
          const plain = fernet.decrypt(args.token, args.ttl_seconds ? { ttl: args.ttl_seconds } : {});
          return jsonResult({ mode: 'decrypt', valid: true, plaintext: plain.toString('utf8') });
        }
        const text = args.text ?? 'MCP Dock encryption self-test';
        const started = performance.now();
        const token = fernet.encrypt(text);
        const roundTrip = fernet.decrypt(token).toString('utf8') === text;
        return jsonResult({
          mode: 'round-trip',
          algorithm: 'Fernet (AES-128-CBC, HMAC-SHA256)',
          token,
          round_trip_ok: roundTrip,
          token_bytes: token.length,
          elapsed_ms: Math.round((performance.now() - started) * 1000) / 1000,
          keys: backend.fernet.count(),
          key_stored_in: backend.fernet.where,
        });
      },
      options('test_encryption', { passArguments: true, adjustPolicy: allowSecrets }),
      security,
      local,
    ),
  );

  server.registerTool(
    'get_security_audit_log',
    {
      description:
        "Read the tamper-evident audit log: filter by time, event type, tool, client and contains_pii; includes the hash chain's status.",
      inputSchema: {
        from: z.string().datetime({ offset: true }).optional(),
        to: z.string().datetime({ offset: true }).optional(),
        event_type: z.string().max(100).optional(),
        tool_name: z.string().max(200).optional(),
        client_id: z.string().max(500).optional(),
        contains_pii: z.boolean().optional(),
        limit: z.number().int().min(1).max(1000).default(50),
      },
    },
    secureTool(
      async (args: AuditQuery) => {
        const events = await backend.queryAudit({ ...args, order: 'desc' });
        const chain = await backend.verifyAudit();
        return jsonResult({ chain, count: events.length, events });
      },
      options('get_security_audit_log'),
      security,
      local,
    ),
  );

  server.registerTool(
    'simulate_data_breach_detection',
    {
      description:
        'Scan a dataset (yours, or a generated sample) and report what would leak under each PII policy, re-scanning the output for residual PII.',
      inputSchema: {
        records: z.array(z.string().max(100_000)).max(10_000).optional(),
        sample_size: z.number().int().min(1).max(1000).default(24),
      },
    },
    secureTool(
      async (args: { records?: string[]; sample_size: number }) => {
        const given = args.records !== undefined && args.records.length > 0;
        const records = given ? args.records! : sampleDataset(args.sample_size);
        return jsonResult(simulateBreach(records, given ? 'given' : 'sample', security.policyContext()));
      },
      options('simulate_data_breach_detection', { passArguments: true }),
      security,
      local,
    ),
  );

  server.registerTool(
    'generate_security_report',
    {
      description:
        'Summarise the audit log for a period: calls, PII by type, actions, refusals, clients, chain integrity, keys and policies, with findings.',
      inputSchema: {
        from: z.string().datetime({ offset: true }).optional(),
        to: z.string().datetime({ offset: true }).optional(),
      },
    },
    secureTool(
      async (args: { from?: string; to?: string }, extra: ToolExtra) => {
        const events = await backend.queryAudit({ ...args, limit: 100_000, order: 'asc' });
        const chain = await backend.verifyAudit();
        return jsonResult(
          buildSecurityReport(
            events,
            chain,
            security.config(),
            { count: backend.fernet.count(), where: backend.fernet.where },
            args,
            { ownCallId: extra.auditCallId },
          ),
        );
      },
      options('generate_security_report'),
      security,
      local,
    ),
  );
}
