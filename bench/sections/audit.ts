import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEventInput } from '../../src/shared/audit';
import { APP_SEAL_DELAY_MS, AuditLog, verifyAuditDir } from '../../src/main/core/security/audit';
import { num, spread, table } from '../lib/format';
import { row, type MetricRow } from '../lib/result';
import { runSection } from '../lib/section';
import { repeat, type Summary } from '../lib/stats';

// 5. Audit log: events/s appended with the log's durability (each batch written to the O_APPEND
// file before the append resolves, the seal overwritten at most APP_SEAL_DELAY_MS later, as the
// app does; fsync on rotation and close), and
// `audit verify` (chain and sealed head) on 1,000,000 events. The reference is what an app without a tamper-evident log would do: JSON lines written
// straight to a file, no validation, no hash chain; and for verify, reading and hashing the files.

const event = (i: number): AuditEventInput => ({
  event_type: 'tool_call',
  tool_name: i % 3 === 0 ? 'read_file' : 'echo',
  user_id: 'user-1',
  client_id: 'bench-client',
  contains_pii: i % 10 === 0,
  action_taken: i % 10 === 0 ? 'masked' : 'allowed',
  parameter_count: 1 + (i % 3),
  ...(i % 10 === 0 ? { pii_types: { EMAIL_ADDRESS: 1 } } : {}),
  server: 'everything',
  outcome: 'ok',
  duration_ms: 3 + (i % 17),
});

runSection('audit', '5. Audit log', async (ctx) => {
  const runs = ctx.quick ? 2 : 5;
  const total = ctx.quick ? 200_000 : 1_000_000;
  // The timed runs (and their warm-ups) fill the log; what is left to reach `total` is added
  // after, so verify runs on exactly `total` events.
  const per = Math.floor(total / (2 * (runs + 1)) / 100) * 100;
  const dir = join(await mkdtemp(join(tmpdir(), 'mcp-dock-bench-audit-')), 'audit');
  // Sealed as the app seals it; the key would be in the secret store.
  const sealKey = randomBytes(32);
  const log = await AuditLog.open(dir, {
    seal: { load: async () => sealKey, create: async () => sealKey },
    sealDelayMs: APP_SEAL_DELAY_MS,
  });
  let i = 0;
  const sequential = async (n: number) => {
    const t0 = performance.now();
    for (let k = 0; k < n; k++) await log.append(event(i++));
    return n / ((performance.now() - t0) / 1000);
  };
  const burst = async (n: number) => {
    const t0 = performance.now();
    for (let k = 0; k < n; k += 100) {
      const batch: Promise<unknown>[] = [];
      for (let j = 0; j < 100; j++) batch.push(log.append(event(i++)));
      await Promise.all(batch);
    }
    return n / ((performance.now() - t0) / 1000);
  };
  const seq = await repeat({ warmup: 1, runs }, () => sequential(per));
  ctx.log(`sequential appends: ${spread(seq.summary, 'events/s')}`);
  const bursts = await repeat({ warmup: 1, runs }, () => burst(per));
  ctx.log(`100 appends per tick: ${spread(bursts.summary, 'events/s')}`);
  const fillT0 = performance.now();
  while (i < total) {
    const n = Math.min(100_000, total - i);
    const batch: Promise<unknown>[] = [];
    for (let k = 0; k < n; k++) batch.push(log.append(event(i++)));
    await Promise.all(batch);
  }
  ctx.log(`filled to ${i} events (${((performance.now() - fillT0) / 1000).toFixed(1)} s)`);
  await log.close();
  const files = await readdir(dir);
  let bytes = 0;
  for (const f of files) bytes += (await stat(join(dir, f))).size;

  const verify = await repeat({ warmup: 1, runs: ctx.quick ? 1 : 3 }, async () => {
    const t0 = performance.now();
    const status = await verifyAuditDir(dir, { sealKey: { state: 'found', key: sealKey } });
    if (!status.ok || status.records !== i) throw new Error(`verify failed: ${JSON.stringify(status)}`);
    return (performance.now() - t0) / 1000;
  });
  ctx.log(`verify ${i} events: ${spread(verify.summary, 's')}`);

  // References: plain JSON lines, and hashing each line of the same files once.
  const rawDir = await mkdtemp(join(tmpdir(), 'mcp-dock-bench-rawlog-'));
  const fd = openSync(join(rawDir, 'log.jsonl'), 'a', 0o600);
  let r = 0;
  const rawSequential = async (n: number) => {
    const t0 = performance.now();
    for (let k = 0; k < n; k++) {
      writeSync(fd, `${JSON.stringify({ seq: ++r, timestamp: new Date().toISOString(), ...event(r) })}\n`);
      await null;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  const rawBurst = async (n: number) => {
    const t0 = performance.now();
    for (let k = 0; k < n; k += 100) {
      let chunk = '';
      for (let j = 0; j < 100; j++)
        chunk += `${JSON.stringify({ seq: ++r, timestamp: new Date().toISOString(), ...event(r) })}\n`;
      writeSync(fd, chunk);
      await null;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  const rawSeq = await repeat({ warmup: 1, runs }, () => rawSequential(per));
  const rawBursts = await repeat({ warmup: 1, runs }, () => rawBurst(per));
  closeSync(fd);
  // The floor for any check that hashes every byte: read the files and SHA-256 them, once.
  const hashFiles = await repeat({ warmup: 1, runs: ctx.quick ? 1 : 3 }, async () => {
    const t0 = performance.now();
    for (const f of await readdir(dir))
      createHash('sha256')
        .update(await readFile(join(dir, f)))
        .digest();
    return (performance.now() - t0) / 1000;
  });
  ctx.log(
    `references: ${spread(rawSeq.summary, '/s')} sequential, ${spread(rawBursts.summary, '/s')} bursts, read + hash the files ${spread(hashFiles.summary, 's')}`,
  );

  ctx.raw = {
    sequential: seq.summary,
    bursts: bursts.summary,
    verifyS: verify.summary,
    events: i,
    bytes,
    files: files.length,
    rawSequential: rawSeq.summary,
    rawBursts: rawBursts.summary,
    hashFilesS: hashFiles.summary,
  };
  const scaled = (s: Summary, factor: number): Summary => ({
    median: s.median * factor,
    p25: s.p25 * factor,
    p75: s.p75 * factor,
    min: s.min * factor,
    max: s.max * factor,
    n: s.n,
  });
  // In --quick the log is smaller; verify time is scaled to 1,000,000 events (it is linear).
  const to1M = 1_000_000 / i;
  const metrics: MetricRow[] = [
    row({
      id: 'audit.append-sequential',
      metric: 'Audit: events/s appended, one at a time (each append awaited before the next)',
      unit: 'events/s',
      better: 'higher',
      ours: seq.summary,
      peer: { name: 'plain JSON lines, write(2) per event', value: rawSeq.summary },
      target: '≥ 20,000 events/s',
      pass: seq.summary.median >= 20_000,
    }),
    row({
      id: 'audit.append-burst',
      metric: 'Audit: events/s appended, 100 concurrent appends per tick',
      unit: 'events/s',
      better: 'higher',
      ours: bursts.summary,
      peer: { name: 'plain JSON lines, one write(2) per 100', value: rawBursts.summary },
      target: '≥ 20,000 events/s',
      pass: bursts.summary.median >= 20_000,
    }),
    row({
      id: 'audit.verify-1m',
      metric: `Audit: \`audit verify\` of 1,000,000 events${to1M !== 1 ? ` (scaled from ${i.toLocaleString('en-US')})` : ''}`,
      unit: 's',
      better: 'lower',
      ours: scaled(verify.summary, to1M),
      peer: { name: 'read + SHA-256 the same files once', value: scaled(hashFiles.summary, to1M) },
      target: '≤ 5 s',
      pass: verify.summary.median * to1M <= 5,
    }),
  ];
  ctx.details.push(
    'Durability, as chosen in `AuditLog` (src/main/core/security/audit/audit-log.ts): appends made in the same tick are validated, hash-chained and written together in one `write(2)` to an `O_APPEND` file before their promises resolve; ' +
      'that survives the process being killed, not the machine losing power (no fsync per event; the file is fsynced on rotation, every 10 MB, and on close). ' +
      `Events are tool-call records like the gateway's (about ${Math.round(bytes / i)} bytes a line). ` +
      `${runs} runs of ${per.toLocaleString('en-US')} appends after one warm-up run; then the log is filled to ${i.toLocaleString('en-US')} events (${num(bytes / 1e6)} MB in ${files.length} files) and verified with \`verifyAuditDir\` (what \`mcp-dock audit verify\` runs).`,
  );
  ctx.details.push(
    table(
      ['What', 'Ours', 'Reference'],
      [
        ['Appends, one at a time (events/s)', spread(seq.summary), spread(rawSeq.summary)],
        ['Appends, 100 per tick (events/s)', spread(bursts.summary), spread(rawBursts.summary)],
        [`Verify ${i.toLocaleString('en-US')} events (s)`, spread(verify.summary), spread(hashFiles.summary)],
      ],
    ),
  );
  return metrics;
});
