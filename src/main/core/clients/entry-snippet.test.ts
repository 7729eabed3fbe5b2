import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse as parseToml } from '@decimalturn/toml-patch';
import { load as loadYaml } from 'js-yaml';
import { parse as parseJsonc } from 'jsonc-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_FACTS, CLIENT_IDS, type ClientId, type StdioLaunch } from '../../../shared/snippets';
import { buildEntrySnippet } from './entry-snippet';
import { buildGatewaySnippet } from './gateway-snippet';
import { stdioFixture } from './testing/stdio-fixture';

type Obj = Record<string, unknown>;
type Raw = Record<string, Obj>;

// POSIX shell words, as a shell splits the `claude mcp add` line: quotes and backslashes.
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let s = '';
      for (i++; line[i] !== '"'; i++) s += line[i] === '\\' ? line[++i] : line[i];
      word = (word ?? '') + s;
    } else if (c === '\\') word = (word ?? '') + line[++i];
    else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

// What Claude Code does with `claude mcp add --transport stdio NAME -e K=V -- CMD ARGS...`.
function claudeCodeLaunch(text: string, name: string): StdioLaunch {
  const words = shellWords(text.trim());
  expect(words.slice(0, 6)).toEqual(['claude', 'mcp', 'add', '--transport', 'stdio', name]);
  const env: Record<string, string> = {};
  let i = 6;
  for (; words[i] === '-e'; i += 2) {
    const [k, ...v] = words[i + 1]!.split('=');
    env[k!] = v.join('=');
  }
  expect(words[i]).toBe('--');
  const [command, ...args] = words.slice(i + 1);
  return { command: command!, args, ...(Object.keys(env).length ? { env } : {}) };
}

// The launch a client takes out of its own config text, read with a parser of that format (not
// MCP Dock's), by the keys that client's docs name.
function launchFrom(client: ClientId, text: string, name: string): StdioLaunch {
  const json = () => parseJsonc(text) as Raw;
  const plain = (e: Obj): StdioLaunch => ({
    command: e.command as string,
    args: e.args as string[],
    ...(e.env ? { env: e.env as Record<string, string> } : {}),
  });
  switch (client) {
    case 'claude-code':
      return claudeCodeLaunch(text, name);
    case 'vscode': {
      const e = json().servers![name] as Obj;
      expect(e.type).toBe('stdio');
      return plain(e);
    }
    case 'zed':
      return plain(json().context_servers![name] as Obj);
    case 'opencode': {
      const e = json().mcp![name] as Obj;
      expect(e).toMatchObject({ type: 'local', enabled: true });
      const [command, ...args] = e.command as string[];
      return {
        command: command!,
        args,
        ...(e.environment ? { env: e.environment as Record<string, string> } : {}),
      };
    }
    case 'continue': {
      const doc = loadYaml(text) as { mcpServers: Obj[] };
      const e = doc.mcpServers.find((item) => item.name === name)!;
      expect(e.type).toBe('stdio');
      return plain(e);
    }
    case 'goose': {
      const e = (loadYaml(text) as { extensions: Raw }).extensions[name]!;
      expect(e).toMatchObject({ type: 'stdio', enabled: true, name });
      const envs = e.envs as Record<string, string>;
      return {
        command: e.cmd as string,
        args: e.args as string[],
        ...(Object.keys(envs).length ? { env: envs } : {}),
      };
    }
    case 'codex-cli':
      return plain((parseToml(text) as { mcp_servers: Raw }).mcp_servers[name]!);
    default:
      return plain(json().mcpServers![name] as Obj);
  }
}

// The URL a client takes out of its own config text.
function urlFrom(client: ClientId, text: string, name: string): string {
  const json = () => parseJsonc(text) as Raw;
  switch (client) {
    case 'claude-code': {
      const words = shellWords(text.trim());
      expect(words.slice(0, 6)).toEqual(['claude', 'mcp', 'add', '--transport', 'http', name]);
      return words[6]!;
    }
    case 'vscode':
      expect(json().servers![name]).toMatchObject({ type: 'http' });
      return (json().servers![name] as Obj).url as string;
    case 'windsurf':
      return (json().mcpServers![name] as Obj).serverUrl as string;
    case 'zed':
      return (json().context_servers![name] as Obj).url as string;
    case 'cline':
      expect(json().mcpServers![name]).toMatchObject({ type: 'streamableHttp' });
      return (json().mcpServers![name] as Obj).url as string;
    case 'gemini-cli':
      return (json().mcpServers![name] as Obj).httpUrl as string;
    case 'opencode':
      expect(json().mcp![name]).toMatchObject({ type: 'remote', enabled: true });
      return (json().mcp![name] as Obj).url as string;
    case 'codex-cli':
      return (parseToml(text) as { mcp_servers: Raw }).mcp_servers[name]!.url as string;
    case 'goose': {
      const e = (loadYaml(text) as { extensions: Raw }).extensions[name]!;
      expect(e).toMatchObject({ type: 'streamable_http', enabled: true });
      return e.uri as string;
    }
    default:
      return (json().mcpServers![name] as Obj).url as string;
  }
}

describe('each client’s stdio entry, launched the way the client launches it', () => {
  let fixture: Awaited<ReturnType<typeof stdioFixture>>;
  beforeAll(async () => {
    fixture = await stdioFixture();
  });

  it.each(CLIENT_IDS)('%s: the entry starts the server and its tools list', async (client) => {
    const snippet = buildEntrySnippet(client, { name: 'fixture', launch: fixture.launch }, 'stdio');
    expect(snippet).toMatchObject({ client, form: 'stdio', format: CLIENT_FACTS[client].format });
    const launch = launchFrom(client, snippet.text, 'fixture');
    expect(launch).toEqual(fixture.launch);

    const mcp = new Client({ name: `as-${client}`, version: '0' });
    await mcp.connect(new StdioClientTransport({ ...launch, stderr: 'ignore' }));
    try {
      const { tools } = await mcp.listTools();
      expect(tools.map((t) => [t.name, t.description])).toEqual([[fixture.tool, fixture.description]]);
    } finally {
      await mcp.close();
    }
  });
});

describe('the gateway’s entry per client', () => {
  const url = 'http://127.0.0.1:8081/mcp';
  const relay = {
    command: '/opt/mcp-dock/mcp-dock',
    args: ['gateway', '--stdio', '--data-dir', '/home/u/my data'],
  };

  it.each(CLIENT_IDS)('%s: the stdio form launches exactly `gateway --stdio`', (client) => {
    const snippet = buildGatewaySnippet(client, 'stdio', url, relay);
    expect(launchFrom(client, snippet.text, 'mcp-dock')).toEqual(relay);
    expect(snippet.launch).toEqual(relay);
  });

  it.each(CLIENT_IDS.filter((c) => !CLIENT_FACTS[c].url))(
    '%s takes commands only: asked for the URL, it still gets `gateway --stdio`, and says why',
    (client) => {
      const snippet = buildGatewaySnippet(client, 'url', url, relay);
      expect(launchFrom(client, snippet.text, 'mcp-dock')).toEqual(relay);
      expect(snippet.launch).toEqual(relay);
      expect(snippet.note).toMatch(/so this is the stdio relay/);
      expect(snippet.text).not.toContain(url);
    },
  );

  it.each(CLIENT_IDS.filter((c) => CLIENT_FACTS[c].url))('%s: the URL form names the endpoint', (client) => {
    const snippet = buildGatewaySnippet(client, 'url', url, relay);
    expect(urlFrom(client, snippet.text, 'mcp-dock')).toBe(url);
    expect(snippet.launch).toBeUndefined();
    expect(snippet.note).toMatch(/OAuth|sign in/);
  });

  it('an entry with only a URL cannot be given to a client that launches commands', () => {
    expect(() => buildEntrySnippet('claude-desktop', { name: 'p', url }, 'url')).toThrow(
      expect.objectContaining({
        code: 'SNIPPET_UNAVAILABLE',
        message: expect.stringMatching(/Claude Desktop/),
      }),
    );
    expect(buildEntrySnippet('cursor', { name: 'p', url }, 'stdio')).toMatchObject({ form: 'url', url });
  });
});

describe('install links', () => {
  const launch = { command: 'docker', args: ['exec', '-i', 'mcp-dock-seq', 'srv'] };
  const entry = { name: 'seq', launch };
  const link = (
    client: ClientId,
    e: Parameters<typeof buildEntrySnippet>[1] = entry,
    form: 'url' | 'stdio' = 'stdio',
  ) => buildEntrySnippet(client, e, form).deepLink;

  it('are offered by the clients that document one, and by no other', () => {
    const withLinks = CLIENT_IDS.filter((c) => link(c) !== undefined);
    expect(withLinks).toEqual(['cursor', 'vscode', 'goose', 'lm-studio', 'kiro']);
  });

  it('LM Studio and Cursor carry the entry as base64 JSON, Kiro as URL-encoded JSON', () => {
    const lm = new URL(link('lm-studio')!);
    expect(`${lm.protocol}//${lm.host}`).toBe('lmstudio://add_mcp');
    expect(lm.searchParams.get('name')).toBe('seq');
    expect(JSON.parse(Buffer.from(lm.searchParams.get('config')!, 'base64').toString())).toEqual(launch);

    const kiro = new URL(link('kiro')!);
    expect(kiro.origin + kiro.pathname).toBe('https://kiro.dev/launch/mcp/add');
    expect(JSON.parse(kiro.searchParams.get('config')!)).toEqual(launch);
    expect(
      JSON.parse(
        new URL(link('kiro', { name: 'g', url: 'http://h/mcp' }, 'url')!).searchParams.get('config')!,
      ),
    ).toEqual({
      url: 'http://h/mcp',
    });
  });

  it('Goose gets one argument per `arg`, and none for a command it does not allow or an environment it cannot carry', () => {
    const goose = new URL(link('goose')!);
    expect(goose.protocol).toBe('goose:');
    expect(goose.searchParams.get('cmd')).toBe('docker');
    expect(goose.searchParams.getAll('arg')).toEqual(launch.args);
    expect(goose.searchParams.get('id')).toBe('seq');
    expect(
      link('goose', { name: 'x', launch: { command: 'mcp-dock', args: ['gateway', '--stdio'] } }),
    ).toBeUndefined();
    expect(
      link('goose', { name: 'x', launch: { ...launch, env: { DOCKER_HOST: 'tcp://h' } } }),
    ).toBeUndefined();
    const remote = new URL(link('goose', { name: 'g', url: 'http://h/mcp', launch }, 'url')!);
    expect([remote.searchParams.get('url'), remote.searchParams.get('type')]).toEqual([
      'http://h/mcp',
      'streamable_http',
    ]);
  });
});
