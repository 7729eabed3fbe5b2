import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../core/store/data-dir';
import type { CliIo } from '../io';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage: mcp-dock serve [--port P] [--data-dir D] [--docker-host URL] [--json]

Runs MCP Dock without a desktop: core, its HTTP server (OAuth, /mcp, /healthz) and the UI,
on 127.0.0.1 only. Prints one URL with a per-run token; open it in a browser. Ctrl-C stops.

  --port P           port of core's HTTP server (default: settings.json http.port, else 8081;
                     MCP_DOCK_PORT also works; 0 picks a free one)
  --data-dir D       where settings, keys and logs live (default: MCP_DOCK_DATA_DIR, else the
                     platform's app-data folder)
  --docker-host URL  the Docker engine to use (default: DOCKER_HOST, else the usual sockets)
  --json             print {"url", "httpOrigin", "dataDir"} as one JSON line instead of text`;

const portSchema = z.coerce.number().int().min(0, 'port must be 0-65535').max(65535, 'port must be 0-65535');

const optionsSchema = z.object({
  port: portSchema.optional(),
  'data-dir': z.string().min(1).optional(),
  'docker-host': z.string().min(1).optional(),
  json: z.boolean(),
  help: z.boolean(),
});

// The built UI sits at <package root>/out/renderer. We walk up to our package.json because this
// code runs from out/main/chunks when built and from src/main/cli/commands in tests.
export function findRendererDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && /"name":\s*"mcp-dock"/.test(readFileSync(manifest, 'utf8'))) {
      return join(dir, 'out', 'renderer');
    }
    const parent = dirname(dir);
    if (parent === dir) return join(start, '..', 'renderer');
    dir = parent;
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function serve(argv: string[], io: CliIo): Promise<number> {
  const options = parseFlags(
    argv,
    { ...sharedFlags, port: { type: 'string' }, 'docker-host': { type: 'string' } },
    optionsSchema,
    USAGE,
  );
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const envPort = io.env.MCP_DOCK_PORT ? portSchema.parse(io.env.MCP_DOCK_PORT) : undefined;
  const core = await createCore({
    mode: 'headless',
    dataDir: resolveDataDir({ flag: options['data-dir'], env: io.env }),
    dockerHost: options['docker-host'],
    env: io.env,
    http: {
      port: options.port ?? envPort,
      portSetting: '--port (or MCP_DOCK_PORT, or http.port in settings.json)',
    },
    ui: { rendererDir: findRendererDir() },
    onDataDirReload: (reload) => {
      if (!reload.ok)
        io.err(
          `MCP Dock: ${reload.file} changed on disk but was not taken in: ${errorMessage(reload.error)} ` +
            'The app keeps what it had until the file is saved again in a valid form.',
        );
    },
  });

  if (options.json) {
    io.out(JSON.stringify({ url: core.uiUrl, httpOrigin: core.httpOrigin, dataDir: core.dataDir }));
  } else {
    io.out(`MCP Dock is running headless. Open this URL in your browser (it carries this run's token):`);
    io.out(`  ${core.uiUrl}`);
    io.out(`Data: ${core.dataDir}. Press Ctrl-C to stop.`);
  }

  await new Promise<void>((resolve) => {
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await core.close();
  if (!options.json) io.out('MCP Dock stopped.');
  return 0;
}
