import { describe, expect, it } from 'vitest';
import { listEngineEndpoints, socketPathOf } from './engine-endpoints';
import { describeEngineFailure } from './engine-errors';
import { parseEngineVersion, dockerodeOptions } from './engine-connection';

describe('engine endpoints', () => {
  it('uses only DOCKER_HOST when it is set, and an explicit setting over it', () => {
    expect(
      listEngineEndpoints({ env: { DOCKER_HOST: 'unix:///x.sock' }, platform: 'linux', home: '/h' }),
    ).toEqual([{ url: 'unix:///x.sock', source: 'DOCKER_HOST' }]);
    expect(
      listEngineEndpoints({ env: { DOCKER_HOST: '/bare.sock' }, platform: 'linux', home: '/h' })[0]?.url,
    ).toBe('unix:///bare.sock');
    expect(
      listEngineEndpoints({
        env: { DOCKER_HOST: 'unix:///x.sock' },
        platform: 'linux',
        home: '/h',
        override: 'tcp://h:2375',
      }),
    ).toEqual([{ url: 'tcp://h:2375', source: 'setting' }]);
  });

  it('knows the usual sockets on Linux, macOS and Windows', () => {
    const linux = listEngineEndpoints({
      env: { XDG_RUNTIME_DIR: '/run/user/1000' },
      platform: 'linux',
      home: '/home/u',
    }).map((e) => e.url);
    expect(linux[0]).toBe('unix:///var/run/docker.sock');
    expect(linux).toContain('unix:///home/u/.docker/desktop/docker.sock');
    expect(linux).toContain('unix:///run/user/1000/podman/podman.sock');
    expect(linux).toContain('unix:///home/u/.colima/default/docker.sock');
    const mac = listEngineEndpoints({ env: {}, platform: 'darwin', home: '/Users/u' }).map((e) => e.url);
    expect(mac).toContain('unix:///Users/u/.docker/run/docker.sock');
    expect(mac).toContain('unix:///Users/u/.colima/default/docker.sock');
    const win = listEngineEndpoints({ env: {}, platform: 'win32', home: 'C:\\Users\\u' }).map((e) => e.url);
    expect(win[0]).toBe('npipe:////./pipe/docker_engine');
  });

  it('maps endpoints to dockerode options', () => {
    expect(dockerodeOptions({ url: 'unix:///a.sock', source: 's' }, {})).toEqual({ socketPath: '/a.sock' });
    expect(dockerodeOptions({ url: 'tcp://10.0.0.1:2375', source: 's' }, {})).toEqual({
      protocol: 'http',
      host: '10.0.0.1',
      port: 2375,
    });
    expect(dockerodeOptions({ url: 'ssh://me@box', source: 's' }, {})).toMatchObject({
      protocol: 'ssh',
      host: 'box',
      username: 'me',
      port: 22,
    });
    expect(socketPathOf('tcp://x:1')).toBeUndefined();
  });
});

describe('engine failures and versions', () => {
  const ep = { url: 'unix:///var/run/docker.sock', source: 'default socket' };
  const err = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    ['ENOENT', /no engine socket at \/var\/run\/docker\.sock/],
    ['ECONNREFUSED', /nothing is listening/],
    ['EACCES', /permission denied/],
    ['ENGINE_TIMEOUT', /did not answer in time/],
    ['ENGINE_LOST', /connection to the engine .* was lost/],
  ])('explains %s', (code, pattern) => {
    const failure = describeEngineFailure(ep, err(code));
    expect(failure.reason).toMatch(pattern);
    expect(failure.hint.length).toBeGreaterThan(10);
  });

  it('gives the docker group hint on permission errors', () => {
    expect(describeEngineFailure(ep, err('EACCES')).hint).toMatch(/docker group/);
  });

  it('reads Docker and Podman version answers and refuses garbage', () => {
    expect(
      parseEngineVersion({
        Version: '28.2.2',
        ApiVersion: '1.50',
        Os: 'linux',
        Arch: 'amd64',
        Platform: { Name: 'Docker Engine - Community' },
      }),
    ).toEqual({
      product: 'Docker Engine - Community',
      version: '28.2.2',
      apiVersion: '1.50',
      os: 'linux',
      arch: 'amd64',
    });
    expect(
      parseEngineVersion({
        Version: '5.0',
        ApiVersion: '1.41',
        Os: 'linux',
        Arch: 'arm64',
        Components: [{ Name: 'Podman Engine', Version: '5.0' }],
      }).product,
    ).toBe('Podman');
    expect(() => parseEngineVersion({ Version: 28 })).toThrow();
  });
});
