import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogProgress } from '../../../shared/registry';
import { gatewayHttpClient } from '../../../../test-support/gateway-clients';
import { startBareCore, startHeadlessCore } from '../../../../test-support/headless-core';
import {
  fillerEntries,
  startRegistryFixture,
  type RegistryFixture,
  type ServerJson,
} from '../../../../test-support/registry-fixture';
import { startRemoteMcpServer } from '../../../../test-support/remote-mcp-server';
import type { Core } from '../create-core';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

const WEATHER: ServerJson = {
  name: 'io.github.example/weather-mcp',
  title: 'Weather',
  description: 'Forecasts for any city',
  version: '2.1.0',
  repository: { url: 'https://github.com/example/weather-mcp', source: 'github' },
  packages: [
    {
      registryType: 'npm',
      identifier: '@example/weather-mcp',
      version: '2.1.0',
      transport: { type: 'stdio' },
      packageArguments: [{ type: 'named', name: '--units', default: 'metric' }],
      environmentVariables: [
        { name: 'WEATHER_API_KEY', description: 'Your API key', isRequired: true, isSecret: true },
        { name: 'WEATHER_REGION', description: 'Default region', default: 'eu' },
      ],
    },
  ],
};
const PYTHON: ServerJson = {
  name: 'io.github.example/notes',
  description: 'Notes in SQLite',
  version: '0.3.0',
  packages: [
    { registryType: 'pypi', identifier: 'notes-mcp', version: '0.3.0', transport: { type: 'stdio' } },
  ],
};
const IMAGE: ServerJson = {
  name: 'io.github.example/fetcher',
  description: 'Fetches pages',
  version: '1.4.0',
  packages: [
    {
      registryType: 'oci',
      identifier: 'ghcr.io/example/fetcher',
      version: '1.4.0',
      transport: { type: 'stdio' },
      packageArguments: [{ type: 'positional', value: '--stdio' }],
    },
  ],
};
const UNRUNNABLE: ServerJson = {
  name: 'io.github.example/dotnet-only',
  description: 'A NuGet package',
  packages: [
    { registryType: 'nuget', identifier: 'Example.Mcp', version: '1.0.0', transport: { type: 'stdio' } },
  ],
};

async function fixture(entries: ServerJson[]): Promise<RegistryFixture> {
  const f = await startRegistryFixture(entries);
  closers.push(() => f.close());
  return f;
}

async function startCore(registry: Record<string, unknown>, dataDir?: string): Promise<Core> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'mcp-dock-registry-')));
  await writeFile(join(dir, 'settings.json'), JSON.stringify({ registry }));
  const core = await startBareCore(dir);
  closers.push(() => core.close());
  return core;
}

describe('the Catalog over an MCP registry', () => {
  it('searches the registry and describes how each entry installs', async () => {
    const registry = await fixture([WEATHER, PYTHON, IMAGE, UNRUNNABLE, ...fillerEntries(40)]);
    const core = await startCore({ urls: [registry.url] });
    const page = await core.api.catalog.search({ text: 'forecasts' });
    expect(page).toMatchObject({ registry: registry.url, source: 'registry', stale: false });
    expect(page.entries.map((e) => e.name)).toEqual(['io.github.example/weather-mcp']);
    const [weather] = page.entries;
    expect(weather).toMatchObject({
      title: 'Weather',
      suggestedName: 'weather-mcp',
      repository: 'https://github.com/example/weather-mcp',
      options: [
        {
          kind: 'npm',
          target: '@example/weather-mcp@2.1.0',
          inputs: [
            { name: 'WEATHER_API_KEY', source: 'env', required: true, secret: true },
            { name: 'WEATHER_REGION', source: 'env', required: false, secret: false, default: 'eu' },
            { name: '--units', source: 'argument', required: false, secret: false, default: 'metric' },
          ],
        },
      ],
    });
    expect(registry.requests.at(-1)).toMatch(/^GET \/v0\.1\/servers\?search=forecasts&limit=30/);
    const unrunnable = (await core.api.catalog.search({ text: 'nuget' })).entries[0]!;
    expect(unrunnable.options[0]!.unsupported).toMatch(/nuget packages are not run/);

    // Pages follow the registry's cursor.
    const first = await core.api.catalog.search({ text: 'filler', limit: 25 });
    expect(first.entries).toHaveLength(25);
    const second = await core.api.catalog.search({ text: 'filler', limit: 25, cursor: first.nextCursor! });
    expect(second.entries).toHaveLength(15);
    expect(second.nextCursor).toBeUndefined();
  });

  it('keeps the whole listing, with progress, and opens from it offline, saying it is stale', async () => {
    const registry = await fixture([WEATHER, PYTHON, ...fillerEntries(250)]);
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-registry-'));
    const core = await startCore({ urls: [registry.url] }, dataDir);
    const seen: CatalogProgress[] = [];
    core.api.catalog.onProgress((p) => seen.push(p));
    const done = await core.api.catalog.refresh({});
    expect(done).toMatchObject({ fetched: 252, done: true });
    expect(seen.map((p) => p.fetched)).toEqual([100, 200, 252, 252]);

    // Fresh: searches are answered from the listing, the registry is not asked.
    const asked = registry.requests.length;
    const local = await core.api.catalog.search({ text: 'weather forecasts' });
    expect(local.source).toBe('cache');
    expect(local.entries.map((e) => e.name)).toEqual(['io.github.example/weather-mcp']);
    expect(registry.requests.length).toBe(asked);

    // Offline, in a new run with the same data directory: the listing, and why it is stale.
    await core.close();
    registry.broken('http-500');
    const offline = await startCore({ urls: [registry.url] }, dataDir);
    const cached = await offline.api.catalog.search({});
    expect(cached.source).toBe('cache');
    expect(cached.entries).toHaveLength(30);
    // The listing is under an hour old: it answers without asking.
    expect(cached.stale).toBe(false);
  });

  it('says clearly when a registry is unreachable or answers something else', async () => {
    const registry = await fixture([WEATHER]);
    const core = await startCore({ urls: [registry.url] });
    registry.broken('not-json');
    await expect(core.api.catalog.search({ text: 'x' })).rejects.toMatchObject({
      code: 'REGISTRY_INVALID',
      message: expect.stringMatching(/answered something that is not JSON/),
    });
    registry.broken('no-servers');
    await expect(core.api.catalog.search({ text: 'x' })).rejects.toMatchObject({
      message: expect.stringMatching(/without a "servers" list/),
    });
    registry.broken('http-500');
    await expect(core.api.catalog.search({ text: 'x' })).rejects.toMatchObject({
      message: expect.stringMatching(/HTTP 500/),
    });
    const gone = await startRegistryFixture([]);
    await gone.close();
    await expect(core.api.catalog.search({ registry: gone.url })).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      message: expect.stringMatching(/cannot be reached: ECONNREFUSED/),
    });
    // With a listing kept (the first page, seen online), an outage shows it and the reason.
    registry.broken(undefined);
    expect((await core.api.catalog.search({})).source).toBe('registry');
    registry.broken('http-500');
    const kept = await core.api.catalog.search({ text: 'forecasts' });
    expect(kept).toMatchObject({ source: 'cache', stale: true, error: expect.stringMatching(/HTTP 500/) });
    expect(kept.entries.map((e) => e.name)).toEqual([WEATHER.name]);
  });

  it('never stores a secret URL variable, and reads only declared values', async () => {
    const registry = await fixture([
      {
        name: 'com.example/keyed-url',
        description: 'Key in the path',
        remotes: [
          {
            type: 'streamable-http',
            url: 'https://api.example/{KEY}/mcp',
            variables: { KEY: { isSecret: true, description: 'your key' } },
          },
        ],
      },
      {
        name: 'com.example/args',
        description: 'Takes a workspace argument',
        packages: [
          {
            registryType: 'npm',
            identifier: 'args-mcp',
            version: '1.0.0',
            transport: { type: 'stdio' },
            packageArguments: [{ type: 'named', name: '--workspace', isRequired: true }],
          },
        ],
      },
    ]);
    const core = await startCore({ urls: [registry.url] });
    await expect(
      core.api.catalog.add({ entry: 'com.example/keyed-url', values: { KEY: 'k' } }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/stored and shown in plain text/) });
    const page = await core.api.catalog.search({ text: 'workspace' });
    expect(page.entries[0]!.options[0]!.inputs).toEqual([
      { name: '--workspace', source: 'argument', required: true, secret: false },
    ]);
    await expect(core.api.catalog.add({ entry: 'com.example/args' })).rejects.toMatchObject({
      message: expect.stringMatching(/needs values for --workspace/),
    });
    const added = await core.api.catalog.add({
      entry: 'com.example/args',
      values: { '--workspace': 'docs', HOME: '/root', UNDECLARED: 'x' },
    });
    expect(added.kind === 'container' && added.server.spec).toMatchObject({
      command: ['npx', '-y', 'args-mcp@1.0.0', '--workspace', 'docs'],
      env: { HOME: '/tmp', npm_config_cache: '/tmp/.npm' },
    });
  });

  it('ends a full listing whose registry keeps handing back the same page', async () => {
    const { createServer } = await import('node:http');
    const looping = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          servers: [{ server: { name: 'io.example/only', description: 'the one' } }],
          metadata: { nextCursor: 'again' },
        }),
      );
    });
    await new Promise<void>((resolve) => looping.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => looping.close(resolve)));
    const url = `http://127.0.0.1:${(looping.address() as { port: number }).port}`;
    const core = await startCore({ urls: [url] });
    expect(await core.api.catalog.refresh({})).toMatchObject({ fetched: 1, done: true });
  });

  it('refuses registries outside a curated list', async () => {
    const registry = await fixture([WEATHER]);
    const core = await startCore({ urls: [registry.url], onlyThese: true });
    await expect(core.api.catalog.search({ registry: 'https://registry.example.org' })).rejects.toMatchObject(
      {
        code: 'REGISTRY_NOT_ALLOWED',
      },
    );
    await expect(
      core.api.catalog.add({ entry: WEATHER.name, registry: 'https://registry.example.org' }),
    ).rejects.toMatchObject({ code: 'REGISTRY_NOT_ALLOWED' });
    expect((await core.api.catalog.registries()).onlyThese).toBe(true);
  });

  it('installs npm, PyPI and OCI packages as hardened container servers', async () => {
    const registry = await fixture([WEATHER, PYTHON, IMAGE, UNRUNNABLE]);
    const core = await startCore({ urls: [registry.url] });
    await expect(core.api.catalog.add({ entry: WEATHER.name })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message:
        'cannot install "io.github.example/weather-mcp": it needs values for WEATHER_API_KEY (Your API key)',
    });
    const npm = await core.api.catalog.add({ entry: WEATHER.name, values: { WEATHER_API_KEY: 'wk-1' } });
    expect(npm.kind).toBe('container');
    if (npm.kind !== 'container') return;
    expect(npm.server.spec).toMatchObject({
      name: 'weather-mcp',
      image: 'node:24-slim',
      mode: 'exec',
      command: ['npx', '-y', '@example/weather-mcp@2.1.0', '--units', 'metric'],
      env: { HOME: '/tmp', npm_config_cache: '/tmp/.npm', WEATHER_REGION: 'eu' },
      secrets: ['WEATHER_API_KEY'],
      network: 'egress',
      egress: ['registry.npmjs.org'],
      relax: { tmpExec: true, writableRootfs: false, allowPrivilegeEscalation: false },
    });
    expect(npm.server.secretsSet).toEqual(['WEATHER_API_KEY']);

    const py = await core.api.catalog.add({ entry: PYTHON.name, as: 'my-notes' });
    expect(py.kind === 'container' && py.server.spec).toMatchObject({
      name: 'my-notes',
      image: 'ghcr.io/astral-sh/uv:python3.12-bookworm-slim',
      command: ['uvx', 'notes-mcp==0.3.0'],
      egress: ['pypi.org', 'files.pythonhosted.org'],
    });
    const oci = await core.api.catalog.add({ entry: IMAGE.name });
    expect(oci.kind === 'container' && oci.server.spec).toMatchObject({
      name: 'fetcher',
      image: 'ghcr.io/example/fetcher:1.4.0',
      mode: 'run',
      command: ['--stdio'],
      network: 'none',
    });
    await expect(core.api.catalog.add({ entry: UNRUNNABLE.name })).rejects.toMatchObject({
      message: expect.stringMatching(/nothing it offers runs here: nuget packages are not run/),
    });
    await expect(
      core.api.catalog.add({ entry: WEATHER.name, values: { WEATHER_API_KEY: 'x' } }),
    ).rejects.toMatchObject({
      code: 'SERVER_EXISTS',
    });
    await expect(core.api.catalog.add({ entry: 'io.github.example/nope' })).rejects.toMatchObject({
      code: 'REGISTRY_ENTRY_NOT_FOUND',
    });
  });

  it('installs a remote entry and calls it through /mcp; one behind OAuth waits for a sign-in', async () => {
    const upstream = await startRemoteMcpServer({ kind: 'streamable' });
    closers.push(() => upstream.close());
    const peer = await startHeadlessCore();
    closers.push(() => peer.close());
    const registry = await fixture([
      {
        name: 'com.example/echo',
        description: 'Echo, hosted',
        remotes: [{ type: 'streamable-http', url: upstream.url }],
      },
      {
        name: 'com.example/tenant-echo',
        description: 'Echo per tenant',
        remotes: [
          {
            type: 'streamable-http',
            url: upstream.url.replace('/mcp', '/{tenant}'),
            variables: { tenant: { description: 'Your tenant' } },
          },
        ],
      },
      {
        name: 'com.example/dock',
        description: 'Another MCP Dock',
        remotes: [{ type: 'streamable-http', url: `${peer.httpOrigin}/mcp` }],
      },
    ]);
    const core = await startCore({ urls: [registry.url] });
    const added = await core.api.catalog.add({ entry: 'com.example/echo' });
    expect(added.kind === 'remote' && added.remote.spec).toMatchObject({
      name: 'echo',
      url: upstream.url,
      transport: 'streamable-http',
      auth: { type: 'none' },
      registryEntry: 'com.example/echo',
    });
    const ready = new Promise<void>((resolve) => {
      const stop = core.api.remotes.onChanged((views) => {
        if (views.some((v) => v.spec.name === 'echo' && v.state === 'ready')) {
          stop();
          resolve();
        }
      });
    });
    await ready;
    const client = await gatewayHttpClient(core, 'catalog-test');
    closers.push(() => client.close());
    const result = (await client.callTool({
      name: 'echo__echo',
      arguments: { message: 'from the catalog' },
    })) as {
      content: { text: string }[];
    };
    expect(result.content[0]!.text).toBe('Echo: from the catalog');

    await expect(core.api.catalog.add({ entry: 'com.example/tenant-echo' })).rejects.toMatchObject({
      message: expect.stringMatching(/needs values for tenant \(Your tenant\)/),
    });
    const tenant = await core.api.catalog.add({
      entry: 'com.example/tenant-echo',
      values: { tenant: 'mcp' },
    });
    expect(tenant.kind === 'remote' && tenant.remote.spec.url).toBe(upstream.url);

    const dock = await core.api.catalog.add({ entry: 'com.example/dock' });
    expect(dock.kind === 'remote' && dock.remote).toMatchObject({
      spec: { auth: { type: 'oauth' } },
      state: 'signed-out',
    });
  });
});
