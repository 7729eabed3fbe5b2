import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { dockerClient, removeBenchContainers } from './lib/docker';
import { CHROMIUM } from '../test-support/chromium';
import { BENCH_DIR, BUILD_DIR, ROOT } from './lib/paths';
import type { SectionResult } from './lib/result';
import { renderReport, type RunMeta } from './report';

// Runs the sections one after another, each in a process group of its own with a time limit,
// then writes results.json and RESULTS.md. Containers named mcp-dock-bench-* are removed before
// and after, whatever happened in between.

const SECTIONS: { name: string; title: string; limitS: number }[] = [
  { name: 'gateway', title: '1. Gateway overhead', limitS: 600 },
  { name: 'pii', title: '2. PII scanning', limitS: 240 },
  { name: 'oauth', title: '3. OAuth', limitS: 150 },
  { name: 'containers', title: '4. Containers', limitS: 180 },
  { name: 'audit', title: '5. Audit log', limitS: 180 },
  { name: 'ui', title: '6. UI', limitS: 240 },
  { name: 'cli', title: '7. CLI start-up', limitS: 180 },
  { name: 'egress', title: '8. Egress proxy', limitS: 240 },
  { name: 'remotes', title: '9. Remote servers and the Catalog', limitS: 240 },
  { name: 'tool-search', title: '10. Tool search', limitS: 120 },
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;

let current: ReturnType<typeof spawn> | undefined;

function killGroup(child: ReturnType<typeof spawn>, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // gone
  }
}

function runOne(name: string, limitS: number, outFile: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(BUILD_DIR, 'sections', `${name}.cjs`), JSON.stringify({ quick, outFile })],
      { cwd: ROOT, stdio: 'inherit', detached: true },
    );
    current = child;
    const limit = setTimeout(() => {
      console.error(`[${name}] over its ${limitS} s limit: stopping it`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 15_000).unref();
    }, limitS * 1000);
    child.on('exit', () => {
      clearTimeout(limit);
      // Anything the section left in its process group goes with it.
      killGroup(child, 'SIGKILL');
      current = undefined;
      resolve();
    });
  });
}

// CPU busy across all cores over `ms`, from /proc/stat: nothing of ours runs between sections,
// so this is everyone else's load (the machine may be shared).
async function backgroundBusy(ms = 1500): Promise<{ busyPct: number; load1: number }> {
  const sample = () => {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = sample();
    await new Promise((r) => setTimeout(r, ms));
    const b = sample();
    const total = b.total - a.total;
    return { busyPct: total > 0 ? (100 * (total - (b.idle - a.idle))) / total : 0, load1: loadavg()[0]! };
  } catch {
    return { busyPct: Number.NaN, load1: loadavg()[0]! };
  }
}

function version(command: string, argv: string[]): string {
  try {
    return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  // The code measured is the code bundled a moment ago, so the commit is read now, not at the end.
  const commit =
    version('git', ['rev-parse', '--short', 'HEAD']) +
    (version('git', ['status', '--porcelain']).length > 0 ? ' (with uncommitted changes)' : '');
  const docker = (() => {
    try {
      return dockerClient();
    } catch (error) {
      console.warn(`${(error as Error).message}: the Docker sections will fail`);
      return undefined;
    }
  })();
  const sweep = async () => (docker ? removeBenchContainers(docker).catch(() => 0) : 0);
  const left = await sweep();
  if (left > 0) console.log(`removed ${left} left-over mcp-dock-bench-* containers`);
  const partial = quick || only !== undefined;
  const outDir = partial ? BUILD_DIR : BENCH_DIR;
  const resultsDir = join(BUILD_DIR, 'results');
  await mkdir(resultsDir, { recursive: true });

  const results: SectionResult[] = [];
  for (const section of SECTIONS) {
    if (only && !only.has(section.name)) continue;
    console.log(`\n=== ${section.title} ===`);
    const outFile = join(resultsDir, `${section.name}.json`);
    await rm(outFile, { force: true });
    const background = await backgroundBusy();
    if (background.busyPct > 10)
      console.warn(
        `the machine is ${background.busyPct.toFixed(0)}% busy with other work before this section: its numbers will be lower`,
      );
    const t0 = Date.now();
    await runOne(section.name, section.limitS, outFile);
    let result: SectionResult;
    if (existsSync(outFile)) {
      result = JSON.parse(readFileSync(outFile, 'utf8')) as SectionResult;
    } else {
      result = {
        section: section.name,
        title: section.title,
        startedAt: new Date(t0).toISOString(),
        durationS: (Date.now() - t0) / 1000,
        metrics: [],
        details: [],
        raw: {},
        error: 'the section wrote no result (killed, or crashed before it could)',
      };
    }
    result.title = section.title;
    result.background = background;
    results.push(result);
    await sweep();
  }

  const engine = (await docker?.version().catch(() => undefined)) as { Version?: string } | undefined;
  const meta: RunMeta = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    durationS: (Date.now() - started) / 1000,
    quick,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${osType()} ${release()}`,
    },
    versions: {
      Node: process.version,
      'Docker engine': engine?.Version ?? 'unknown',
      Chromium: version(CHROMIUM, ['--version']).replace(/^Chromium\s*/, ''),
    },
    commit,
  };
  // Formatted as the repository formats everything (`npm run lint` checks these files too).
  const write = async (file: string, text: string) => {
    const options = (await prettier.resolveConfig(file)) ?? {};
    await writeFile(file, await prettier.format(text, { ...options, filepath: file }));
  };
  await write(join(outDir, 'results.json'), JSON.stringify({ meta, sections: results }, null, 2));
  await write(join(outDir, 'RESULTS.md'), renderReport(meta, results));
  console.log(
    `\nwrote ${join(outDir, 'RESULTS.md')} and results.json in ${(meta.durationS / 60).toFixed(1)} min`,
  );
  for (const r of results)
    for (const m of r.metrics)
      console.log(
        `${m.verdict === 'missed' ? 'MISSED' : m.verdict === 'met' ? 'met   ' : 'n/a   '} ${m.metric}`,
      );
  const failed = results.filter((r) => r.error);
  for (const r of failed) console.error(`section ${r.section} failed: ${r.error?.split('\n')[0]}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (current) killGroup(current, 'SIGTERM');
    let docker;
    try {
      docker = dockerClient();
    } catch {
      process.exit(130);
    }
    void removeBenchContainers(docker)
      .catch(() => 0)
      .finally(() => process.exit(130));
  });

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
});
