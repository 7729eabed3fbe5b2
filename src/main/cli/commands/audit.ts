import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import {
  AUDIT_LIMITS,
  auditExportFormatSchema,
  type AuditChainStatus,
  type AuditQuery,
} from '../../../shared/audit';
import { formatZodError } from '../../../shared/errors';
import { UsageError } from '../../core/errors';
import { exportAuditDir, readSealKey, verifyAuditDir } from '../../core/security/audit';
import { resolveDataDir } from '../../core/store/data-dir';
import type { CliIo } from '../io';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage:
  mcp-dock audit verify [DIR] [--json]
      check every record's hash and its link to the one before, and the sealed head (the log's
      end, kept with a key from the data directory's secret store); exit 0 when intact and
      sealed, 1 when not, or when there is no record to check
  mcp-dock audit export [DIR] [--format jsonl|csv] [--from T] [--to T] [--type EVENT] [--tool NAME]
                        [--client ID] [--pii | --no-pii] [--order asc|desc] [--limit N]
      matching records to standard output, oldest first (JSONL keeps each record as logged)

DIR is a data directory (its audit folder is used) or an audit folder; it defaults to the data
directory (--data-dir D, or MCP_DOCK_DATA_DIR). With DIR an audit folder, the seal is checked with
the key of --data-dir D, or of the folder above it when that folder is named audit.
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

// The folder openSecurity keeps the log in (not imported: that would load the PII engine too).
const AUDIT_DIR = 'audit';

const isFolder = (path: string) =>
  stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );

// Which log, and which data directory's secret store holds its seal key (none: an audit folder
// on its own, say a copy).
async function auditTarget(
  dir: string | undefined,
  dataDirFlag: string | undefined,
  io: CliIo,
): Promise<{ folder: string; dataDir: string | undefined }> {
  if (dir === undefined) {
    const dataDir = resolveDataDir({ flag: dataDirFlag, env: io.env });
    return { folder: join(dataDir, AUDIT_DIR), dataDir };
  }
  const given = resolve(dir);
  if (await isFolder(join(given, AUDIT_DIR))) return { folder: join(given, AUDIT_DIR), dataDir: given };
  const above = basename(given) === AUDIT_DIR ? dirname(given) : undefined;
  return { folder: given, dataDir: dataDirFlag !== undefined ? resolve(dataDirFlag) : above };
}

function describeStatus(folder: string, status: AuditChainStatus): string {
  const counts = `${status.records} records in ${status.files} files`;
  const head = `head ${status.head.slice(0, 16)}`;
  const seal = status.seal;
  const p = status.firstProblem;
  if (p)
    return `broken: ${join(folder, p.file)} line ${p.line}${p.seq !== undefined ? ` (seq ${p.seq})` : ''}: ${p.reason}; ${status.records} records before it check out`;
  if (status.ok && status.records === 0) return `empty: no audit records in ${folder}`;
  if (status.ok) {
    const after = seal?.after ? ` (+${seal.after} newer, not sealed yet)` : '';
    return `ok: ${counts}, ${head}, sealed at seq ${seal?.seq ?? 0}${after}`;
  }
  if (status.records === 0)
    return `empty: no audit records in ${folder} (a data directory has them in its audit folder, and this one has none)`;
  if (seal?.state === 'unsealed')
    return `not sealed: ${counts} chain correctly, ${head}, but the head is not sealed: ${seal.reason.replace(/^the head is not sealed: /, '')}`;
  return `unverifiable: ${counts} chain correctly, ${head}, but the sealed head cannot be checked: ${seal?.reason ?? 'the log has no seal status'}`;
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
  const { folder, dataDir } = await auditTarget(dir, options['data-dir'], io);
  const sealKey = dataDir !== undefined ? await readSealKey(dataDir) : undefined;
  const status = await verifyAuditDir(folder, sealKey ? { sealKey } : {});
  io.out(options.json ? JSON.stringify(status) : describeStatus(folder, status));
  // Nothing to check is not a pass: a wrong DIR, or a log that was emptied, must not look intact.
  return status.ok && status.records > 0 ? 0 : 1;
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
  const { folder } = await auditTarget(dir, options['data-dir'], io);
  const text = await exportAuditDir(folder, query, options.format);
  if (io.writeRaw) io.writeRaw(Buffer.from(text));
  else if (text) io.out(text.replace(/\r?\n$/, ''));
  // Records end a JSONL line with a newline and a CSV row with their hash and call id (a token,
  // never quoted); this only drives a hint.
  const rows = (text.match(options.format === 'csv' ? /,[0-9a-f]{64},[\w-]*\r\n/g : /\n/g) ?? []).length;
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
