import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint guard that keeps every failure a DockError subclass (eslint.config.mjs): raw codes
// nowhere in src, and no plain Error in core or shared, tests aside.
const root = join(__dirname, '..');
const eslint = new ESLint({ cwd: root });

async function flagged(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const RAW =
  "import { DockError } from '../../shared/errors';\nexport const e = new DockError('INTERNAL', 'x');\n";
const PLAIN = [
  "export function f(): never { throw new Error('x'); }",
  "export const p = () => Promise.reject(new TypeError('x'));",
  "export function g(): never { throw Error('x'); }",
  'export class E extends Error {}',
].join('\n');

describe('the error lint guard', () => {
  it.each(['src/main/core/x/y.ts', 'src/shared/y.ts', 'src/main/cli/y.ts', 'src/renderer/src/y.ts'])(
    'refuses `new DockError(` in %s',
    async (file) => {
      expect(await flagged(file, RAW)).toEqual([expect.stringMatching(/DockError subclass/)]);
    },
  );

  it.each(['src/main/core/x/y.ts', 'src/shared/y.ts'])('refuses plain errors in %s', async (file) => {
    expect(await flagged(file, PLAIN)).toHaveLength(4);
  });

  it('leaves tests, the CLI and the shell their plain errors', async () => {
    expect(await flagged('src/main/core/x/y.test.ts', `${RAW}${PLAIN}`)).toEqual([]);
    expect(await flagged('src/main/shell/y.ts', PLAIN)).toEqual([]);
    expect(await flagged('src/main/cli/y.ts', PLAIN)).toEqual([]);
  });
}, 60_000);
