import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';

// Runs a Node program inside a running container, as `docker exec` does, and returns what it
// printed (stdout and stderr), trimmed.
export async function execNode(
  docker: Docker,
  container: string,
  program: string,
  args: readonly string[] = [],
): Promise<string> {
  const exec = await docker.getContainer(container).exec({
    Cmd: ['node', '-e', program, ...args],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  docker.modem.demuxStream(stream, out, out);
  await new Promise((resolve) => stream.on('end', resolve));
  return text.trim();
}
