import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optionalDockerHost } from '../lib/docker';
import { num, spread, table } from '../lib/format';
import { CLI } from '../lib/paths';
import { freePort } from '../lib/processes';
import { row, type MetricRow } from '../lib/result';
import { runSection } from '../lib/section';
import { summarize, type Summary } from '../lib/stats';

// 7. CLI start-up: how long a command takes from `node out/main/cli.js ...` to what its caller
// waits for, against `node -e 0` in the same rounds (the floor for any Node.js command). Each
// command used to open all of core and load oidc-provider, the MCP SDK and dockerode; now it
// opens only what it uses (src/main/cli/open-capabilities.ts). `gateway --stdio` matters most:
// Claude Desktop starts it for every window, and when the app is not running the first thing it
// hears is that error.

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'mcp-dock-bench', version: '1.0.0' },
  },
})}\n`;

// Wall time from spawn to the first line on stdout or stderr (`until: 'first-line'`) or to exit.
function timeRun(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; stdin?: string; until: 'exit' | 'first-line' },
): Promise<{ ms: number; out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ms: number | undefined;
    const seen = () => {
      if (ms === undefined && options.until === 'first-line' && `${out}${err}`.includes('\n'))
        ms = performance.now() - t0;
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      seen();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      seen();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ ms: ms ?? performance.now() - t0, out, err, code }));
    // A client keeps stdin open; the relay must answer (or say it cannot) without waiting for EOF.
    if (options.stdin === undefined) child.stdin.end();
    else {
      child.stdin.write(options.stdin);
      // Closed once it has answered, as a client gives up on a server that said it cannot serve.
      const close = setInterval(() => {
        if (ms !== undefined) {
          clearInterval(close);
          child.stdin.end();
        }
      }, 5);
      child.once('exit', () => clearInterval(close));
    }
  });
}

// Peak resident memory of one run, from GNU time, where it is installed.
function maxRssMb(args: readonly string[], env: NodeJS.ProcessEnv, stdin?: string): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
    env,
    input: stdin ?? '',
    encoding: 'utf8',
  });
  const kb = Number(result.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kb) ? kb / 1024 : undefined;
}

runSection('cli', '7. CLI start-up', async (ctx) => {
  const runs = ctx.quick ? 5 : 21;
  const warmup = 2;
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-bench-cli-'));
  // A port nothing listens on, so "the app is not running" holds whatever else runs here.
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ http: { port: await freePort() } }));
  const dockerHost = optionalDockerHost();
  const env = { ...process.env, ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}) };

  const commands = {
    node: { args: ['-e', '0'], until: 'exit' as const },
    list: { args: [CLI, 'servers', 'list', '--data-dir', dataDir], until: 'exit' as const },
    gateway: {
      args: [CLI, 'gateway', '--stdio', '--data-dir', dataDir],
      until: 'first-line' as const,
      stdin: INITIALIZE,
    },
  };
  const samples: Record<keyof typeof commands, number[]> = { node: [], list: [], gateway: [] };
  const last: Partial<Record<keyof typeof commands, { out: string; err: string; code: number | null }>> = {};
  // Rounds take turns (node, list, gateway), so background load falls on all three alike. The
  // first gateway run makes the credential; warm-ups also fill the OS's file cache.
  for (let round = 0; round < warmup + runs; round++) {
    for (const [name, command] of Object.entries(commands) as [
      keyof typeof commands,
      (typeof commands)[keyof typeof commands],
    ][]) {
      const result = await timeRun(command.args, {
        env,
        until: command.until,
        ...('stdin' in command ? { stdin: command.stdin } : {}),
      });
      last[name] = result;
      if (round >= warmup) samples[name].push(result.ms);
    }
  }
  if (!last.list?.out.startsWith('NAME\t'))
    throw new Error(`servers list printed no table: ${last.list?.out} ${last.list?.err}`);
  if (!last.gateway?.err.includes('MCP Dock is not running'))
    throw new Error(`gateway --stdio did not say the app is not running: ${last.gateway?.err}`);
  const engineReachable = last.list.code === 0;

  const node = summarize(samples.node);
  const list = summarize(samples.list);
  const gateway = summarize(samples.gateway);
  const ratio = (s: Summary) => s.median / node.median;
  const rss = {
    node: maxRssMb(commands.node.args, env),
    list: maxRssMb(commands.list.args, env),
    gateway: maxRssMb(commands.gateway.args, env, INITIALIZE),
  };
  ctx.log(
    `node -e 0 ${spread(node, 'ms')}; servers list ${spread(list, 'ms')} (${num(ratio(list))}×); gateway --stdio ${spread(gateway, 'ms')} (${num(ratio(gateway))}×)`,
  );
  ctx.raw = { nodeMs: node, serversListMs: list, gatewayMs: gateway, maxRssMb: rss, engineReachable };

  const peer = { name: '`node -e 0`', value: node };
  const missed =
    'What is left is loading: Node.js itself, zod (every command parses its flags with it), and what the command needs (for `servers list`, dockerode and the servers capability). ' +
    'Loading is CPU-bound, so a busy machine stretches it more than it stretches `node -e 0`.';
  const metrics: MetricRow[] = [
    row({
      id: 'cli.servers-list',
      metric: `CLI: \`mcp-dock servers list\` start to exit${engineReachable ? ' (engine reachable)' : ' (engine not reachable)'}`,
      unit: 'ms',
      better: 'lower',
      ours: list,
      peer,
      target: '≤ 3× `node -e 0`',
      pass: ratio(list) <= 3,
      missedNote: missed,
    }),
    row({
      id: 'cli.gateway-stdio',
      metric: 'CLI: `mcp-dock gateway --stdio`, `initialize` on stdin → its first answer (app not running)',
      unit: 'ms',
      better: 'lower',
      ours: gateway,
      peer,
      target: '≤ 3× `node -e 0`',
      pass: ratio(gateway) <= 3,
      missedNote: missed,
    }),
  ];
  ctx.details.push(
    `Each round runs \`node -e 0\`, \`servers list\` and \`gateway --stdio\` one after another (${runs} rounds after ${warmup} warm-ups); cells are the median (min–max) wall time from spawn. ` +
      '`servers list` runs to exit against the bench’s Docker engine; `gateway --stdio` gets an `initialize` on stdin and is timed to its first line (with no app on the data directory, the error that says so). Peak memory is from one run under GNU time.',
  );
  const mem = (v: number | undefined) => (v === undefined ? '—' : `${num(v)} MB`);
  ctx.details.push(
    table(
      ['Command', 'Wall ms', '× `node -e 0`', 'Peak RSS'],
      [
        ['`node -e 0`', spread(node), '1', mem(rss.node)],
        ['`mcp-dock servers list`', spread(list), num(ratio(list)), mem(rss.list)],
        ['`mcp-dock gateway --stdio` (first answer)', spread(gateway), num(ratio(gateway)), mem(rss.gateway)],
      ],
    ),
  );
  return metrics;
});
