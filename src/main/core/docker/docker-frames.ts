// Non-TTY container logs come as frames: 1 byte stream (1 stdout, 2 stderr), 3 zero bytes, a
// 4-byte big-endian length, then the payload. Used where the whole log arrives as one buffer.
export function readDockerFrames(buffer: Buffer): Array<{ stream: 'stdout' | 'stderr'; text: string }> {
  const frames: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const end = Math.min(buffer.length, offset + 8 + size);
    frames.push({
      stream: kind === 2 ? 'stderr' : 'stdout',
      text: buffer.subarray(offset + 8, end).toString('utf8'),
    });
    offset = end;
  }
  return frames;
}
