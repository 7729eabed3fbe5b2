import { z } from 'zod';
import { pendingApprovalSchema, type PendingApproval } from '../../../shared/approvals';
import { AppNotRunningError, UsageError } from '../../core/errors';
import { readAppOrigin } from '../../core/http/app-origin-file';
import { ApprovalNotFoundError } from '../../core/gateway/gateway-errors';
import { CONTROL_PREFIX } from '../../core/gateway/control-routes';
import type { CliIo } from '../io';
import { openDataDir } from '../open-capabilities';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage:
  mcp-dock approvals list [--json] [--data-dir DIR]
  mcp-dock approvals allow ID [--always] [--data-dir DIR]
  mcp-dock approvals deny ID [--data-dir DIR]

Tool calls held for a person by an "ask" call policy (set with mcp-dock tools policy, or in the
Gateway pane). They wait in the running app: list shows each with its id, server, tool, calling
client, its arguments with PII masked, and when it is denied unless answered. allow runs the call
once (--always: this tool, for this client, from now on); deny refuses it.`;

const flags = {
  'data-dir': sharedFlags['data-dir'],
  json: sharedFlags.json,
  help: sharedFlags.help,
  always: { type: 'boolean', default: false },
} as const;
const schema = z.object({
  'data-dir': z.string().min(1).optional(),
  json: z.boolean(),
  help: z.boolean(),
  always: z.boolean(),
});

// The running app's control endpoint for held calls, with this run's token from app-origin.json.
async function control(dataDir: string) {
  const record = await readAppOrigin(dataDir);
  if (!record?.control)
    throw new AppNotRunningError(
      dataDir,
      'calls are held only while the app runs (npm start, or mcp-dock serve)',
    );
  const headers = { authorization: `Bearer ${record.control}` };
  const url = `${record.origin}${CONTROL_PREFIX}`;
  const request = async (path: string, init: RequestInit = {}) => {
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, { ...init, headers: { ...headers, ...init.headers } });
    } catch {
      throw new AppNotRunningError(dataDir, `the app does not answer at ${record.origin}`);
    }
    if (res.status === 404 || res.ok) return res;
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new AppNotRunningError(
      dataDir,
      `the app at ${record.origin} refused the request (${res.status}${body.message ? `: ${body.message}` : ''})`,
    );
  };
  return { request };
}

function printHeld(io: CliIo, held: readonly PendingApproval[]): void {
  if (held.length === 0) {
    io.out('No calls wait for approval.');
    return;
  }
  for (const call of held) {
    io.out(
      `${call.id}  ${call.server} ${call.tool}  from ${call.client_name ?? call.client_id}  until ${call.expires_at}`,
    );
    io.out(`  arguments: ${JSON.stringify(call.arguments)}`);
  }
}

export async function approvals(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'list' && sub !== 'allow' && sub !== 'deny')
    throw new UsageError(`unknown approvals subcommand "${sub}"\n${USAGE}`);
  const id = sub === 'list' ? undefined : rest[0];
  if (sub !== 'list' && (!id || id.startsWith('-')))
    throw new UsageError(`approvals ${sub} needs an ID\n${USAGE}`);
  const options = parseFlags(sub === 'list' ? rest : rest.slice(1), flags, schema, USAGE);
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  if (options.always && sub !== 'allow') throw new UsageError(`--always goes with approvals allow\n${USAGE}`);
  const { dataDir } = await openDataDir(io, { dataDir: options['data-dir'] });
  const app = await control(dataDir);
  if (sub === 'list') {
    const res = await app.request('');
    const held = z.array(pendingApprovalSchema).parse(await res.json());
    if (options.json) io.out(JSON.stringify(held, null, 2));
    else printHeld(io, held);
    return 0;
  }
  const res = await app.request(`/${encodeURIComponent(id!)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ decision: sub, ...(options.always ? { always: true } : {}) }),
  });
  if (res.status === 404) throw new ApprovalNotFoundError(id!);
  const decided = pendingApprovalSchema.parse(await res.json());
  if (options.json) io.out(JSON.stringify(decided, null, 2));
  else
    io.out(
      sub === 'allow'
        ? `Allowed ${decided.server} ${decided.tool} for ${decided.client_name ?? decided.client_id}${options.always ? ', from now on' : ', once'}.`
        : `Denied ${decided.server} ${decided.tool} for ${decided.client_name ?? decided.client_id}.`,
    );
  return 0;
}
