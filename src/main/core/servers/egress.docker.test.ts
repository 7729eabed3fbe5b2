import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireEngine } from '../../../../test-support/docker-engine';
import { DRIFTING_SERVER } from '../../../../test-support/drifting-server';
import { openEngineCore } from '../../../../test-support/engine-core';
import { execNode } from '../../../../test-support/exec-node';
import { serverSpecSchema } from '../../../shared/servers';
import type { Core } from '../create-core';
import {
  EGRESS_OUTSIDE_NETWORK,
  EgressProxies,
  egressNetworkName,
  egressProxyName,
} from '../docker/egress/egress-proxies';

const run = (docker: Docker, container: string, program: string) => execNode(docker, container, program);

// A server on an allow-list, on the real engine: an allowed host is reached through the proxy, a
// host off the list is refused by it (and audited), and nothing gets out without it: no direct
// connection to another network, no name resolution.
describe('egress allow-lists on a real engine', async () => {
  const engine = await requireEngine();
  const tag = randomBytes(3).toString('hex');
  const NAME = `egress-${tag}`;
  const ALLOWED = `egress-web-${tag}`;
  const OTHER = `egress-other-${tag}`;
  let docker: Docker;
  let image: string;
  let core: Core;
  let otherIp = '';

  beforeAll(async () => {
    if (!engine) return;
    ({ docker, image, core } = await openEngineCore(engine.socketPath, 'egress'));
    // Two web servers outside: one on the list, one not. (The proxy's outside network is made
    // by MCP Dock at the server's start; the test makes it first to put them on it.)
    await docker
      .createNetwork({ Name: EGRESS_OUTSIDE_NETWORK, CheckDuplicate: true, Driver: 'bridge' })
      .catch(() => undefined);
    for (const name of [ALLOWED, OTHER]) {
      const web = await docker.createContainer({
        name,
        Image: image,
        Cmd: [
          'node',
          '-e',
          `require('http').createServer((q, s) => s.end('hello from ${name} ' + q.url)).listen(8080)`,
        ],
        HostConfig: { NetworkMode: EGRESS_OUTSIDE_NETWORK },
      });
      await web.start();
    }
    otherIp = (await docker.getContainer(OTHER).inspect()).NetworkSettings.Networks[EGRESS_OUTSIDE_NETWORK]!
      .IPAddress;
    await core.api.servers.add({
      spec: serverSpecSchema.parse({
        name: NAME,
        image,
        command: ['node', '-e', DRIFTING_SERVER],
        env: { TOOL_DESC: 'Adds.' },
        network: 'egress',
        egress: [`${ALLOWED}:8080`],
      }),
    });
    await core.containers.start(NAME, { waitForProbe: true });
  }, 300_000);

  afterAll(async () => {
    if (!engine) return;
    await core?.api.servers.remove({ name: NAME }).catch(() => undefined);
    await core?.close();
    for (const name of [ALLOWED, OTHER, `mcp-dock-${NAME}`, egressProxyName(`mcp-dock-${NAME}`)])
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => undefined);
    // Made for this test's web servers (or by MCP Dock): gone once nothing is on it.
    await docker
      .getNetwork(EGRESS_OUTSIDE_NETWORK)
      .remove()
      .catch(() => undefined);
  });

  const server = `mcp-dock-${NAME}`;
  const viaProxy = (url: string) => `
    const u = new URL(process.env.HTTP_PROXY);
    require('http').get({ host: u.hostname, port: u.port, path: ${JSON.stringify(url)} }, (r) => {
      let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => console.log(r.statusCode, b.trim()));
    }).on('error', (e) => console.log('error', e.code));`;

  it.skipIf(!engine)('reaches an allowed host only through the proxy, which refuses the rest', async () => {
    expect((await core.api.servers.list()).find((s) => s.spec.name === NAME)!.health.status).toBe('ready');
    expect(await run(docker, server, viaProxy(`http://${ALLOWED}:8080/ok`))).toBe(
      `200 hello from ${ALLOWED} /ok`,
    );
    // A tunnel (what HTTPS takes) to the allowed host.
    const tunnel = await run(
      docker,
      server,
      `const u = new URL(process.env.HTTPS_PROXY);
       const s = require('net').connect(Number(u.port), u.hostname, () => s.write('CONNECT ${ALLOWED}:8080 HTTP/1.1\\r\\nhost: x\\r\\n\\r\\n'));
       let b = ''; s.on('data', (c) => { b += c; if (b.includes('Established\\r\\n\\r\\n') && !b.includes('GET')) { b += 'GET'; s.write('GET /tls HTTP/1.1\\r\\nhost: x\\r\\nconnection: close\\r\\n\\r\\n'); } });
       s.on('end', () => console.log(b.split('\\r\\n')[0], b.endsWith('/tls')));`,
    );
    expect(tunnel).toBe('HTTP/1.1 200 Connection Established true');

    expect(await run(docker, server, viaProxy(`http://${OTHER}:8080/steal`))).toBe(
      `403 MCP Dock egress proxy: ${OTHER}:8080 is not on this server's allow-list`,
    );
  });

  it.skipIf(!engine)(
    'has no way out around the proxy: no route to other networks or the host, no DNS',
    async () => {
      const direct = await run(
        docker,
        server,
        `const s = require('net').connect({ host: ${JSON.stringify(otherIp)}, port: 8080, timeout: 3000 });
       s.on('connect', () => { console.log('connected'); s.destroy(); });
       s.on('timeout', () => { console.log('blocked'); s.destroy(); });
       s.on('error', () => console.log('blocked'));`,
      );
      expect(direct).toBe('blocked');
      const gateway = (await docker.getNetwork(egressNetworkName(server)).inspect()) as {
        IPAM: { Config: { Gateway?: string }[] };
      };
      const hostAddress = gateway.IPAM.Config[0]?.Gateway ?? '';
      const toHost = await run(
        docker,
        server,
        `const s = require('net').connect({ host: ${JSON.stringify(hostAddress)}, port: 22, timeout: 3000 });
       s.on('connect', () => { console.log('connected'); s.destroy(); });
       s.on('timeout', () => { console.log('blocked'); s.destroy(); });
       s.on('error', (e) => console.log(e.code === 'ECONNREFUSED' ? 'host answered' : 'blocked'));`,
      );
      expect(toHost).toBe('blocked');
      const dns = await run(
        docker,
        server,
        `const d = require('dns');
       d.lookup('example.com', (e) => d.lookup(${JSON.stringify(OTHER)}, (f) => console.log(Boolean(e), Boolean(f))));`,
      );
      expect(dns).toBe('true true');
    },
    90_000,
  );

  it.skipIf(!engine)('audits each refusal and shows what was refused on the server', async () => {
    await vi.waitFor(
      async () => {
        const view = (await core.api.servers.list()).find((s) => s.spec.name === NAME)!;
        expect(view.egressSeen!.allowed).toBeGreaterThanOrEqual(2);
        expect(view.egressSeen!.denied).toEqual([
          expect.objectContaining({ host: OTHER, port: 8080, count: 1 }),
        ]);
      },
      { timeout: 10_000 },
    );
    const events = await core.api.audit.query({ event_type: 'egress_denied' });
    expect(events).toEqual([
      expect.objectContaining({
        server: NAME,
        tool_name: `${OTHER}:8080`,
        action_taken: 'denied',
        contains_pii: false,
      }),
    ]);
  });

  it.skipIf(!engine)(
    'stops its proxy with it, and removes proxy and network with its container',
    async () => {
      await core.containers.stop(NAME);
      expect((await docker.getContainer(egressProxyName(server)).inspect()).State.Running).toBe(false);
      await core.containers.removeContainer(NAME);
      await expect(docker.getContainer(egressProxyName(server)).inspect()).rejects.toMatchObject({
        statusCode: 404,
      });
      await expect(docker.getNetwork(egressNetworkName(server)).inspect()).rejects.toMatchObject({
        statusCode: 404,
      });
    },
  );

  it.skipIf(!engine)(
    'says which setting to change when the proxy’s image cannot be had',
    async () => {
      const proxies = new EgressProxies({
        instance: 'egress-test',
        proxyImage: () => 'mcp-dock-test/no-such-proxy:1',
        onRecord: () => undefined,
      });
      const spec = serverSpecSchema.parse({ name: `${NAME}-x`, image, command: ['node'], network: 'egress' });
      try {
        await expect(proxies.prepare(docker, spec, `mcp-dock-${NAME}-x`)).rejects.toThrow(
          /^Could not start the egress proxy mcp-dock-egress-\w+-x-egress-proxy: its image mcp-dock-test\/no-such-proxy:1 is not on this engine and could not be pulled \(.+\)\. Pull it, or set egress\.proxyImage in settings\.json to an image here that has node$/s,
        );
      } finally {
        await proxies.remove(docker, spec.name, `mcp-dock-${NAME}-x`);
      }
    },
    60_000,
  );
});
