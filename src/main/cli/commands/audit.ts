import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { AUDIT_LIMITS, auditExportFormatSchema, type AuditQuery } from '../../../shared/audit';
import { formatZodError } from '../../../shared/errors';
import { UsageError } from '../../core/errors';
import { exportAuditDir, verifyAuditDir } from '../../core/security/audit';
import { resolveDataDir } from '../../core/store/data-dir';
import type { CliIo } from '../io';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage:
  mcp-dock audit verify [DIR] [--json]
      check every record's hash and its link to the one before; exit 0 when intact, 1 when not
  mcp-dock audit export [DIR] [--format jsonl|csv] [--from T] [--to T] [--type EVENT] [--tool NAME]
                        [--client ID] [--pii | --no-pii] [--order asc|desc] [--limit N]
      matching records to standard output, oldest first (JSONL keeps each record as logged)

DIR defaults to the audit folder of the data directory (--data-dir D, or MCP_DOCK_DATA_DIR).
T is ISO 8601 (2025-01-31 or 2025-01-31T12:00:00Z); --from is inclusive, --to exclusive.
Both only read the log, so they are safe while MCP Dock is running.`;

const common = { 'data-dir': sharedFlags['data-dir'], help: sharedFlags.help, json: sharedFlags.json };
const commonSchema = { 'data-dir': z.string().min(1).optional(), help: z.boolean(), json: z.boolean() };

// Like parseFlags, plus the one optional DIR argument.
function parseWithDir<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
): { options: z.output<S>; dir: string | undefined } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.positionals.length > 1)
    throw new UsageError(`expected at most one DIR, got ${parsed.positionals.length} arguments\n${USAGE}`);
  const values = schema.safeParse(parsed.values);
  if (!values.success) throw new UsageError(`${formatZodError(values.error)}\n${USAGE}`);
  return { options: values.data, dir: parsed.positionals[0] };
}

function auditDir(dir: string | undefined, dataDirFlag: string | undefined, io: CliIo): string {
  return dir !== undefined ? resolve(dir) : join(resolveDataDir({ flag: dataDirFlag, env: io.env }), 'audit');
}

// A bare date means its first moment in UTC.
const time = z
  .string()
  .transform((value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value))
  .pipe(z.iso.datetime({ offset: true }))
  .optional();

async function verify(argv: string[], io: CliIo): Promise<number> {
  const { options, dir } = parseWithDir(argv, common, z.object(commonSchema));
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const folder = auditDir(dir, options['data-dir'], io);
  const status = await verifyAuditDir(folder);
  if (options.json) io.out(JSON.stringify(status));
  else if (status.ok)
    io.out(`ok: ${status.records} records in ${status.files} files, head ${status.head.slice(0, 16)}`);
  else {
    const p = status.firstProblem!;
    io.out(
      `broken: ${join(folder, p.file)} line ${p.line}${p.seq !== undefined ? ` (seq ${p.seq})` : ''}: ${p.reason}; ${status.records} records before it check out`,
    );
  }
  return status.ok ? 0 : 1;
}

async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const { options, dir } = parseWithDir(
    argv,
    {
      ...common,
      format: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string' },
      tool: { type: 'string' },
      client: { type: 'string' },
      pii: { type: 'boolean', default: false },
      'no-pii': { type: 'boolean', default: false },
      order: { type: 'string' },
      limit: { type: 'string' },
    },
    z
      .object({
        ...commonSchema,
        format: auditExportFormatSchema.default('jsonl'),
        from: time,
        to: time,
        type: z.string().optional(),
        tool: z.string().optional(),
        client: z.string().optional(),
        pii: z.boolean(),
        'no-pii': z.boolean(),
        order: z.enum(['asc', 'desc']).default('asc'),
        limit: z.coerce.number().int().min(1).max(AUDIT_LIMITS.queryLimit).default(AUDIT_LIMITS.queryLimit),
      })
      .refine((o) => !(o.pii && o['no-pii']), { message: '--pii and --no-pii exclude each other' }),
  );
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const query: AuditQuery = {
    order: options.order,
    limit: options.limit,
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.type !== undefined ? { event_type: options.type } : {}),
    ...(options.tool !== undefined ? { tool_name: options.tool } : {}),
    ...(options.client !== undefined ? { client_id: options.client } : {}),
    ...(options.pii ? { contains_pii: true } : options['no-pii'] ? { contains_pii: false } : {}),
  };
  const text = await exportAuditDir(auditDir(dir, options['data-dir'], io), query, options.format);
  if (io.writeRaw) io.writeRaw(Buffer.from(text));
  else if (text) io.out(text.replace(/\r?\n$/, ''));
  // Records end a JSONL line with a newline and a CSV row with their hash; this only drives a hint.
  const rows = (text.match(options.format === 'csv' ? /,[0-9a-f]{64}\r\n/g : /\n/g) ?? []).length;
  if (rows >= options.limit)
    io.err(`mcp-dock: stopped at --limit ${options.limit} records; narrow the range for the rest`);
  return 0;
}

export async function audit(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return verify(rest, io);
  if (sub === 'export') return exportCommand(rest, io);
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(USAGE);
    return sub === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown audit subcommand "${sub}"\n${USAGE}`);
}
