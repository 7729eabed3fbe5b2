import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StdioLaunch } from '../../../../shared/snippets';

const SDK = resolve(__dirname, '../../../../../node_modules/@modelcontextprotocol/sdk/dist/esm/server');

// A real MCP stdio server for tests, run by this Node: its one tool is named from $FIXTURE_PREFIX
// and described by its arguments, so a client that lists it shows the launch reached the server
// whole (command, every argument, the environment).
export async function stdioFixture(): Promise<{ launch: StdioLaunch; tool: string; description: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-fixture-server-'));
  const script = join(dir, 'server.mjs');
  await writeFile(
    script,
    `import { McpServer } from ${JSON.stringify(pathToFileURL(join(SDK, 'mcp.js')).href)};
import { StdioServerTransport } from ${JSON.stringify(pathToFileURL(join(SDK, 'stdio.js')).href)};
const server = new McpServer({ name: 'fixture', version: '1.0.0' });
server.registerTool(\`\${process.env.FIXTURE_PREFIX ?? 'no_env'}_tool\`, { description: process.argv.slice(2).join('|') }, async () => ({
  content: [{ type: 'text', text: 'ok' }],
}));
await server.connect(new StdioServerTransport());
`,
  );
  const args = [script, "it's here", 'a "quoted" word', '$HOME'];
  return {
    launch: { command: process.execPath, args, env: { FIXTURE_PREFIX: 'ping' } },
    tool: 'ping_tool',
    description: args.slice(1).join('|'),
  };
}
