import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stubEngine } from '../../../../test-support/stub-engine';
import { serverSpecSchema, type ServerSpecInput } from '../../../shared/servers';
import { INSTANCE_FILE } from '../docker/instance-id';
import { fileKeyProvider } from '../secrets/key-provider';
import { openSecretStore } from '../secrets/secret-store';
import { builtInCatalog } from './catalog';
import { openServers } from './open-servers';
import { openPlacements } from './placements';
import { openServerRegistry } from './server-registry';

// The contract hands core parsed specs.
const spec = (input: ServerSpecInput) => serverSpecSchema.parse(input);

async function open() {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-open-servers-'));
  const secrets = await openSecretStore(dataDir, fileKeyProvider(dataDir));
  const servers = await openServers({ dataDir, engine: stubEngine().engine, secrets });
  return { dataDir, servers };
}

describe('openServers', () => {
  it('opens the catalog, the user’s servers and this data directory’s instance id', async () => {
    const { dataDir, servers } = await open();
    expect((await servers.api.list()).map((v) => v.spec.name)).toEqual(builtInCatalog().map((s) => s.name));
    await stat(join(dataDir, INSTANCE_FILE));
    const added = await servers.api.add({
      spec: spec({ name: 'mine', image: 'img', command: ['x'], secrets: ['KEY'] }),
      secretValues: { KEY: 'v' },
    });
    expect(added).toMatchObject({ source: 'user', secretsSet: ['KEY'], container: { state: 'unknown' } });
    expect(servers.registry.get('mine').source).toBe('user');
    expect(servers.containers.view('mine').spec.name).toBe('mine');
    await servers.close();
  });

  it('follows what another process wrote to servers.json and placements.json', async () => {
    const { dataDir, servers } = await open();
    expect(Object.keys(servers.followers).sort()).toEqual(['placements.json', 'servers.json']);
    const cli = await openServerRegistry(dataDir, builtInCatalog());
    await cli.add({ name: 'from-cli', image: 'img', command: ['x'] });
    await servers.followers['servers.json']!();
    expect(servers.containers.list().map((v) => v.spec.name)).toContain('from-cli');
    await (await openPlacements(dataDir)).set('from-cli', { containerName: 'elsewhere', adopted: false });
    await servers.followers['placements.json']!();
    expect(servers.containers.view('from-cli').containerName).toBe('elsewhere');
    await servers.close();
  });

  it('refuses undeclared secret values and a rename while the engine cannot say there is no container', async () => {
    const { servers } = await open();
    await expect(
      servers.api.add({
        spec: spec({ name: 'mine', image: 'img', command: ['x'] }),
        secretValues: { KEY: 'v' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', name: 'UndeclaredSecretsError' });
    await servers.api.add({ spec: spec({ name: 'mine', image: 'img', command: ['x'] }) });
    await expect(
      servers.api.update({ name: 'mine', spec: spec({ name: 'renamed', image: 'img', command: ['x'] }) }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/renamed once the Docker engine is reachable/),
    });
    await servers.close();
  });
});
