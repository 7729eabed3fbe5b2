import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { requireEngine } from './docker-engine';
import { ensureTestImage, TEST_IMAGE_REPO } from './test-image';

const run = promisify(execFile);

describe('offline test image', async () => {
  const engine = await requireEngine();

  it.skipIf(!engine)(
    'is built from the host node and npm packages, cached, and its servers speak MCP on stdio',
    async () => {
      const docker = new Docker({ socketPath: engine!.socketPath });
      const ref = await ensureTestImage(docker);
      expect(ref.startsWith(`${TEST_IMAGE_REPO}:`)).toBe(true);
      // Second call hits the cache: the same image, not a rebuild (how fast is bench/'s business).
      const { Id: built } = await docker.getImage(ref).inspect();
      expect(await ensureTestImage(docker)).toBe(ref);
      expect((await docker.getImage(ref).inspect()).Id).toBe(built);

      const init = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
      });
      const child = run(
        'docker',
        [
          'run',
          '-i',
          '--rm',
          '--network',
          'none',
          ref,
          'sh',
          '-c',
          `echo '${init}' | mcp-server-sequential-thinking`,
        ],
        {
          env: { ...process.env, DOCKER_HOST: `unix://${engine!.socketPath}` },
          timeout: 60_000,
        },
      );
      const { stdout } = await child;
      expect(JSON.parse(stdout.split('\n')[0]!)).toMatchObject({
        id: 1,
        result: { serverInfo: { name: expect.any(String) } },
      });
    },
    300_000,
  );
});
