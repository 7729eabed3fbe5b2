import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegistry } from '../../src/main/core/registry/open-registry';
import { settingsSchema } from '../../src/main/core/store/settings';
import { fillerEntries, startRegistryFixture } from '../../test-support/registry-fixture';
import { num, spread, table } from '../lib/format';
import { fetchToken, httpEchoClient, type EchoClient } from '../lib/mcp-clients';
import { BUILD_DIR } from '../lib/paths';
import { firstLine, spawnTracked } from '../lib/processes';
import { row, type MetricRow } from '../lib/result';
import { onCleanup, runSection } from '../lib/section';
import { summarize, type Summary } from '../lib/stats';

// 9. Remote servers and the Catalog. (a) A call to a remote MCP server (the SDK's own Streamable
// HTTP server, in a process of its own) through the gateway, against the same call made directly
// by the SDK client: what the gateway adds on that path (OAuth check, PII scan, audit, the second
// HTTP hop). (b) A Catalog search over a 5,000-entry registry listing kept on disk, by a Catalog
// just opened (so the listing is read from the file), against the same search asked of the
// registry online.

const ENTRIES = 5000;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

runSection('remotes', '9. Remote servers and the Catalog', async (ctx) => {
  const rounds = ctx.quick ? 3 : 7;
  const perRound = ctx.quick ? 100 : 400;

  // The remote server, and our core in its own process with it added as a remote server.
  const sdk = spawnTracked('sdk-echo-server', process.execPath, [join(BUILD_DIR, 'sdk-echo-server.cjs')]);
  const remoteUrl = (JSON.parse(await firstLine(sdk)) as { url: string }).url;
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-bench-remote-'));
  const host = spawnTracked('core-host', process.execPath, [
    join(BUILD_DIR, 'core-host.cjs'),
    JSON.stringify({
      dataDir,
      remotes: [{ name: 'far', url: remoteUrl }],
      client: { name: 'bench-remote', scope: 'mcp.access mcp:servers' },
    }),
  ]);
  const core = JSON.parse(await firstLine(host)) as {
    origin: string;
    clientId: string;
    clientSecret: string;
  };
  const token = await fetchToken(core.origin, core.clientId, core.clientSecret, 'mcp.access mcp:servers');
  const clients: EchoClient[] = [];
  onCleanup(async () => {
    for (const c of clients) await c.close();
  });
  const direct = await httpEchoClient(remoteUrl, 'echo');
  const gateway = await httpEchoClient(`${core.origin}/mcp`, 'far__echo', token);
  clients.push(direct, gateway);

  // Warm both paths, then alternate round by round; p50 per round.
  for (let i = 0; i < 200; i++) {
    await direct.call();
    await gateway.call();
  }
  const p50 = { direct: [] as number[], gateway: [] as number[] };
  for (let r = 0; r < rounds; r++)
    for (const [path, client] of [
      ['direct', direct],
      ['gateway', gateway],
    ] as const) {
      const ms: number[] = [];
      for (let i = 0; i < perRound; i++) ms.push(await timed(() => client.call()));
      p50[path].push(summarize(ms).median);
      ctx.log(`${path} round ${r + 1}: p50 ${num(p50[path].at(-1))} ms`);
    }
  const directP50 = summarize(p50.direct);
  const gatewayP50 = summarize(p50.gateway);
  const added: Summary = {
    ...gatewayP50,
    median: gatewayP50.median - directP50.median,
    p25: gatewayP50.p25 - directP50.median,
    p75: gatewayP50.p75 - directP50.median,
    min: gatewayP50.min - directP50.median,
    max: gatewayP50.max - directP50.median,
  };

  // The Catalog: a registry fixture of 5,000 entries, its whole listing fetched once into the
  // cache; then each round a Catalog opened anew searches it (first page, 30 entries).
  const registry = await startRegistryFixture(fillerEntries(ENTRIES));
  onCleanup(() => registry.close());
  const catalogDir = await mkdtemp(join(tmpdir(), 'mcp-dock-bench-catalog-'));
  const settings = settingsSchema.parse({ registry: { urls: [registry.url] } }).registry;
  const open = () =>
    openRegistry({
      dataDir: catalogDir,
      settings: () => settings,
      servers: { add: async () => Promise.reject(new Error('not in the bench')) },
      remotes: { add: async () => Promise.reject(new Error('not in the bench')) },
      background: false,
    });
  const warming = open();
  const listing = await warming.refresh();
  warming.close();
  if (listing.servers.length !== ENTRIES) throw new Error(`cached ${listing.servers.length} entries`);
  const cached: number[] = [];
  const online: number[] = [];
  for (let r = 0; r < rounds * 3; r++) {
    const catalog = open();
    cached.push(
      await timed(async () => {
        const page = await catalog.api.search({ text: 'weather' });
        if (page.source !== 'cache' || page.entries.length !== 30) throw new Error('not a cached page of 30');
      }),
    );
    // The baseline: the same search asked of the registry (the fixture, on loopback).
    online.push(
      await timed(async () => {
        const res = await fetch(`${registry.url}/v0.1/servers?search=weather&limit=30`);
        await res.json();
      }),
    );
    catalog.close();
  }
  const cachedMs = summarize(cached);
  const onlineMs = summarize(online);

  ctx.raw.remotes = { rounds, perRound, p50, cached, online };
  ctx.details.push(
    `The remote server is the MCP SDK's own Streamable HTTP server answering \`echo\`, in a process of its own; core runs in another (bench/core-host.ts) with it added as a remote server. The SDK client calls \`echo\` directly and \`far__echo\` through /mcp (OAuth bearer, PII scan of arguments and result, audit). ${rounds} rounds of ${perRound} sequential calls per path, taking turns; cells are medians over rounds (min–max).`,
    table(
      ['Path', 'p50 ms'],
      [
        ['direct (SDK client → remote server)', spread(directP50)],
        ['through the gateway (SDK client → /mcp → remote server)', spread(gatewayP50)],
      ],
    ),
    `The Catalog: a registry fixture on 127.0.0.1 serving ${ENTRIES} entries through the MCP Registry API; its whole listing fetched once into registry-cache.json. Each of ${rounds * 3} rounds opens a Catalog anew (so the listing is read and parsed from the file) and searches "weather" (first page, 30 entries); the baseline asks the registry itself for the same page.`,
    table(
      ['Search', 'ms'],
      [
        ['first page from the kept listing (new Catalog)', spread(cachedMs)],
        ['the registry asked online (loopback)', spread(onlineMs)],
      ],
    ),
  );
  const metrics: MetricRow[] = [
    row({
      id: 'remotes.added-p50',
      metric: 'Remote server: added p50 latency of a tool call through the gateway',
      unit: 'ms',
      better: 'lower',
      ours: added,
      peer: { name: 'direct (SDK client)', value: directP50 },
      target: '≤ 1 ms',
      pass: added.median <= 1,
      note: `Through the gateway ${spread(gatewayP50, 'ms')}, direct ${spread(directP50, 'ms')}.`,
      missedNote: `Through the gateway ${spread(gatewayP50, 'ms')}, direct ${spread(directP50, 'ms')}. What is added is about what the gateway adds in front of a container (section 1's added-p50 row, measured in the same run): the gateway's own work per call (the hop into /mcp, the bearer check, PII scans of arguments and result, the audit write before and after), not the remote leg, which is one more Streamable HTTP request like the direct call itself. Closing it is section 1's work, not this path's.`,
    }),
    row({
      id: 'catalog.search-cached',
      metric: `Catalog: first page of a search over a ${ENTRIES}-entry listing kept on disk`,
      unit: 'ms',
      better: 'lower',
      ours: cachedMs,
      peer: { name: 'the registry asked online (loopback)', value: onlineMs },
      target: '≤ 300 ms',
      pass: cachedMs.median <= 300,
    }),
  ];
  return metrics;
});
