import { mkdtemp, readFile, readdir, stat, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';
import { prepareDataDir, resolveDataDir } from './data-dir';
import { loadSettings, saveSettings, settingsPath } from './settings';

const tempDir = () => mkdtemp(join(tmpdir(), 'mcp-dock-store-'));

describe('writeFileAtomic', () => {
  it('writes the whole file with mode 0600 and leaves no temp files', async () => {
    const dir = await tempDir();
    const file = join(dir, 'secret.json');
    await writeFileAtomic(file, '{"a":1}');
    await writeFileAtomic(file, '{"a":2}');
    expect(await readFile(file, 'utf8')).toBe('{"a":2}');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['secret.json']);
  });

  it('keeps the old file when the new one cannot be written', async () => {
    const dir = await tempDir();
    const file = join(dir, 'kept.json');
    await writeFileAtomic(file, 'old');
    await chmod(dir, 0o500);
    try {
      // Root ignores directory permissions; the check only means something for other users.
      if (process.getuid?.() !== 0) await expect(writeFileAtomic(file, 'new')).rejects.toThrow();
    } finally {
      await chmod(dir, 0o700);
    }
    expect(await readFile(file, 'utf8')).toBe('old');
  });
});

describe('data dir', () => {
  it('prefers the flag, then MCP_DOCK_DATA_DIR, then the platform folder', () => {
    expect(resolveDataDir({ flag: '/x', env: { MCP_DOCK_DATA_DIR: '/y' } })).toBe('/x');
    expect(resolveDataDir({ env: { MCP_DOCK_DATA_DIR: '/y' } })).toBe('/y');
    expect(resolveDataDir({ env: {}, platform: 'linux', home: '/h' })).toBe('/h/.config/MCP Dock');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/c' }, platform: 'linux', home: '/h' })).toBe(
      '/c/MCP Dock',
    );
    expect(resolveDataDir({ env: {}, platform: 'darwin', home: '/h' })).toBe(
      '/h/Library/Application Support/MCP Dock',
    );
  });

  it('creates the folder 0700 and tightens an existing open one', async () => {
    const parent = await tempDir();
    const fresh = join(parent, 'a', 'b');
    await prepareDataDir(fresh);
    expect((await stat(fresh)).mode & 0o777).toBe(0o700);
    const open = join(parent, 'open');
    await mkdir(open, { mode: 0o755 });
    await chmod(open, 0o755);
    await prepareDataDir(open);
    expect((await stat(open)).mode & 0o777).toBe(0o700);
  });

  it('says clearly when a file is in the way', async () => {
    const parent = await tempDir();
    const blocker = join(parent, 'file');
    await writeFile(blocker, 'x');
    await expect(prepareDataDir(blocker)).rejects.toMatchObject({
      code: 'DATA_DIR_UNUSABLE',
      message: expect.stringContaining('a file is in the way'),
    });
    await expect(prepareDataDir(join(blocker, 'sub'))).rejects.toMatchObject({ code: 'DATA_DIR_UNUSABLE' });
  });
});

describe('settings', () => {
  it('defaults when missing and round-trips', async () => {
    const dir = await tempDir();
    const oauth = {
      accessTokenTtlSeconds: 1800,
      failedAuthPerClientPerMinute: 10,
      failedAuthPerSourcePerMinute: 60,
      registrationsPerMinute: 20,
      maxUnusedRegistrations: 50,
      unusedRegistrationTtlSeconds: 3600,
    };
    const egress = { proxyImage: 'node:20-alpine' };
    const registry = {
      urls: ['https://registry.modelcontextprotocol.io'],
      onlyThese: false,
      nodeImage: 'node:24-slim',
      pythonImage: 'ghcr.io/astral-sh/uv:python3.12-bookworm-slim',
    };
    expect(await loadSettings(dir)).toEqual({ http: { port: 8081 }, oauth, egress, registry });
    await saveSettings(dir, {
      http: { port: 9000 },
      egress: { proxyImage: 'node:22-alpine' },
      registry: { urls: ['https://registry.example.org/'], onlyThese: true },
    });
    expect(await loadSettings(dir)).toEqual({
      http: { port: 9000 },
      oauth,
      egress: { proxyImage: 'node:22-alpine' },
      // A trailing slash is dropped: the registry's API paths are appended to it.
      registry: { ...registry, urls: ['https://registry.example.org'], onlyThese: true },
    });
    expect((await stat(settingsPath(dir))).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['not JSON', '{"http":', /not JSON/],
    ['a wrong type', '{"http":{"port":"eighty"}}', /http\.port/],
    ['an unknown key', '{"htpp":{}}', /Unrecognized key/],
    ['an out-of-range port', '{"http":{"port":70000}}', /http\.port/],
  ])(
    'names the file and the problem when it holds %s, and leaves it untouched',
    async (_label, text, pattern) => {
      const dir = await tempDir();
      await writeFile(settingsPath(dir), text);
      await expect(loadSettings(dir)).rejects.toMatchObject({
        code: 'SETTINGS_INVALID',
        message: expect.stringMatching(pattern),
      });
      await expect(loadSettings(dir)).rejects.toThrow(settingsPath(dir));
      expect(await readFile(settingsPath(dir), 'utf8')).toBe(text);
    },
  );
});

describe('own writes versus other processes', () => {
  it('knows its file holds what it wrote, and notices when someone else wrote it', async () => {
    const { OwnWrites } = await import('./json-file');
    const dir = await tempDir();
    const mine = new OwnWrites(join(dir, 'state.json'));
    const theirs = new OwnWrites(join(dir, 'state.json'));
    await mine.save({ a: 1 });
    await mine.save({ a: 2 });
    expect(await mine.holdsOwnWrite()).toBe(true);
    await theirs.save({ a: 3 });
    expect(await mine.holdsOwnWrite()).toBe(false);
    expect(await theirs.holdsOwnWrite()).toBe(true);
    expect(await new OwnWrites(join(dir, 'missing.json')).holdsOwnWrite()).toBe(false);
  });

  it('takes a write by someone else for theirs even when it equals one of its own', async () => {
    const { OwnWrites } = await import('./json-file');
    const dir = await tempDir();
    const mine = new OwnWrites(join(dir, 'state.json'));
    const theirs = new OwnWrites(join(dir, 'state.json'));
    await mine.save({ servers: [] });
    await mine.save({ servers: ['x'] });
    // The CLI removes x: the file is again what the app wrote two saves ago.
    await theirs.save({ servers: [] });
    expect(await mine.holdsOwnWrite()).toBe(false);
    // Having reloaded their text, a later write back to our last one is theirs too.
    await theirs.save({ servers: ['x'] });
    expect(await mine.holdsOwnWrite()).toBe(false);
  });

  it('counts a write still under way as its own, and the one it replaces until it lands', async () => {
    const { OwnWrites } = await import('./json-file');
    const dir = await tempDir();
    const mine = new OwnWrites(join(dir, 'state.json'));
    await mine.save({ n: 1 });
    // Whichever of the two the file holds when it is read, it is ours: no reload may drop the
    // newer change queued behind it.
    const writing = mine.save({ n: 2 });
    expect(await mine.holdsOwnWrite()).toBe(true);
    await writing;
    expect(await mine.holdsOwnWrite()).toBe(true);
  });
});
