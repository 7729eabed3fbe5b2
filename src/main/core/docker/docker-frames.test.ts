import { describe, expect, it } from 'vitest';
import { createFrameReader, createLogReader, readDockerFrames } from './docker-frames';

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

function reader() {
  const out: string[] = [];
  const err: string[] = [];
  const invalid: string[] = [];
  const read = createFrameReader({
    stdout: (p) => out.push(p.toString()),
    stderr: (p) => err.push(p.toString()),
    invalid: (r) => invalid.push(r),
  });
  return { read, out, err, invalid };
}

describe('Docker stream frames', () => {
  it('splits stdout from stderr, several frames to a chunk', () => {
    const r = reader();
    r.read(Buffer.concat([frame(1, '{"a":1}\n'), frame(2, 'warn'), frame(1, '{"b":2}\n')]));
    expect(r.out).toEqual(['{"a":1}\n', '{"b":2}\n']);
    expect(r.err).toEqual(['warn']);
    expect(r.invalid).toEqual([]);
  });

  it('reassembles frames cut anywhere, header included, byte by byte', () => {
    const r = reader();
    const bytes = Buffer.concat([frame(1, 'héllo '), frame(2, 'oops'), frame(1, 'world'), frame(1, '')]);
    for (const byte of bytes) r.read(Buffer.from([byte]));
    expect(r.out.join('')).toBe('héllo world');
    expect(r.err).toEqual(['oops']);
  });

  it('stops at a header that is not a frame, and says so once', () => {
    const r = reader();
    r.read(Buffer.concat([frame(1, 'ok'), Buffer.from('HTTP/1.1 500 oops\r\n'), frame(1, 'later')]));
    expect(r.out).toEqual(['ok']);
    expect(r.invalid).toHaveLength(1);
    expect(r.invalid[0]).toMatch(/unexpected frame header 48545450/);
    r.read(frame(1, 'more'));
    expect(r.out).toEqual(['ok']);
  });

  it('reads a whole log at once, the same frames as a stream', () => {
    expect(readDockerFrames(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toEqual([
      { stream: 'stdout', text: 'out\n' },
      { stream: 'stderr', text: 'err\n' },
    ]);
  });

  it('takes a log that stops being framed (a TTY container) as raw stdout from there on', () => {
    const tty = 'HTTP-less raw output\n';
    expect(readDockerFrames(Buffer.concat([frame(2, 'before'), Buffer.from(tty)]))).toEqual([
      { stream: 'stderr', text: 'before' },
      { stream: 'stdout', text: tty },
    ]);
    const out: string[] = [];
    const read = createLogReader({ stdout: (p) => out.push(p.toString()), stderr: () => undefined });
    read(Buffer.from('a raw first line\n'));
    read(frame(1, 'looks framed, still raw'));
    expect(out.join('')).toBe(`a raw first line\n${frame(1, 'looks framed, still raw').toString()}`);
  });
});
