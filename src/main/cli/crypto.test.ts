import { describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { runCommand } from './run';

function io(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const raw: Buffer[] = [];
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    env: {},
    stdin: async () => Buffer.from(stdin),
    writeRaw: (data) => raw.push(data),
  };
  return { value, out, err, raw: () => Buffer.concat(raw).toString() };
}

describe('mcp-dock crypto', () => {
  it('keygen, encrypt from stdin, decrypt from stdin, byte for byte', async () => {
    const key = io();
    expect(await runCommand('crypto', ['keygen'], key.value)).toBe(0);
    const k = key.out[0]!;
    expect(k).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    const enc = io('line one\nline two');
    expect(await runCommand('crypto', ['encrypt', '--key', k], enc.value)).toBe(0);
    const dec = io(`${enc.out[0]}\n`);
    expect(await runCommand('crypto', ['decrypt', '--key', k], dec.value)).toBe(0);
    expect(dec.raw()).toBe('line one\nline two');
  });

  it('decrypts the spec vector at its time, and refuses it after its TTL with one line', async () => {
    const token =
      'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
    const key = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
    const ok = io(token);
    expect(
      await runCommand('crypto', ['decrypt', '--key', key, '--ttl', '60', '--at', '499162801'], ok.value),
    ).toBe(0);
    expect(ok.raw()).toBe('hello');
    const late = io(token);
    expect(
      await runCommand('crypto', ['decrypt', '--key', key, '--ttl', '60', '--at', '499163801'], late.value),
    ).toBe(1);
    expect(late.err).toEqual(['mcp-dock: invalid Fernet token: it has expired (older than the TTL)']);
    expect(late.raw()).toBe('');
  });

  it.each([
    [
      ['decrypt', '--key', 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4='],
      'garbage!!',
      1,
      /not urlsafe base64/,
    ],
    [['decrypt', '--key', 'short'], 'x', 1, /32 bytes/],
    [['encrypt'], 'x', 2, /--key is required/],
    [['explode'], '', 2, /unknown crypto subcommand/],
  ])('crypto %j fails clearly', async (argv, stdin, code, pattern) => {
    const c = io(stdin);
    expect(await runCommand('crypto', argv, c.value)).toBe(code);
    expect(c.err.join('\n')).toMatch(pattern);
  });
});
