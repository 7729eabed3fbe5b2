import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRendererBuilt } from './renderer-files';

describe('RendererNotBuiltError', () => {
  it('says where the UI was looked for and how to build it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mcp-dock-no-ui-'));
    await expect(assertRendererBuilt(root)).rejects.toMatchObject({
      name: 'RendererNotBuiltError',
      code: 'INTERNAL',
      message: `The UI is not built (no ${join(root, 'index.html')}). Run \`npm run build\` first.`,
    });
  });
});
