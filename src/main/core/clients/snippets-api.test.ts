import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../../shared/engine';
import { serverSpecSchema, type ServerView } from '../../../shared/servers';
import { createSnippetsApi } from './snippets-api';
import { buildSnippet } from './snippets';

const spec = serverSpecSchema.parse({ name: 'seq', image: 'img:1', command: ['srv', '--stdio'] });
const view: ServerView = {
  spec,
  source: 'user',
  containerName: 'mcp-dock-seq',
  container: { state: 'running', adopted: false, id: 'c1' },
  health: { status: 'unknown' },
  secretsSet: [],
};
const manager = { view: () => view, runIdentity: async () => ({ user: '1000:1000', instance: 'i-1' }) };
const engineAt = (endpoint: string, source: string) => {
  const status: EngineStatus = { state: 'checking', endpoint, source, checkedAt: '2026-11-22T00:00:00.000Z' };
  return { status: () => status };
};

describe('snippets api', () => {
  it('builds the snippet for the server as the manager sees it, for the given home', async () => {
    const api = createSnippetsApi(
      manager,
      engineAt('unix:///var/run/docker.sock', 'default socket'),
      '/home/me',
    );
    expect(await api.get({ client: 'cursor', server: 'seq' })).toEqual(
      buildSnippet('cursor', spec, 'mcp-dock-seq', { dockerHost: undefined, home: '/home/me' }),
    );
  });

  it('names the engine only when it is not where the docker CLI looks by itself', async () => {
    for (const source of ['DOCKER_HOST', 'setting']) {
      const api = createSnippetsApi(manager, engineAt('tcp://10.0.0.2:2376', source), '/home/me');
      const snippet = await api.get({ client: 'cursor', server: 'seq' });
      expect(snippet.launch.env).toEqual({ DOCKER_HOST: 'tcp://10.0.0.2:2376' });
    }
    const api = createSnippetsApi(
      manager,
      engineAt('unix:///var/run/docker.sock', 'default socket'),
      '/home/me',
    );
    expect((await api.get({ client: 'cursor', server: 'seq' })).launch.env).toBeUndefined();
  });
});
