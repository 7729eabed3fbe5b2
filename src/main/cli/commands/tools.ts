import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { ToolPin } from '../../../shared/pins';
import { UsageError } from '../../core/errors';
import type { CliIo } from '../io';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';
import { withToolPins } from '../with-tool-pins';
import { openDataDir } from '../open-capabilities';
import { openGatewaySettings } from '../../core/gateway/gateway-settings';
import { callPolicySchema } from '../../../shared/approvals';
import { serverNameSchema } from '../../../shared/servers';

const USAGE = `Usage:
  mcp-dock tools --stdio [--data-dir DIR]
  mcp-dock tools pins [SERVER] [--json] [--data-dir DIR]
  mcp-dock tools approve SERVER [TOOL...] [--json] [--data-dir DIR]
  mcp-dock tools policy SERVER TOOL|'*' allow|ask|deny|unset [--data-dir DIR]

pins lists each server's tools as MCP Dock pinned them: approved (served as approved), changed
(the server's definition differs from the approved one: withheld) or new (never approved:
withheld), with the definition's SHA-256 and any signs of instructions hidden in it. approve
serves what the server offers now, for the tools named or, with none, for every withheld tool of
the server; a running app takes it at once.

policy sets what a call of the tool does: allow runs it, ask holds it until a person answers (in
the app, or with mcp-dock approvals), deny refuses it. '*' sets the server's default; unset takes
the setting away. Without one, a tool that says it is destructive (and not read-only) is asked
about (destructiveToolPolicy in gateway.json), and others are allowed.

--stdio:

Serves MCP Dock's nine security and OAuth tools (test_pii_detection, test_encryption,
get_security_audit_log, simulate_data_breach_detection, generate_security_report,
get_oauth2_server_status, create_oauth2_test_token, get_oauth2_flow_guide, validate_oauth2_setup)
as an MCP server on standard input and output. Every call goes through the PII policy and is
written to the audit log. Over HTTP the same tools are at /mcp of the running app, behind OAuth.`;

const dataDirFlags = { 'data-dir': sharedFlags['data-dir'], json: sharedFlags.json, help: sharedFlags.help };
const dataDirSchema = z.object({
  'data-dir': z.string().min(1).optional(),
  json: z.boolean(),
  help: z.boolean(),
});

function positionalsAndFlags(argv: string[]): [string[], string[]] {
  const at = argv.findIndex((a) => a.startsWith('-'));
  return at === -1 ? [argv, []] : [argv.slice(0, at), argv.slice(at)];
}

// The shape scripts read: each tool's server, name, status, hash and findings.
const pinRecord = (pin: ToolPin) => ({
  server: pin.server,
  tool: pin.tool,
  status: pin.status,
  hash: pin.hash,
  findings: pin.findings,
});

function printPins(io: CliIo, pins: readonly ToolPin[]): void {
  const rows = pins.map((p) => [p.server, p.tool, p.status, p.hash.slice(0, 12), findingsText(p)]);
  const header = ['SERVER', 'TOOL', 'STATUS', 'SHA256', 'FINDINGS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows])
    io.out(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

const findingsText = (pin: ToolPin) =>
  pin.findings.length === 0 ? '-' : pin.findings.map((f) => `${f.kind} (${f.field})`).join(', ');

async function pins(argv: string[], io: CliIo): Promise<number> {
  const [names, flags] = positionalsAndFlags(argv);
  if (names.length > 1) throw new UsageError(`tools pins takes at most one SERVER\n${USAGE}`);
  const options = parseFlags(flags, dataDirFlags, dataDirSchema, USAGE);
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const server = names[0];
  return withToolPins(io, { dataDir: options['data-dir'], audited: false }, async ({ pins }) => {
    const listed = pins.list(server);
    if (options.json) {
      io.out(JSON.stringify(listed.map(pinRecord), null, 2));
      return 0;
    }
    if (listed.length === 0) {
      io.out(
        server === undefined
          ? 'No tools pinned yet: the gateway pins a server’s tools when it first lists them (start the server with the app running).'
          : `No tools of ${server} pinned yet: the gateway pins them when it first lists them.`,
      );
      return 0;
    }
    printPins(io, listed);
    const waiting = listed.filter((p) => p.status !== 'approved');
    if (waiting.length > 0)
      io.out(
        `\n${waiting.length} withheld. Review with --json or in the Gateway pane; approve with: mcp-dock tools approve SERVER [TOOL...]`,
      );
    return 0;
  });
}

async function approve(argv: string[], io: CliIo): Promise<number> {
  const [names, flags] = positionalsAndFlags(argv);
  const options = parseFlags(flags, dataDirFlags, dataDirSchema, USAGE);
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const [server, ...toolNames] = names;
  if (!server) throw new UsageError(`tools approve needs a SERVER\n${USAGE}`);
  return withToolPins(io, { dataDir: options['data-dir'], audited: true }, async ({ pins, appRuns }) => {
    const approved = await pins.approve(server, toolNames.length > 0 ? toolNames : undefined, 'cli');
    if (options.json) {
      io.out(JSON.stringify(approved.map(pinRecord), null, 2));
      return 0;
    }
    if (approved.length === 0) {
      io.out(`Nothing of ${server} waits for approval.`);
      return 0;
    }
    for (const pin of approved)
      io.out(`Approved ${pin.server} ${pin.tool} (sha256 ${pin.hash.slice(0, 12)}).`);
    io.out(appRuns ? 'The running app serves them now.' : 'The app serves them when it runs.');
    return 0;
  });
}

async function policy(argv: string[], io: CliIo): Promise<number> {
  const [names, flags] = positionalsAndFlags(argv);
  const options = parseFlags(flags, dataDirFlags, dataDirSchema, USAGE);
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const [server, tool, value] = names;
  if (!server || !tool || !value || names.length > 3)
    throw new UsageError(`tools policy needs SERVER, TOOL (or '*') and allow|ask|deny|unset\n${USAGE}`);
  if (!serverNameSchema.safeParse(server).success)
    throw new UsageError(`tools policy: "${server}" is not a server name\n${USAGE}`);
  const parsed = callPolicySchema.or(z.literal('unset')).safeParse(value);
  if (!parsed.success)
    throw new UsageError(`tools policy: expected allow, ask, deny or unset, got "${value}"\n${USAGE}`);
  const { dataDir } = await openDataDir(io, { dataDir: options['data-dir'] });
  const settings = await openGatewaySettings(dataDir);
  const after = await settings.setToolPolicy(server, tool, parsed.data === 'unset' ? null : parsed.data);
  const set = after.callPolicies[server];
  const what = tool === '*' ? `the tools of ${server}` : `${server} ${tool}`;
  io.out(
    parsed.data === 'unset'
      ? `Took the call policy of ${what} away${set?.default && tool !== '*' ? ` (the server's default, ${set.default}, applies)` : ''}.`
      : `Calls of ${what}: ${parsed.data}.`,
  );
  return 0;
}

export async function tools(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'policy') return policy(argv.slice(1), io);
  if (argv[0] === 'pins') return pins(argv.slice(1), io);
  if (argv[0] === 'approve') return approve(argv.slice(1), io);
  if (argv[0] !== undefined && !argv[0].startsWith('-'))
    throw new UsageError(`unknown tools subcommand "${argv[0]}"\n${USAGE}`);
  return stdioTools(argv, io);
}

async function stdioTools(argv: string[], io: CliIo): Promise<number> {
  const options = parseFlags(
    argv,
    {
      'data-dir': sharedFlags['data-dir'],
      help: sharedFlags.help,
      stdio: { type: 'boolean', default: false },
    },
    z.object({ 'data-dir': z.string().optional(), help: z.boolean(), stdio: z.boolean() }),
    USAGE,
  );
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  if (!options.stdio) throw new UsageError(`tools needs --stdio, pins, approve or policy\n${USAGE}`);
  const stdio = io.stdio;
  if (!stdio) throw new UsageError('tools --stdio needs standard input and output');
  // Loaded here: pins and approve need neither the MCP SDK nor the OAuth server.
  const [{ withDockTools }, { StdioServerTransport }] = await Promise.all([
    import('../with-dock-tools'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  return withDockTools(io, { dataDir: options['data-dir'] }, async ({ tools }) => {
    const server = tools.create();
    const transport = new StdioServerTransport(stdio.input as Readable, stdio.output as Writable);
    // Runs until the client closes our stdin or the user stops us.
    const ended = new Promise<void>((resolve) => {
      stdio.input.once('end', resolve);
      stdio.input.once('close', resolve);
      io.signal.addEventListener('abort', () => resolve(), { once: true });
      transport.onclose = () => resolve();
    });
    await server.connect(transport);
    await ended;
    await server.close();
    return 0;
  });
}
