// Commands write through this instead of process.stdout so tests can read what they print and
// stop long-running commands without signals.
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  // Aborted when the user asks to stop (Ctrl-C in the entry file, a test otherwise).
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  // Whole standard input, for commands that read data (crypto, secrets).
  stdin?: () => Promise<Buffer>;
  // Bytes to standard output as they are, with no newline added (decrypted data).
  writeRaw?: (data: Buffer) => void;
  // The raw streams, for commands that speak a protocol on them (MCP over stdio).
  stdio?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };
}

export type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;
