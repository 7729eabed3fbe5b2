import { createCore } from '../src/main/core/create-core';
import { remoteSpecSchema, type RemoteSpecInput } from '../src/shared/remotes';
import { serverSpecSchema, type ServerSpecInput } from '../src/shared/servers';
import { optionalDockerHost } from './lib/docker';
import { waitFor } from './lib/processes';

// MCP Dock's core in a process of its own, as the app and `mcp-dock serve` run it: HTTP on
// 127.0.0.1 (the gateway at /mcp, OAuth at /oauth2/*, /hello), with the given servers started
// and MCP-ready, and one confidential OAuth client. The load generator lives in another process,
// so the two do not share an event loop.

interface HostOptions {
  dataDir: string;
  image?: string;
  // Specs as servers.json holds them, less the image (the bench's own).
  servers?: Omit<ServerSpecInput, 'image'>[];
  // Remote servers, served once the gateway's session with each is ready.
  remotes?: RemoteSpecInput[];
  client: { name: string; scope: string };
  // More clients, with a secret the user chose (stored as scrypt, not HMAC).
  extraClients?: { name: string; scope: string; secret: string }[];
}

// When the bench opened an IPC channel, it can ask for core's memory: after a full collection
// when node runs with --expose-gc, so what is counted is what core still holds.
function answerMemoryQueries(): void {
  if (!process.send) return;
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'memory') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    // Twice: what the first collection's weak callbacks let go goes in the second.
    gc?.();
    gc?.();
    process.send!({ type: 'memory', gc: gc !== undefined, usage: process.memoryUsage() });
  });
}

async function main(): Promise<void> {
  answerMemoryQueries();
  const options = JSON.parse(process.argv[2] ?? '{}') as HostOptions;
  const core = await createCore({
    mode: 'headless',
    dataDir: options.dataDir,
    dockerHost: optionalDockerHost(),
    http: { port: 0 },
    probeTimeoutMs: 60_000,
  });
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    for (const server of options.servers ?? [])
      await core.containers.removeContainer(server.name).catch(() => undefined);
    await core.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void close());
  process.on('SIGINT', () => void close());
  if (options.servers?.length)
    await waitFor('the Docker engine', async () => core.engine.status().state === 'reachable', 30_000);
  for (const server of options.servers ?? []) {
    await core.api.servers.add({
      spec: serverSpecSchema.parse({ ...server, image: options.image }),
    });
    const view = await core.containers.start(server.name, { waitForProbe: true });
    if (view.health.status !== 'ready')
      throw new Error(`${server.name} is not MCP-ready: ${JSON.stringify(view.health)}`);
  }
  for (const remote of options.remotes ?? []) {
    await core.api.remotes.add({ spec: remoteSpecSchema.parse(remote) });
    await waitFor(
      `remote server ${remote.name}`,
      async () => (await core.api.remotes.list()).find((v) => v.spec.name === remote.name)?.state === 'ready',
      30_000,
    );
  }
  const creds = await core.oauthClients.create({
    name: options.client.name,
    grant: 'client_credentials',
    scope: options.client.scope,
  });
  for (const extra of options.extraClients ?? [])
    await core.oauthClients.create({ ...extra, grant: 'client_credentials' });
  process.stdout.write(
    `${JSON.stringify({ origin: core.httpOrigin, clientId: creds.client_id, clientSecret: creds.client_secret })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
});
