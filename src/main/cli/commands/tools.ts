import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { UsageError } from '../../core/errors';
import type { CliIo } from '../io';
import { withDockTools } from '../with-dock-tools';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage: mcp-dock tools --stdio [--data-dir DIR]

Serves MCP Dock's nine security and OAuth tools (test_pii_detection, test_encryption,
get_security_audit_log, simulate_data_breach_detection, generate_security_report,
get_oauth2_server_status, create_oauth2_test_token, get_oauth2_flow_guide, validate_oauth2_setup)
as an MCP server on standard input and output. Every call goes through the PII policy and is
written to the audit log. Over HTTP the same tools are at /mcp of the running app, behind OAuth.`;

export async function tools(argv: string[], io: CliIo): Promise<number> {
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
  if (!options.stdio) throw new UsageError(`tools needs --stdio\n${USAGE}`);
  const stdio = io.stdio;
  if (!stdio) throw new UsageError('tools --stdio needs standard input and output');
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
