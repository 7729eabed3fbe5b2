import { describe, expect, it } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { execModeCreateOptions, hardenedHostConfig } from './container-config';
import { readDockerFrames } from './docker-frames';
import { describePullError } from './image-pull';
import { labelsFor, specHash } from './labels';
import { LogBuffer, MAX_LOG_LINES } from './log-buffer';

const spec = serverSpecSchema.parse({ name: 'x', image: 'img', command: ['srv'] });

describe('container config', () => {
  it('is hardened by default and relaxes only what the spec names', () => {
    expect(hardenedHostConfig(spec)).toMatchObject({
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      NetworkMode: 'none',
      Memory: 512 * 1024 * 1024,
      PidsLimit: 256,
      Privileged: false,
      Binds: [],
    });
    const relaxed = hardenedHostConfig({
      ...spec,
      relax: { writableRootfs: true, allowPrivilegeEscalation: true },
      network: 'host',
    });
    expect(relaxed).toMatchObject({
      ReadonlyRootfs: false,
      SecurityOpt: [],
      NetworkMode: 'host',
      CapDrop: ['ALL'],
    });
  });

  it('passes only the spec’s env and secrets, never the host environment', () => {
    const withEnv = { ...spec, env: { A: '1' } };
    const options = execModeCreateOptions(withEnv, 'img', { KEY: 's' }, 'inst');
    expect(options.Env).toEqual(['A=1', 'KEY=s']);
    expect(options.Cmd).toEqual(['tail', '-f', '/dev/null']);
    expect(options.Labels).toEqual(labelsFor(withEnv, 'inst'));
    expect(options.Labels).toMatchObject({ 'io.mcp-dock.instance': 'inst' });
  });

  it('hashes the spec so a changed spec recreates the container', () => {
    expect(specHash(spec)).toBe(specHash({ ...spec }));
    expect(specHash({ ...spec, env: { A: '1' } })).not.toBe(specHash(spec));
  });
});

describe('logs', () => {
  it('keeps whole lines, per stream, and a bounded number of them', () => {
    const buffer = new LogBuffer();
    expect(buffer.append('stdout', 'hel')).toEqual([]);
    expect(buffer.append('stdout', 'lo\nwor').map((l) => l.text)).toEqual(['hello']);
    buffer.append('stderr', 'oops\n');
    expect(buffer.snapshot().map((l) => `${l.stream}:${l.text}`)).toEqual(['stdout:hello', 'stderr:oops']);
    for (let i = 0; i < MAX_LOG_LINES + 50; i++) buffer.append('stdout', `${i}\n`);
    expect(buffer.snapshot()).toHaveLength(MAX_LOG_LINES);
    expect(buffer.tail(1)).toEqual([String(MAX_LOG_LINES + 49)]);
  });

  it('reads Docker’s framed log format', () => {
    const frame = (kind: number, text: string) => {
      const body = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = kind;
      header.writeUInt32BE(body.length, 4);
      return Buffer.concat([header, body]);
    };
    expect(readDockerFrames(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toEqual([
      { stream: 'stdout', text: 'out\n' },
      { stream: 'stderr', text: 'err\n' },
    ]);
  });
});

describe('pull errors', () => {
  it('says what a registry failure means', () => {
    expect(
      describePullError(
        'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
      ),
    ).toMatch(/^the registry cannot be reached/);
    expect(describePullError('pull access denied for x, repository does not exist')).toMatch(
      /does not exist or needs a login/,
    );
  });
});
