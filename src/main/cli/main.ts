#!/usr/bin/env node
import { runCommand } from './run';

// The entry file: the only place that touches process exit and signals.
const controller = new AbortController();
let interrupted = 0;
const stop = () => {
  interrupted += 1;
  // A second Ctrl-C means "now": do not wait for a slow shutdown.
  if (interrupted > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// A reader that went away first (`| head`, or `| tee` killed by the same Ctrl-C) must not turn a
// clean stop into a crash: output nobody can read is dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const [name, ...argv] = process.argv.slice(2);
runCommand(name, argv, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  signal: controller.signal,
  env: process.env,
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  writeRaw: (data) => process.stdout.write(data),
  stdio: { input: process.stdin, output: process.stdout },
}).then(
  (code) => {
    process.exitCode = code;
    // Leftover sockets or timers must not keep a finished command alive.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`mcp-dock: ${String(error)}\n`);
    process.exit(1);
  },
);
