import { describe, expect, it } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import {
  dockerRunArgs,
  effectiveUser,
  execModeCreateOptions,
  hardenedHostConfig,
  sessionCreateOptions,
} from './container-config';
import { describePullError } from './image-pull';
import { labelsFor, specHash } from './labels';

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
      relax: { writableRootfs: true, allowPrivilegeEscalation: true, tmpExec: false },
      network: 'host',
    });
    expect(relaxed).toMatchObject({
      ReadonlyRootfs: false,
      SecurityOpt: [],
      NetworkMode: 'host',
      CapDrop: ['ALL'],
    });
  });

  it('mounts /tmp noexec and nosuid unless relaxed, and caps the container log', () => {
    const config = hardenedHostConfig(spec);
    expect(config.Tmpfs?.['/tmp']).toMatch(/(^|,)noexec(,|$)/);
    expect(config.Tmpfs?.['/tmp']).toMatch(/(^|,)nosuid(,|$)/);
    expect(config.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
    const relaxed = hardenedHostConfig(serverSpecSchema.parse({ ...spec, relax: { tmpExec: true } }));
    // Docker adds noexec to a tmpfs by default: only an explicit exec lifts it.
    expect(relaxed.Tmpfs?.['/tmp']).toMatch(/(^|,)exec(,|$)/);
    expect(relaxed.Tmpfs?.['/tmp']).not.toMatch(/noexec/);
    expect(relaxed.Tmpfs?.['/tmp']).toMatch(/nosuid/);
  });

  it('brings an exec-mode container back after an engine restart, unless the user stopped it', () => {
    expect(execModeCreateOptions(spec, 'img', {}, 'i', '1:1').HostConfig?.RestartPolicy).toEqual({
      Name: 'unless-stopped',
    });
    // A session container removes itself; Docker refuses a restart policy with that.
    const session = sessionCreateOptions(spec, 'img', {}, 'i', '1:1').HostConfig;
    expect(session).toMatchObject({ AutoRemove: true, RestartPolicy: { Name: 'no' } });
  });

  it('runs as the spec’s user, else the image’s non-root user, else 65534:65534', () => {
    const withUser = serverSpecSchema.parse({ ...spec, user: '1000:1000' });
    expect(effectiveUser(withUser, 'node')).toBe('1000:1000');
    expect(effectiveUser(serverSpecSchema.parse({ ...spec, user: 'root' }), 'node')).toBe('root');
    expect(effectiveUser(spec, 'node')).toBe('node');
    expect(effectiveUser(spec, '1001:1001')).toBe('1001:1001');
    for (const rootish of [undefined, '', 'root', '0', '0:0', 'root:root', '0:1000'])
      expect(effectiveUser(spec, rootish)).toBe('65534:65534');
    expect(execModeCreateOptions(spec, 'img', {}, 'i', '65534:65534').User).toBe('65534:65534');
    expect(sessionCreateOptions(spec, 'img', {}, 'i', 'node').User).toBe('node');
  });

  it('validates the user as uid[:gid] or name[:group]', () => {
    for (const good of ['1000', '1000:1000', 'node', 'node:node', 'app_user:staff', '_svc'])
      expect(serverSpecSchema.safeParse({ ...spec, user: good }).success, good).toBe(true);
    for (const bad of ['', ' ', '1000:', ':1000', 'a b', 'node:node:x', '-rf', 'x;rm', 'ü'])
      expect(serverSpecSchema.safeParse({ ...spec, user: bad }).success, bad).toBe(false);
  });

  it('gives run-mode snippets the same hardening', () => {
    const args = dockerRunArgs(spec, { user: '65534:65534', instance: 'inst' });
    const joined = args.join(' ');
    expect(joined).toContain('--user 65534:65534');
    expect(joined).toMatch(/--tmpfs \/tmp:\S*noexec/);
    expect(joined).toContain('--log-driver json-file --log-opt max-size=10m --log-opt max-file=3');
    expect(joined).toContain('--label io.mcp-dock.instance=inst');
    expect(args.slice(-2)).toEqual(['img', 'srv']);
  });

  it('passes only the spec’s env and secrets, never the host environment', () => {
    const withEnv = { ...spec, env: { A: '1' } };
    const options = execModeCreateOptions(withEnv, 'img', { KEY: 's' }, 'inst', '65534:65534');
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

  it('says how to get the image without a registry: build it or load a saved copy', () => {
    for (const failure of [
      'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
      "pull access denied for python-mcp-base-image, repository does not exist or may require 'docker login'",
    ]) {
      const text = describePullError(failure, 'python-mcp-base-image');
      expect(text).toContain('docker build -t python-mcp-base-image');
      expect(text).toContain('docker load -i');
      expect(text).toContain('docker save python-mcp-base-image');
    }
  });
});
