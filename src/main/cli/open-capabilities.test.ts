import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { openDataDir, openSecrets, withOpened } from './open-capabilities';
import { withGatewayCredential, withOAuthClients } from './with-oauth-clients';

const io = (): CliIo => ({
  out: () => undefined,
  err: () => undefined,
  signal: new AbortController().signal,
  env: {},
});
const tempDir = () => mkdtemp(join(tmpdir(), 'mcp-dock-cli-open-'));

describe('withOpened', () => {
  it('closes what was opened in reverse order, when the work fails too', async () => {
    const closed: string[] = [];
    const result = await withOpened(
      async (opened) => {
        opened.defer(() => void closed.push('first'));
        opened.defer(() => void closed.push('second'));
        return 21;
      },
      async (n) => n * 2,
    );
    expect(result).toBe(42);
    expect(closed).toEqual(['second', 'first']);
    await expect(
      withOpened(
        async (opened) => opened.defer(() => void closed.push('third')),
        async () => {
          throw new Error('work failed');
        },
      ),
    ).rejects.toThrow('work failed');
    expect(closed.at(-1)).toBe('third');
  });

  it('closes what was opened when opening fails halfway, and never runs the work', async () => {
    const closed: string[] = [];
    let worked = false;
    await expect(
      withOpened(
        async (opened) => {
          opened.defer(() => void closed.push('opened'));
          throw new Error('could not open');
        },
        async () => {
          worked = true;
        },
      ),
    ).rejects.toThrow('could not open');
    expect(closed).toEqual(['opened']);
    expect(worked).toBe(false);
  });
});

describe('the capabilities a command opens', () => {
  it('fails on a broken settings.json as the app does', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'settings.json'), '{"http": {"port": "no"}}');
    await expect(openDataDir(io(), { dataDir })).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
  });

  it('finds the data directory from the flag, else MCP_DOCK_DATA_DIR, and opens its secret store', async () => {
    const dataDir = await tempDir();
    const fromEnv = await openDataDir({ ...io(), env: { MCP_DOCK_DATA_DIR: dataDir } }, {});
    expect(fromEnv.dataDir).toBe(dataDir);
    expect(fromEnv.settings.http.port).toBe(8081);
    const { secrets } = await openSecrets(fromEnv);
    await secrets.set('srv', 'KEY', 'value');
    const again = await openSecrets(await openDataDir(io(), { dataDir }));
    expect(await again.secrets.values('srv', ['KEY'])).toEqual({ KEY: 'value' });
  });

  it('keeps the OAuth clients a command made once it has closed', async () => {
    const dataDir = await tempDir();
    const created = await withOAuthClients(io(), { dataDir }, ({ clients }) =>
      clients.create({ name: 'ci-bot', grant: 'client_credentials', scope: 'mcp.access' }),
    );
    expect(created.client_id).toBe('ci-bot');
    const listed = await withGatewayCredential(io(), { dataDir }, async ({ clients, secrets }) => {
      expect(secrets.names('anything')).toEqual([]);
      return clients.list().map((c) => c.client_id);
    });
    expect(listed).toEqual(['ci-bot']);
  });
});
