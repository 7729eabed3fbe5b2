import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { requireEngine } from '../../../../test-support/docker-engine';
import { openEngineCore } from '../../../../test-support/engine-core';
import { gatewayHttpClient } from '../../../../test-support/gateway-clients';
import { startRegistryFixture } from '../../../../test-support/registry-fixture';
import { DRIFTING_SERVER } from '../../../../test-support/drifting-server';
import { ensureTestImage } from '../../../../test-support/test-image';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

describe('a registry entry installed as a container, called through /mcp', async () => {
  const engine = await requireEngine();

  it.skipIf(!engine)(
    'an OCI package runs as its own image, a fresh hardened container per session, behind the gateway',
    async () => {
      const image = await ensureTestImage(new Docker({ socketPath: engine!.socketPath }));
      const registry = await startRegistryFixture([
        {
          name: 'io.example/adder',
          description: 'Adds, with a key',
          packages: [
            {
              registryType: 'oci',
              identifier: image,
              transport: { type: 'stdio' },
              packageArguments: ['node', '-e', DRIFTING_SERVER].map((value) => ({
                type: 'positional',
                value,
              })),
              environmentVariables: [
                { name: 'TOOL_DESC', description: 'A key', isSecret: true, isRequired: true },
              ],
            },
          ],
        },
        {
          name: 'io.example/thinking',
          title: 'Thinking',
          description: 'Sequential thinking, as an image',
          version: '1.0.0',
          packages: [
            {
              registryType: 'oci',
              identifier: image,
              transport: { type: 'stdio' },
              packageArguments: [{ type: 'positional', value: 'mcp-server-sequential-thinking' }],
            },
          ],
        },
      ]);
      closers.push(() => registry.close());
      const { core } = await openEngineCore(
        engine!.socketPath,
        'registry-install',
        {},
        {
          registry: { urls: [registry.url] },
        },
      );
      closers.push(() => core.close());

      const added = await core.api.catalog.add({ entry: 'io.example/thinking' });
      expect(added.kind).toBe('container');
      if (added.kind !== 'container') return;
      expect(added.server.spec).toMatchObject({
        name: 'thinking',
        image,
        mode: 'run',
        network: 'none',
        command: ['mcp-server-sequential-thinking'],
      });
      // A run-mode server is served once a probe says it speaks MCP (the panel's Check tools).
      const probed = await core.api.servers.probe({ name: 'thinking' });
      expect(probed.health.status).toBe('ready');

      const client = await gatewayHttpClient(core, 'registry-install-test');
      closers.push(() => client.close());
      await expect
        .poll(async () => (await client.listTools()).tools.map((t) => t.name), { timeout: 30_000 })
        .toContain('thinking__sequentialthinking');
      const result = (await client.callTool({
        name: 'thinking__sequentialthinking',
        arguments: {
          thought: 'installed from a registry',
          thoughtNumber: 1,
          totalThoughts: 1,
          nextThoughtNeeded: false,
        },
      })) as { isError?: boolean; content: { text: string }[] };
      expect(result.isError).not.toBe(true);
      expect(result.content[0]!.text).toMatch(/thoughtNumber/);

      // An image that takes a secret: each session's fresh container gets it from the store (here
      // the tool's description is the secret, so the listing shows it arrived), and no snippet
      // of its own exists (a client would have to carry the secret).
      const adder = await core.api.catalog.add({
        entry: 'io.example/adder',
        values: { TOOL_DESC: 'sealed-value-7' },
      });
      expect(adder.kind === 'container' && adder.server).toMatchObject({
        spec: { mode: 'run', secrets: ['TOOL_DESC'], env: {} },
        secretsSet: ['TOOL_DESC'],
      });
      const adderProbe = await core.api.servers.probe({ name: 'adder' });
      expect(adderProbe.health).toMatchObject({
        status: 'ready',
        tools: [{ name: 'add', description: 'sealed-value-7' }],
      });
      await expect(core.api.snippets.get({ client: 'cursor', server: 'adder' })).rejects.toMatchObject({
        code: 'SNIPPET_UNAVAILABLE',
      });
    },
    120_000,
  );
});
