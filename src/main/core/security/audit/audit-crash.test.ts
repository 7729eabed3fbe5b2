import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, verifyAuditDir } from './index';

// The crash test runs the real module in a child process and kills it with SIGKILL in the middle of
// a burst of appends. Vitest transpiles only in its own process, so the module is first bundled
// (TypeScript and zod included) with rolldown, the bundler under Vite, into one .mjs a plain
// `node` can run.
const CHILD = `
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { AuditLog } from './audit.mjs';
const [dir, maxFileBytes, keyFile] = process.argv.slice(2);
// The seal key as a secret store keeps it: made once, found again by the next writer.
const seal = {
  load: () => readFile(keyFile).catch(() => undefined),
  create: async () => {
    const key = randomBytes(32);
    await writeFile(keyFile, key);
    return key;
  },
};
const log = await AuditLog.open(dir, { maxFileBytes: Number(maxFileBytes), seal });
process.stdout.write('ready ' + (log.recovered ? log.recovered.bytes : 0) + '\\n');
for (let round = 0; ; round += 1) {
  // Batches of very different sizes, so the kill lands in small and in large writes (a large
  // write is where the kernel can stop part-way).
  const size = round % 7 === 0 ? 1500 : 1 + (round % 40);
  const batch = [];
  for (let i = 0; i < size; i += 1) {
    batch.push(
      log
        .append({
          event_type: 'tool_call', tool_name: 'read_file', user_id: 'local', client_id: 'crash-test',
          contains_pii: i % 5 === 0, action_taken: 'allowed', parameter_count: i % 3,
          ...(i % 5 === 0 ? { pii_types: { EMAIL_ADDRESS: 1 } } : {}),
          detail: 'x'.repeat(i % 50),
        })
        // Acknowledged only once append has resolved; stdout to a pipe is synchronous on Linux.
        .then((e) => process.stdout.write(e.seq + '\\n')),
    );
  }
  await Promise.all(batch);
}
`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mcp-dock-audit-crash-'));
  await build({
    input: join(__dirname, 'index.ts'),
    platform: 'node',
    logLevel: 'silent',
    output: { file: join(work, 'audit.mjs'), format: 'esm' },
  });
  await writeFile(join(work, 'child.mjs'), CHILD);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const keyFile = () => join(work, 'seal.key');
const sealKey = async () => ({ state: 'found' as const, key: await readFile(keyFile()) });

interface Run {
  acked: number[];
  recoveredBytes: number;
}

// Starts a writer, lets it acknowledge `after` appends, then kills it with SIGKILL.
function runAndKill(dir: string, after: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(work, 'child.mjs'), dir, String(1024 * 1024), keyFile()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let acks = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      acks += chunk.split('\n').length - 1;
      if (acks > after && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    // 'close' comes after the exit has been reaped and stdout drained: the pid is gone, and every
    // acknowledgement the child wrote has been read.
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended by itself (${code}): ${err}`));
      const complete = out
        .slice(0, out.lastIndexOf('\n') + 1)
        .split('\n')
        .slice(0, -1);
      const [ready, ...seqs] = complete;
      if (!ready?.startsWith('ready ')) return reject(new Error(`child never got ready: ${err}`));
      resolve({ acked: seqs.map(Number), recoveredBytes: Number(ready.slice(6)) });
    });
  });
}

describe('AuditLog under kill -9', () => {
  it('loses no acknowledged event, sets a torn line aside on the next open, and keeps one sealed chain', async () => {
    const dir = join(work, 'audit');
    const runs: Run[] = [];
    for (const after of [3000, 9000, 500, 20_000]) {
      const run = await runAndKill(dir, after);
      runs.push(run);
      expect(run.acked.length).toBeGreaterThanOrEqual(after);
      // Before any recovery the chain is intact except, at most, a cut-off last line; the seal is
      // never ahead of what landed (it is written after its records), at most behind it.
      const status = await verifyAuditDir(dir, { sealKey: await sealKey() });
      expect(status.seal?.state).toBe('sealed');
      if (!status.ok) {
        const files = (await readdir(dir)).filter((f) => /^audit(-\d+)?\.jsonl$/.test(f)).sort();
        expect(status.firstProblem).toMatchObject({
          file: files.at(-1),
          reason: expect.stringMatching(/incomplete/),
        });
      }
      expect(status.records).toBeGreaterThanOrEqual(Math.max(...run.acked));
    }

    // Each new writer continued from where the killed one stopped.
    for (const [i, run] of runs.entries()) {
      expect(run.acked).toEqual(run.acked.map((_, k) => run.acked[0]! + k));
      if (i > 0) expect(run.acked[0]).toBeGreaterThan(runs[i - 1]!.acked.at(-1)!);
    }

    const log = await AuditLog.open(dir, {
      seal: {
        load: async () => (await sealKey()).key,
        create: () => Promise.reject(new Error('made twice')),
      },
    });
    const recovered = [...runs.slice(1).map((r) => r.recoveredBytes), log.recovered?.bytes ?? 0];
    await log.close();
    const status = await verifyAuditDir(dir, { sealKey: await sealKey() });
    expect(status).toMatchObject({ ok: true, seal: { state: 'sealed', after: 0 } });
    const everyAck = runs.flatMap((r) => r.acked);
    expect(status.records).toBeGreaterThanOrEqual(Math.max(...everyAck));
    // Sidecars hold exactly what was cut off; nothing is ever deleted.
    const sidecars = (await readdir(dir)).filter((f) => f.includes('.torn-'));
    expect(sidecars.length).toBe(recovered.filter((b) => b > 0).length);
  }, 120_000);
});
