import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import {
  EGRESS_OUTSIDE_NETWORK,
  EgressProxies,
  egressNetworkName,
  egressProxyName,
} from '../../src/main/core/docker/egress/egress-proxies';
import { serverSpecSchema } from '../../src/shared/servers';
import { execModeCreateOptions, NON_ROOT_DEFAULT } from '../../src/main/core/docker/container-config';
import { execNode } from '../../test-support/exec-node';
import { ensureTestImage } from '../../test-support/test-image';
import { BENCH_PREFIX, dockerClient, removeBenchContainers } from '../lib/docker';
import { num, spread, table } from '../lib/format';
import { row, type MetricRow } from '../lib/result';
import { onCleanup, runSection } from '../lib/section';
import { summarize, type Summary } from '../lib/stats';

// 8. Egress: HTTPS from a server's container to a host on its allow-list, through MCP Dock's egress
// proxy (CONNECT, the TLS never opened), against the same requests made directly from a container
// on an open network. Both clients run inside containers on this engine, and each request is a
// new TCP + TLS connection (what a server without keep-alive does, and the proxy's worst case:
// one CONNECT per request).

const TLS = `${BENCH_PREFIX}tls`;
const DIRECT = `${BENCH_PREFIX}egress-direct`;
const SERVER = `${BENCH_PREFIX}egress`;
const PORT = 8443;

const TLS_SERVER = String.raw`
require('https').createServer({ key: process.env.KEY, cert: process.env.CERT }, (q, s) => s.end('ok')).listen(${PORT});`;

// One client program: `latency N` makes N requests one after another and prints each one's ms;
// `rate C MS` runs C loops for MS and prints how many requests completed.
const CLIENT = String.raw`
const tls = require('tls'), net = require('net');
const [mode, a, b] = process.argv.slice(1);
const host = process.env.TARGET, port = ${PORT};
const proxy = process.env.HTTPS_PROXY ? new URL(process.env.HTTPS_PROXY) : null;
function request() {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const fetchOver = (socket) => {
      const s = tls.connect({ ...(socket ? { socket } : { host, port }), servername: host, rejectUnauthorized: false }, () =>
        s.write('GET / HTTP/1.1\r\nhost: ' + host + '\r\nconnection: close\r\n\r\n'));
      let body = '';
      s.on('data', (d) => (body += d));
      s.on('end', () => body.endsWith('ok') ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(body)));
      s.on('error', reject);
    };
    if (!proxy) return fetchOver(undefined);
    const p = net.connect(Number(proxy.port), proxy.hostname, () => p.write('CONNECT ' + host + ':' + port + ' HTTP/1.1\r\nhost: ' + host + '\r\n\r\n'));
    let head = '';
    const onData = (d) => {
      head += d;
      if (!head.includes('\r\n\r\n')) return;
      p.removeListener('data', onData);
      if (!head.startsWith('HTTP/1.1 200')) return reject(new Error(head));
      fetchOver(p);
    };
    p.on('data', onData);
    p.on('error', reject);
  });
}
(async () => {
  if (mode === 'latency') {
    const ms = [];
    for (let i = 0; i < Number(a); i++) ms.push(await request());
    console.log(JSON.stringify(ms));
  } else {
    let done = 0;
    const until = Date.now() + Number(b);
    await Promise.all(Array.from({ length: Number(a) }, async () => { while (Date.now() < until) { await request(); done++; } }));
    console.log(JSON.stringify({ done, ms: Number(b) }));
  }
})().catch((e) => { console.log(JSON.stringify({ error: String(e) })); });`;

// One run of the client program in a container; a failed request fails the section.
async function runClient(docker: Docker, container: string, args: string[]): Promise<string> {
  const text = await execNode(docker, container, CLIENT, args);
  const parsed = JSON.parse(text) as unknown;
  if (parsed && typeof parsed === 'object' && 'error' in parsed)
    throw new Error(`${container}: ${String((parsed as { error: unknown }).error)}`);
  return text;
}

async function selfSignedCert(): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-bench-tls-'));
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${TLS}`,
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    return {
      key: await readFile(join(dir, 'key.pem'), 'utf8'),
      cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runSection('egress', '8. Egress proxy', async (ctx) => {
  const docker = dockerClient();
  onCleanup(() => removeBenchContainers(docker).then(() => undefined));
  const image = await ensureTestImage(docker);
  const rounds = ctx.quick ? 2 : 5;
  const perRound = ctx.quick ? 50 : 200;
  const rateMs = ctx.quick ? 1000 : 3000;
  const concurrency = 8;

  // The server's isolated network and its proxy, as core makes them for an allow-listed server.
  const proxies = new EgressProxies({
    instance: 'bench',
    proxyImage: () => image,
    onRecord: () => undefined,
  });
  onCleanup(async () => {
    proxies.close();
    await proxies.remove(docker, SERVER, SERVER).catch(() => undefined);
  });
  const spec = serverSpecSchema.parse({
    name: SERVER,
    image,
    command: ['node'],
    network: 'egress',
    egress: [`${TLS}:${PORT}`],
  });
  const route = await proxies.prepare(docker, spec, SERVER);
  const { key, cert } = await selfSignedCert();
  const start = async (options: Docker.ContainerCreateOptions) => {
    const container = await docker.createContainer({ Image: image, ...options });
    await container.start();
  };
  await start({
    name: TLS,
    Cmd: ['node', '-e', TLS_SERVER],
    Env: [`KEY=${key}`, `CERT=${cert}`],
    HostConfig: { NetworkMode: EGRESS_OUTSIDE_NETWORK },
  });
  // The direct client sits on the open network beside the TLS server; the proxied one is the
  // allow-listed server's container, on its isolated network with the proxy in its environment.
  await start({
    name: DIRECT,
    Cmd: ['tail', '-f', '/dev/null'],
    Env: [`TARGET=${TLS}`],
    HostConfig: { NetworkMode: EGRESS_OUTSIDE_NETWORK },
  });
  // The server's container exactly as core makes it (hardened, on its network, the proxy in its
  // environment and /etc/hosts), running a keep-alive the client program is exec'd into.
  await start({
    ...execModeCreateOptions(
      serverSpecSchema.parse({ ...spec, env: { TARGET: TLS } }),
      image,
      {},
      'bench',
      NON_ROOT_DEFAULT,
      route,
    ),
    name: SERVER,
  });
  ctx.log(`proxy ${egressProxyName(SERVER)} on ${egressNetworkName(SERVER)}; TLS server ${TLS}`);

  // Warm both paths (the TLS server's and the proxy's JIT), then alternate round by round.
  await runClient(docker, DIRECT, ['latency', '100']);
  await runClient(docker, SERVER, ['latency', '100']);
  const p50 = { direct: [] as number[], proxied: [] as number[] };
  const rate = { direct: [] as number[], proxied: [] as number[] };
  for (let i = 0; i < rounds; i++)
    for (const [path, container] of [
      ['direct', DIRECT],
      ['proxied', SERVER],
    ] as const) {
      const ms = JSON.parse(await runClient(docker, container, ['latency', String(perRound)])) as number[];
      p50[path].push(summarize(ms).median);
      const r = JSON.parse(
        await runClient(docker, container, ['rate', String(concurrency), String(rateMs)]),
      ) as {
        done: number;
        ms: number;
      };
      rate[path].push((r.done / r.ms) * 1000);
      ctx.log(
        `${path} round ${i + 1}: p50 ${num(p50[path].at(-1))} ms, ${num(rate[path].at(-1))} requests/s`,
      );
    }
  const direct = { p50: summarize(p50.direct), rate: summarize(rate.direct) };
  const proxied = { p50: summarize(p50.proxied), rate: summarize(rate.proxied) };
  const added: Summary = {
    ...proxied.p50,
    median: proxied.p50.median - direct.p50.median,
    p25: proxied.p50.p25 - direct.p50.median,
    p75: proxied.p50.p75 - direct.p50.median,
    min: proxied.p50.min - direct.p50.median,
    max: proxied.p50.max - direct.p50.median,
  };
  ctx.raw.egress = { rounds, perRound, concurrency, rateMs, p50, rate };
  ctx.details.push(
    `A TLS server (Node https, a 2048-bit self-signed certificate) in a container on the proxy's open network; the direct client in a container on that network, the proxied one in an allow-listed server's container on its isolated network (internal, no host address on its bridge), reaching out only through its egress proxy (HTTPS_PROXY, CONNECT). Every request is a new TCP + TLS connection (for the proxied one also a new CONNECT). ${rounds} rounds, the paths taking turns: ${perRound} requests one after another (p50 per round), then ${concurrency} loops for ${rateMs / 1000} s (requests/s). Cells are medians over rounds (min–max).`,
    table(
      ['Path', 'p50 ms', 'requests/s'],
      [
        ['direct, open network', spread(direct.p50), spread(direct.rate)],
        ['through the egress proxy', spread(proxied.p50), spread(proxied.rate)],
      ],
    ),
  );
  const metrics: MetricRow[] = [
    row({
      id: 'egress.added-p50',
      metric: 'Egress: added p50 latency of an HTTPS request through the egress proxy (new connection each)',
      unit: 'ms',
      better: 'lower',
      ours: added,
      peer: { name: 'direct from a container', value: direct.p50 },
      target: '≤ 1 ms',
      pass: added.median <= 1,
      note: `Through the proxy ${spread(proxied.p50, 'ms')}, direct ${spread(direct.p50, 'ms')}.`,
      missedNote: `Through the proxy ${spread(proxied.p50, 'ms')}, direct ${spread(direct.p50, 'ms')}. With a new connection per request, the proxied one takes two more round trips through the engine's bridges before TLS starts: the TCP connection to the proxy and the CONNECT answered once the proxy's own connection to the server is up. What it no longer pays: a DNS query to find the proxy (its address is in the container's /etc/hosts) or to find the server (the proxy keeps names for 10 s). A client that keeps its connection alive pays those round trips once, not per request; answering CONNECT before the proxy's connection is up saved nothing measurable here and would lose the 502 that says the server could not be reached.`,
    }),
    row({
      id: 'egress.throughput',
      metric: `Egress: HTTPS throughput through the egress proxy, ${concurrency} concurrent (new connection each)`,
      unit: 'requests/s',
      better: 'higher',
      ours: proxied.rate,
      peer: { name: 'direct from a container', value: direct.rate },
      target: '≥ 80% of direct',
      pass: proxied.rate.median >= 0.8 * direct.rate.median,
      missedNote: `${num((proxied.rate.median / direct.rate.median) * 100)}% of direct. The TLS handshakes (the same on both paths) share 2 cores with the proxy here; what the proxy adds per request is a connection accepted, a CONNECT parsed and a connection made, in one Node process.`,
    }),
  ];
  return metrics;
});
