import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leanDockerode } from './lean-dockerode.mjs';

const require = createRequire(__filename);
const NODE_MODULES = join(__dirname, '..', 'node_modules');

interface Plugin {
  resolveId(source: string, importer?: string): string | null;
  buildEnd(this: { error(message: string): never }, error?: Error): void;
}

const plugin = () => leanDockerode() as unknown as Plugin;

describe('leanDockerode', () => {
  it('swaps exactly the three imports that load gRPC, protobuf and ssh2, nothing else', () => {
    const p = plugin();
    const docker = join(NODE_MODULES, 'dockerode/lib/docker.js');
    const modem = join(NODE_MODULES, 'docker-modem/lib/modem.js');
    expect(p.resolveId('./session', docker)).toMatch(/bundle-shims\/dockerode-no-session\.cjs$/);
    expect(p.resolveId('./buildkit', docker)).toMatch(/bundle-shims\/dockerode-no-buildkit\.cjs$/);
    expect(p.resolveId('./ssh', modem)).toMatch(/bundle-shims\/docker-modem-lazy-ssh\.cjs$/);
    expect(p.resolveId('./container', docker)).toBeNull();
    expect(p.resolveId('./session', join(NODE_MODULES, 'other/lib/docker.js'))).toBeNull();
    expect(p.resolveId('./ssh')).toBeNull();
  });

  it('fails the build when an import it swaps is no longer there (a dockerode that moved it)', () => {
    const context = {
      error: (message: string): never => {
        throw new Error(message);
      },
    };
    const p = plugin();
    p.resolveId('./session', join(NODE_MODULES, 'dockerode/lib/docker.js'));
    expect(() => p.buildEnd.call(context)).toThrow(
      'lean-dockerode: no import of ./buildkit in /dockerode/lib/docker.js, ./ssh in /docker-modem/lib/modem.js',
    );
    // A build that failed already says why; this check adds nothing to it.
    expect(() => p.buildEnd.call(context, new Error('syntax'))).not.toThrow();
    p.resolveId('./buildkit', join(NODE_MODULES, 'dockerode/lib/docker.js'));
    p.resolveId('./ssh', join(NODE_MODULES, 'docker-modem/lib/modem.js'));
    expect(() => p.buildEnd.call(context)).not.toThrow();
  });
});

describe('the shims', () => {
  it("ssh: loads docker-modem's ssh agent when an ssh:// engine is first dialled", () => {
    const ssh = require('./bundle-shims/docker-modem-lazy-ssh.cjs') as (options: object) => Agent;
    const agent = ssh({ host: '127.0.0.1', port: 1, username: 'nobody' });
    expect(agent).toBeInstanceOf(Agent);
    expect(typeof agent.createConnection).toBe('function');
  });

  it('session and buildkit: say plainly that MCP Dock does not use them', () => {
    const withSession = require('./bundle-shims/dockerode-no-session.cjs') as (
      docker: unknown,
      auth: unknown,
      handler: (error: Error | null) => void,
    ) => void;
    const errors: (Error | null)[] = [];
    withSession({}, {}, (error) => errors.push(error));
    expect(errors.map((e) => e?.message)).toEqual(['BuildKit sessions are not part of MCP Dock']);
    const buildkit = require('./bundle-shims/dockerode-no-buildkit.cjs') as { followProgress(): void };
    expect(() => buildkit.followProgress()).toThrow(/modem\.followProgress/);
  });
});
