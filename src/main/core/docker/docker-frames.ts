// Docker's multiplexed attach/exec stream (Tty off): each frame is an 8-byte header (stream type:
// 0 stdin, 1 stdout, 2 stderr; three zero bytes; payload length, big-endian uint32) and then the
// payload. Parsed here in place of dockerode's demuxStream, which pipes every frame through two
// PassThrough streams: on the gateway's per-call path that was a measurable share of the CPU.
export interface FrameHandlers {
  stdout: (payload: Buffer) => void;
  stderr: (payload: Buffer) => void;
  // The engine sent something that is not a frame: the stream cannot be read any further as
  // frames. `rest` is what arrived from that header on.
  invalid: (reason: string, rest: Buffer) => void;
}

const HEADER = 8;

export function createFrameReader(handlers: FrameHandlers): (chunk: Buffer) => void {
  let pending: Buffer | undefined;
  let broken = false;
  return (chunk) => {
    if (broken) return;
    const data = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    let offset = 0;
    while (data.length - offset >= HEADER) {
      const type = data[offset]!;
      if (type > 2 || data[offset + 1] !== 0 || data[offset + 2] !== 0 || data[offset + 3] !== 0) {
        broken = true;
        handlers.invalid(
          `unexpected frame header ${data.subarray(offset, offset + HEADER).toString('hex')}`,
          data.subarray(offset),
        );
        return;
      }
      const size = data.readUInt32BE(offset + 4);
      if (data.length - offset - HEADER < size) break;
      const payload = data.subarray(offset + HEADER, offset + HEADER + size);
      offset += HEADER + size;
      // Stdin frames never come back from the engine; ignore rather than guess.
      if (type === 1) handlers.stdout(payload);
      else if (type === 2) handlers.stderr(payload);
    }
    if (offset < data.length) pending = Buffer.from(data.subarray(offset));
  };
}

export interface DockerFrame {
  stream: 'stdout' | 'stderr';
  text: string;
}

// A container's log, where a container made with a TTY (one the user adopted) sends its output
// unframed: from the first header that is not a frame on, everything is taken as raw stdout, as
// dockerode's demuxStream does. An MCP session's stream has no such excuse (see the transport).
export function createLogReader(handlers: Omit<FrameHandlers, 'invalid'>): (chunk: Buffer) => void {
  let raw = false;
  const framed = createFrameReader({
    ...handlers,
    invalid: (_reason, rest) => {
      raw = true;
      if (rest.length > 0) handlers.stdout(rest);
    },
  });
  return (chunk) => (raw ? handlers.stdout(chunk) : framed(chunk));
}

// The same when the whole log arrives as one buffer (read without follow).
export function readDockerFrames(buffer: Buffer): DockerFrame[] {
  const frames: DockerFrame[] = [];
  createLogReader({
    stdout: (payload) => frames.push({ stream: 'stdout', text: payload.toString('utf8') }),
    stderr: (payload) => frames.push({ stream: 'stderr', text: payload.toString('utf8') }),
  })(buffer);
  return frames;
}
