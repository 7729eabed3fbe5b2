import type Docker from 'dockerode';
import type { LogLine } from '../../../shared/servers';
import { createLogReader, readDockerFrames } from '../docker/docker-frames';
import type { SessionLog } from './session-log';

export interface ServerLogsOptions {
  // The server's own container (exec mode), if it has one: its main process's output.
  container: Docker.Container | undefined;
  sessions: SessionLog | undefined;
  server: string;
  tail: number;
  follow: boolean;
  signal?: AbortSignal | undefined;
}

// Docker prefixes each line with an RFC 3339 time when asked for timestamps.
function splitTimestamp(stream: 'stdout' | 'stderr', line: string): LogLine {
  const space = line.indexOf(' ');
  return { stream, at: line.slice(0, space), text: line.slice(space + 1) };
}

// Docker's times have up to nine fraction digits, trailing zeros cut; ours have three. Padded to
// nine, UTC times compare as strings in time order.
export function comparableTime(at: string): string {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(at);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}Z` : at;
}

// Docker's `since` is "seconds.nanoseconds"; the nanoseconds must not be rounded away.
function dockerSince(at: string): string {
  const time = comparableTime(at);
  const seconds = Math.floor((Date.parse(at) || 0) / 1000);
  return `${seconds}.${time.slice(-10, -1)}`;
}

function containerLines(raw: Buffer): LogLine[] {
  const lines: LogLine[] = [];
  for (const frame of readDockerFrames(raw))
    for (const line of frame.text.split('\n')) if (line) lines.push(splitTimestamp(frame.stream, line));
  return lines;
}

// A server's log as the app shows it: its container's output and its MCP sessions' stderr, merged
// by time. Follow goes on until the signal aborts, or the container's log ends (it stopped).
export async function readServerLogs(
  options: ServerLogsOptions,
  onLine: (line: LogLine) => void,
): Promise<void> {
  const { container, sessions, server, tail, follow, signal } = options;
  const readAt = new Date().toISOString();
  const kept = (await sessions?.read(server)) ?? { lines: [], offset: 0 };
  const own = container
    ? containerLines(
        (await container.logs({
          stdout: true,
          stderr: true,
          tail,
          timestamps: true,
          follow: false,
        })) as unknown as Buffer,
      )
    : [];
  // Sorting is stable: lines of one source with the same time keep their order.
  const merged = [...kept.lines, ...own]
    .map((line) => ({ line, time: comparableTime(line.at) }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))
    .map(({ line }) => line);
  for (const line of tail === 0 ? [] : merged.slice(-tail)) onLine(line);
  if (!follow) return;

  // From here on only what is new: after the last container line shown (or the read above).
  const last = own.at(-1)?.at;
  const since =
    last && comparableTime(last) > comparableTime(readAt) ? comparableTime(last) : comparableTime(readAt);
  const stops: Array<() => void> = [];
  await new Promise<void>((resolve) => {
    const finish = () => {
      stops.forEach((stop) => stop());
      resolve();
    };
    if (signal?.aborted) return finish();
    signal?.addEventListener('abort', finish, { once: true });
    if (sessions) stops.push(sessions.follow(server, kept.offset, onLine, signal));
    if (!container) return;
    void container
      .logs({
        stdout: true,
        stderr: true,
        follow: true,
        timestamps: true,
        since: dockerSince(since) as unknown as number,
      })
      .then((stream) => {
        stops.push(() => (stream as unknown as { destroy: () => void }).destroy());
        const partial = { stdout: '', stderr: '' };
        const take = (kind: 'stdout' | 'stderr') => (chunk: Buffer) => {
          const parts = (partial[kind] + chunk.toString('utf8')).split('\n');
          partial[kind] = parts.pop() ?? '';
          for (const part of parts) {
            const line = splitTimestamp(kind, part);
            if (comparableTime(line.at) > since) onLine(line);
          }
        };
        stream.on('data', createLogReader({ stdout: take('stdout'), stderr: take('stderr') }));
        stream.on('end', finish);
        stream.on('close', finish);
      })
      .catch(finish);
  });
}
