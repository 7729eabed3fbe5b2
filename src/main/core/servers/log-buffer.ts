import type { LogLine } from '../../../shared/servers';

export const MAX_LOG_LINES = 1000;
export const MAX_LINE_CHARS = 4000;

// A bounded ring of log lines per server: a chatty server can run for days without growing
// memory. Partial lines wait for their newline per stream.
export class LogBuffer {
  readonly #lines: LogLine[] = [];
  readonly #partial = { stdout: '', stderr: '' };

  append(stream: 'stdout' | 'stderr', chunk: string, now: Date = new Date()): LogLine[] {
    const text = this.#partial[stream] + chunk;
    const parts = text.split(/\r?\n/);
    this.#partial[stream] = (parts.pop() ?? '').slice(-MAX_LINE_CHARS);
    const added = parts.map((line) => ({
      stream,
      text: line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line,
      at: now.toISOString(),
    }));
    this.#lines.push(...added);
    if (this.#lines.length > MAX_LOG_LINES) this.#lines.splice(0, this.#lines.length - MAX_LOG_LINES);
    return added;
  }

  snapshot(): LogLine[] {
    return [...this.#lines];
  }

  tail(n: number): string[] {
    return this.#lines.slice(-n).map((l) => l.text);
  }

  clear(): void {
    this.#lines.length = 0;
    this.#partial.stdout = '';
    this.#partial.stderr = '';
  }
}
