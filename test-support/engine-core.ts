import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { expect, vi } from 'vitest';
import { createCore, type Core } from '../src/main/core/create-core';
import { gatewaySettingsSchema, type GatewaySettingsInput } from '../src/shared/gateway';
import { ensureTestImage } from './test-image';

// A headless core on a free loopback port, driving the real engine at `socketPath`, with the test
// image built and the engine reached: what the gateway's docker tests start from. `name` marks
// the data directory.
export async function openEngineCore(
  socketPath: string,
  name: string,
  // What gateway.json says before the core starts.
  gateway: GatewaySettingsInput = {},
  // More of settings.json (the Catalog's registries).
  settings: Record<string, unknown> = {},
): Promise<{ docker: Docker; image: string; core: Core }> {
  const docker = new Docker({ socketPath });
  const image = await ensureTestImage(docker);
  const dataDir = await mkdtemp(join(tmpdir(), `mcp-dock-${name}-`));
  if (Object.keys(gateway).length > 0)
    await writeFile(join(dataDir, 'gateway.json'), JSON.stringify(gatewaySettingsSchema.parse(gateway)));
  // No registry here: allow-listed servers' proxies run in the test image, which has node.
  await writeFile(
    join(dataDir, 'settings.json'),
    JSON.stringify({ egress: { proxyImage: image }, ...settings }),
  );
  const core = await createCore({
    mode: 'headless',
    dataDir,
    dockerHost: `unix://${socketPath}`,
    http: { port: 0 },
    probeTimeoutMs: 60_000,
  });
  await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
  return { docker, image, core };
}
