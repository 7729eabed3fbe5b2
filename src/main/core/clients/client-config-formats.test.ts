import { access, chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from '@decimalturn/toml-patch';
import { load as loadYaml } from 'js-yaml';
import { parse as parseJsonc } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { CLIENT_FACTS, CLIENT_IDS, type ClientId } from '../../../shared/snippets';
import { CLIENT_KINDS } from './client-kinds';
import { addEntryToClientConfig, hasClientEntry, removeEntryFromClientConfig } from './client-config';

// Every writer against a config as people keep them: comments, other settings, an entry written
// by hand. Values are read back with parsers that are not the writer's own.

const launch = {
  command: 'docker',
  args: ['exec', '-i', 'mcp-dock-seq', 'srv'],
  env: { DOCKER_HOST: 'unix:///d.sock' },
};
const mineLaunch = { command: 'node', args: ['x.js'] };
const dir = () => mkdtemp(join(tmpdir(), 'mcp-dock-client-formats-'));

interface Fixture {
  text: string;
  // Byte ranges that must survive every edit: the comments and the hand-written entry.
  kept: string[];
  broken: string;
  read: (text: string) => unknown;
}

function jsonFixture(client: ClientId): Fixture {
  const kind = CLIENT_KINDS[client];
  const key = kind.place!.path[0]!;
  const mine = `"mine": ${JSON.stringify(kind.stdio('mine', mineLaunch))}`;
  return {
    text: `// my ${client} settings
{
  "theme": "dark", // keep me
  "${key}": {
    // written by hand
    ${mine},
  },
  "after": [1, 2],
}
`,
    kept: [
      `// my ${client} settings`,
      '"theme": "dark", // keep me',
      '// written by hand',
      mine,
      '"after": [1, 2],',
    ],
    broken: `{ "${key}": { "a": `,
    read: (text) => parseJsonc(text),
  };
}

const FIXTURES: Partial<Record<ClientId, () => Fixture>> = {
  goose: () => {
    const mine = `  mine:
    args:
    - x.js
    cmd: node
    enabled: true
    envs: {}
    name: mine
    timeout: 300
    type: stdio
`;
    return {
      text: `# goose settings
GOOSE_PROVIDER: openai  # keep me
extensions:
  # written by hand
${mine}GOOSE_MODEL: gpt-4o
`,
      kept: [
        '# goose settings',
        'GOOSE_PROVIDER: openai  # keep me',
        '  # written by hand\n',
        mine,
        'GOOSE_MODEL: gpt-4o\n',
      ],
      broken: 'extensions:\n  a: [1, 2\n',
      read: (text) => loadYaml(text),
    };
  },
  continue: () => {
    const mine = `- name: mine  # by hand
  command: node
  args: [x.js]
`;
    return {
      text: `name: Local Config
version: 1.0.0
schema: v1
# my servers
mcpServers:
${mine}models: []
`,
      kept: [
        'name: Local Config\nversion: 1.0.0\nschema: v1\n# my servers\nmcpServers:\n',
        mine,
        'models: []\n',
      ],
      broken: 'mcpServers:\n- name: "a\n',
      read: (text) => loadYaml(text),
    };
  },
  'codex-cli': () => {
    const mine = `[mcp_servers.mine]
# written by hand
command = "node"
args = ["x.js"]
`;
    return {
      text: `# Codex settings
model = "o3"  # keep me

${mine}
[profiles.work]
model = "gpt-5"
`,
      kept: ['# Codex settings\nmodel = "o3"  # keep me\n', mine, '[profiles.work]\nmodel = "gpt-5"\n'],
      broken: '[mcp_servers.a]\ncommand = "x\n',
      read: (text) => parseToml(text),
    };
  },
};

// The entry as the client reads it back.
function entryIn(client: ClientId, config: unknown, name: string): unknown {
  const place = CLIENT_KINDS[client].place!;
  let at = config as Record<string, unknown>;
  for (const key of place.path) at = (at?.[key] ?? undefined) as Record<string, unknown>;
  if (place.kind === 'yaml-list')
    return (at as unknown as Record<string, unknown>[] | undefined)?.find((item) => item[place.key] === name);
  return at?.[name];
}

const WRITABLE = CLIENT_IDS.filter((c) => CLIENT_FACTS[c].writable);

describe.each(WRITABLE)('the %s config writer', (client) => {
  const fixture = () => (FIXTURES[client] ?? (() => jsonFixture(client)))();
  const expected = CLIENT_KINDS[client].stdio('seq', launch);

  it('adds the entry and keeps comments, formatting and the other entry; re-adding changes nothing; removing restores the rest', async () => {
    const { text, kept, read } = fixture();
    const file = join(await dir(), 'config');
    await writeFile(file, text);
    await chmod(file, 0o640);

    const change = await addEntryToClientConfig(client, file, { name: 'seq', launch });
    expect(change).toEqual({ path: file, changed: true, backup: `${file}.mcp-dock-backup` });
    expect(await readFile(change.backup!, 'utf8')).toBe(text);
    const added = await readFile(file, 'utf8');
    for (const piece of kept) expect(added).toContain(piece);
    expect(entryIn(client, read(added), 'seq')).toEqual(expected);
    expect(entryIn(client, read(added), 'mine')).toEqual(entryIn(client, read(text), 'mine'));
    expect(entryIn(client, read(added), 'mine')).toBeDefined();
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await hasClientEntry(client, file, 'seq')).toBe(true);

    expect(await addEntryToClientConfig(client, file, { name: 'seq', launch })).toEqual({
      path: file,
      changed: false,
    });
    expect(await readFile(file, 'utf8')).toBe(added);

    // A changed launch replaces the entry in place.
    const moved = { ...launch, args: ['exec', '-i', 'other'] };
    expect((await addEntryToClientConfig(client, file, { name: 'seq', launch: moved })).changed).toBe(true);
    const replaced = await readFile(file, 'utf8');
    expect(entryIn(client, read(replaced), 'seq')).toEqual(CLIENT_KINDS[client].stdio('seq', moved));
    for (const piece of kept) expect(replaced).toContain(piece);

    expect((await removeEntryFromClientConfig(client, file, 'seq')).changed).toBe(true);
    const removed = await readFile(file, 'utf8');
    expect(read(removed)).toEqual(read(text));
    expect(removed).toBe(text);
    for (const piece of kept) expect(removed).toContain(piece);
    expect(await hasClientEntry(client, file, 'seq')).toBe(false);
    expect(await removeEntryFromClientConfig(client, file, 'seq')).toEqual({ path: file, changed: false });
  });

  it('refuses a broken file with ClientConfigError and leaves it exactly as it was', async () => {
    const { broken } = fixture();
    const file = join(await dir(), 'config');
    await writeFile(file, broken);
    await expect(addEntryToClientConfig(client, file, { name: 'seq', launch })).rejects.toMatchObject({
      code: 'CLIENT_CONFIG_INVALID',
      message: expect.stringContaining(
        `${file} cannot be edited: it is not valid ${CLIENT_FACTS[client].format.toUpperCase()}`,
      ),
    });
    await expect(removeEntryFromClientConfig(client, file, 'mine')).rejects.toMatchObject({
      code: 'CLIENT_CONFIG_INVALID',
    });
    expect(await readFile(file, 'utf8')).toBe(broken);
    await expect(access(`${file}.mcp-dock-backup`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates the file (and its folder) when the client has none yet, and empties it back to a valid config', async () => {
    const file = join(await dir(), 'nested', 'config');
    expect(await hasClientEntry(client, file, 'seq')).toBe(false);
    expect(await removeEntryFromClientConfig(client, file, 'seq')).toEqual({ path: file, changed: false });
    await expect(access(file)).rejects.toMatchObject({ code: 'ENOENT' });

    expect(await addEntryToClientConfig(client, file, { name: 'seq', launch })).toEqual({
      path: file,
      changed: true,
    });
    const { read } = fixture();
    const created = read(await readFile(file, 'utf8'));
    expect(entryIn(client, created, 'seq')).toEqual(expected);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    await removeEntryFromClientConfig(client, file, 'seq');
    const emptied = read(await readFile(file, 'utf8')) as Record<string, unknown>;
    // The place stays an (empty) map or list: clients refuse a null one.
    const place = CLIENT_KINDS[client].place!;
    expect(emptied[place.path[0]!]).toEqual(place.kind === 'yaml-list' ? [] : {});
  });
});

describe('config files as clients write them', () => {
  it('Continue: a new config.yaml has the header Continue requires', async () => {
    const file = join(await dir(), 'config.yaml');
    await addEntryToClientConfig('continue', file, { name: 'seq', launch });
    expect(loadYaml(await readFile(file, 'utf8'))).toMatchObject({
      name: 'Local Config',
      version: '1.0.0',
      schema: 'v1',
    });
  });

  it('Goose: an `extensions: {}` or bare `extensions:` takes the entry below the key', async () => {
    for (const start of [
      'GOOSE_PROVIDER: x\nextensions: {}  # none yet\n',
      'extensions:\nGOOSE_PROVIDER: x\n',
    ]) {
      const file = join(await dir(), 'config.yaml');
      await writeFile(file, start);
      await addEntryToClientConfig('goose', file, { name: 'seq', launch });
      const text = await readFile(file, 'utf8');
      expect((loadYaml(text) as { extensions: object }).extensions).toEqual({
        seq: CLIENT_KINDS.goose.stdio('seq', launch),
      });
      expect(text).toContain('GOOSE_PROVIDER: x\n');
    }
  });

  it('Goose: sequences written without indentation (serde_yaml) stay that way', async () => {
    const file = join(await dir(), 'config.yaml');
    const other =
      'extensions:\n  gh:\n    args:\n    - -y\n    cmd: npx\n    enabled: true\n    type: stdio\n';
    await writeFile(file, other);
    await addEntryToClientConfig('goose', file, { name: 'seq', launch });
    expect(await readFile(file, 'utf8')).toMatch(
      new RegExp(`^${other.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  seq:\n`),
    );
  });

  it('Codex: an entry written inline or dotted is still found, changed and removed', async () => {
    const file = join(await dir(), 'config.toml');
    const text =
      'model = "o3"\nmcp_servers.seq = { command = "old", args = [] }\n\n[profiles.work]\nmodel = "x"\n';
    await writeFile(file, text);
    expect(await hasClientEntry('codex-cli', file, 'seq')).toBe(true);
    await addEntryToClientConfig('codex-cli', file, { name: 'seq', launch });
    const changed = parseToml(await readFile(file, 'utf8')) as {
      mcp_servers: Record<string, unknown>;
      profiles: object;
    };
    expect(changed.mcp_servers.seq).toEqual(CLIENT_KINDS['codex-cli'].stdio('seq', launch));
    expect(changed.profiles).toEqual({ work: { model: 'x' } });
    await removeEntryFromClientConfig('codex-cli', file, 'seq');
    expect(parseToml(await readFile(file, 'utf8'))).toEqual({
      model: 'o3',
      mcp_servers: {},
      profiles: { work: { model: 'x' } },
    });
  });

  it('Codex: a table with sub-tables is replaced whole, and names that need quoting are quoted', async () => {
    const file = join(await dir(), 'config.toml');
    await writeFile(
      file,
      '[mcp_servers.seq]\ncommand = "old"\n\n[mcp_servers.seq.env]\nA = "1"\n\n# the next one\n[mcp_servers.keep]\ncommand = "k"\n',
    );
    await addEntryToClientConfig('codex-cli', file, { name: 'seq', launch });
    await addEntryToClientConfig('codex-cli', file, { name: 'my server', launch: mineLaunch });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# the next one\n[mcp_servers.keep]\ncommand = "k"\n');
    expect(text).toContain('[mcp_servers."my server"]\n');
    expect((parseToml(text) as { mcp_servers: object }).mcp_servers).toEqual({
      seq: CLIENT_KINDS['codex-cli'].stdio('seq', launch),
      keep: { command: 'k' },
      'my server': mineLaunch,
    });
  });

  it('keeps Windows line endings', async () => {
    for (const [client, text] of [
      ['goose', 'extensions:\r\n  a:\r\n    cmd: x\r\n'],
      ['codex-cli', 'model = "o3"\r\n'],
      ['cursor', '{\r\n  "mcpServers": {}\r\n}\r\n'],
    ] as const) {
      const file = join(await dir(), 'config');
      await writeFile(file, text);
      await addEntryToClientConfig(client, file, { name: 'seq', launch });
      expect((await readFile(file, 'utf8')).replace(/\r\n/g, '')).not.toContain('\n');
    }
  });

  it.each(CLIENT_IDS.filter((c) => !CLIENT_FACTS[c].writable))(
    '%s has no file to write: it says what to do instead',
    async (client) => {
      for (const call of [
        addEntryToClientConfig(client, '/x', { name: 'seq', launch }),
        removeEntryFromClientConfig(client, '/x', 'seq'),
        hasClientEntry(client, '/x', 'seq'),
      ])
        await expect(call).rejects.toMatchObject({
          code: 'CLIENT_UNSUPPORTED',
          message:
            client === 'claude-code'
              ? expect.stringContaining('claude mcp add')
              : expect.stringContaining('Settings | Tools | AI Assistant'),
        });
    },
  );
});
