import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import catalogJson from '../../../../resources/catalog.json';
import { serverSpecSchema } from '../../../shared/servers';
import { fileKeyProvider } from '../secrets/key-provider';
import { openSecretStore } from '../secrets/secret-store';
import { builtInCatalog, parseCatalog } from './catalog';
import { openServerRegistry } from './server-registry';

const dir = () => mkdtemp(join(tmpdir(), 'mcp-dock-servers-'));
const mine = { name: 'mine', image: 'img:1', command: ['node', 'server.js'] };

describe('catalog', () => {
  it('ships the guide’s servers, valid against the schema', () => {
    const names = builtInCatalog().map((s) => s.name);
    expect(names).toEqual(['context7', 'sequential-thinking', 'custom-python']);
    const context7 = builtInCatalog()[0]!;
    expect(context7).toMatchObject({
      image: 'node:24-slim',
      command: ['npx', '-y', '@upstash/context7-mcp@latest'],
      mode: 'exec',
    });
    // Servers that need the network get an allow-list, not an open bridge.
    expect(builtInCatalog().map((s) => [s.network, s.egress])).toEqual([
      ['egress', ['context7.com', 'registry.npmjs.org']],
      ['egress', ['registry.npmjs.org']],
      ['none', []],
    ]);
    expect(builtInCatalog()[2]!.command).toEqual(['uv', 'run', '/app/custom_mcp_server.py']);
    // npx runs the package it downloads into /tmp: those two say so; nothing else relaxes /tmp.
    expect(builtInCatalog().map((s) => s.relax.tmpExec)).toEqual([true, true, false]);
    expect(builtInCatalog().every((s) => s.user === undefined)).toBe(true);
  });

  it('refuses duplicates and bad entries with the path of the problem', () => {
    const twice = { version: 1, servers: [catalogJson.servers[0], catalogJson.servers[0]] };
    expect(() => parseCatalog(twice)).toThrow(/duplicate name context7/);
    expect(() =>
      parseCatalog({ version: 1, servers: [{ name: 'x y', image: 'i', command: ['c'] }] }),
    ).toThrow(/servers\.0\.name/);
    // A build defect, not the user's: the code says so wherever it is caught.
    expect(() => parseCatalog({ version: 2, servers: [] })).toThrow(
      expect.objectContaining({ code: 'INTERNAL', name: 'CatalogInvalidError' }),
    );
  });
});

describe('server spec', () => {
  it('fills hardened defaults', () => {
    expect(serverSpecSchema.parse(mine)).toMatchObject({
      mode: 'exec',
      network: 'none',
      keepAlive: ['tail', '-f', '/dev/null'],
      limits: { memoryMb: 512, cpus: 1, pids: 256 },
      relax: { writableRootfs: false, allowPrivilegeEscalation: false, tmpExec: false },
    });
    expect(serverSpecSchema.parse(mine).user).toBeUndefined();
  });

  it.each([
    [{ ...mine, name: '-bad' }, /name/],
    [{ ...mine, image: 'has space' }, /image/],
    [{ ...mine, env: { 'BAD-NAME': 'x' } }, /env/],
    [{ ...mine, secrets: ['KEY'], env: { KEY: 'x' } }, /both a plain env var and a secret/],
    [{ ...mine, mode: 'exec', command: [] }, /a command is required/],
    [{ ...mine, limits: { memoryMb: 1 } }, /memoryMb/],
    [{ ...mine, extra: true }, /Unrecognized key/],
  ])('refuses %j', (input, pattern) => {
    const result = serverSpecSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(pattern);
  });
});

describe('server registry', () => {
  it('adds, updates, renames and removes user servers, persisted 0600', async () => {
    const d = await dir();
    const registry = await openServerRegistry(d, builtInCatalog());
    await registry.add(mine);
    await registry.update('mine', { ...mine, description: 'edited' });
    expect((await openServerRegistry(d, builtInCatalog())).get('mine').spec.description).toBe('edited');
    await registry.update('mine', { ...mine, name: 'renamed' });
    expect(registry.list().map((s) => s.spec.name)).toContain('renamed');
    expect((await stat(join(d, 'servers.json'))).mode & 0o777).toBe(0o600);
    await registry.remove('renamed');
    expect(registry.list().filter((s) => s.source === 'user')).toEqual([]);
  });

  it('refuses clashes, catalog edits and unknown names with clear codes', async () => {
    const registry = await openServerRegistry(await dir(), builtInCatalog());
    await registry.add(mine);
    await expect(registry.add(mine)).rejects.toMatchObject({ code: 'SERVER_EXISTS' });
    await expect(registry.add({ ...mine, name: 'context7' })).rejects.toMatchObject({
      code: 'SERVER_EXISTS',
      message: /built-in catalog/,
    });
    await expect(registry.update('context7', mine)).rejects.toMatchObject({ code: 'SERVER_READ_ONLY' });
    await expect(registry.remove('sequential-thinking')).rejects.toMatchObject({ code: 'SERVER_READ_ONLY' });
    await expect(registry.update('nope', mine)).rejects.toMatchObject({ code: 'SERVER_NOT_FOUND' });
    await registry.add({ ...mine, name: 'other' });
    await expect(registry.update('other', mine)).rejects.toMatchObject({ code: 'SERVER_EXISTS' });
  });

  it('starts every change from the file, so what another process did is kept, not undone', async () => {
    const d = await dir();
    const app = await openServerRegistry(d, builtInCatalog());
    const cli = await openServerRegistry(d, builtInCatalog());
    await app.add(mine);
    await cli.remove('mine');
    // The app has not reloaded yet: adding another server must not write "mine" back.
    await app.add({ ...mine, name: 'other' });
    const names = (await openServerRegistry(d, builtInCatalog())).list().map((s) => s.spec.name);
    expect(names).toContain('other');
    expect(names).not.toContain('mine');
    await cli.add({ ...mine, name: 'third' });
    await expect(cli.update('other', { ...mine, name: 'other' })).resolves.toBeTruthy();
    await app.remove('other');
    await expect(cli.update('other', { ...mine, name: 'other' })).rejects.toMatchObject({
      code: 'SERVER_NOT_FOUND',
      message: expect.stringMatching(/no longer exists/),
    });
    expect(await app.sync()).toBe(false);
    await cli.remove('third');
    expect(await app.sync()).toBe(true);
    expect(app.list().map((s) => s.spec.name)).not.toContain('third');
  });

  it('names a broken servers.json and leaves it alone', async () => {
    const d = await dir();
    await writeFile(join(d, 'servers.json'), '{"version":1,"servers":[{"name":1}]}');
    await expect(openServerRegistry(d, builtInCatalog())).rejects.toMatchObject({
      code: 'STORE_FILE_INVALID',
      message: expect.stringContaining('servers.json'),
    });
    expect(await readFile(join(d, 'servers.json'), 'utf8')).toBe('{"version":1,"servers":[{"name":1}]}');
  });
});

describe('secret store', () => {
  it('encrypts at rest with a 0600 key and returns values only to core', async () => {
    const d = await dir();
    const store = await openSecretStore(d, fileKeyProvider(d));
    await store.set('srv', 'API_KEY', 'sk-very-secret');
    expect(await readFile(join(d, 'secrets.json'), 'utf8')).not.toContain('sk-very-secret');
    expect((await stat(join(d, 'secret.key'))).mode & 0o777).toBe(0o600);
    const reopened = await openSecretStore(d, fileKeyProvider(d));
    expect(reopened.names('srv')).toEqual(['API_KEY']);
    expect(await reopened.values('srv', ['API_KEY', 'MISSING'])).toEqual({ API_KEY: 'sk-very-secret' });
    await reopened.remove('srv', 'API_KEY');
    expect(reopened.names('srv')).toEqual([]);
  });

  it('refuses a ciphertext moved to another slot, and a wrong key', async () => {
    const d = await dir();
    const store = await openSecretStore(d, fileKeyProvider(d));
    await store.set('a', 'K', 'one');
    const file = JSON.parse(await readFile(join(d, 'secrets.json'), 'utf8')) as {
      entries: Record<string, Record<string, string>>;
    };
    file.entries.b = { K: file.entries.a!.K! };
    await writeFile(join(d, 'secrets.json'), JSON.stringify(file));
    const moved = await openSecretStore(d, fileKeyProvider(d));
    await expect(moved.values('b', ['K'])).rejects.toMatchObject({ code: 'SECRET_STORE' });
    const wrongKey = await openSecretStore(d, {
      kind: 'test',
      loadOrCreateKey: async () => Buffer.alloc(32, 7),
    });
    await expect(wrongKey.values('a', ['K'])).rejects.toMatchObject({
      code: 'SECRET_STORE',
      message: /cannot be decrypted/,
    });
  });
});
