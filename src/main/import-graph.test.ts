import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The declared import graph must actually refuse what it does not declare: run the project's
// own rules over a small tree that breaks each kind of rule once.
const config = createRequire(__filename)('../../.dependency-cruiser.cjs') as {
  forbidden: unknown[];
  allowed: unknown[];
  allowedSeverity: string;
  options: Record<string, unknown>;
};

const TREE: Record<string, string> = {
  'src/main/core/store/settings.ts': "import { open } from '../servers/open';\nexport const s = open;\n",
  'src/main/core/servers/open.ts': "import { x } from '../store/x';\nexport const open = x;\n",
  'src/main/core/store/x.ts': 'export const x = 1;\n',
  'src/main/core/lib/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
  'src/main/core/lib/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
  'src/main/core/http/root.ts': "import { core } from '../create-core';\nexport const r = core;\n",
  'src/main/core/create-core.ts': 'export const core = 1;\n',
  'src/main/core/newthing/n.ts': "import { x } from '../store/x';\nexport const n = x;\n",
  'src/main/core/docker/cli.ts': "import { run } from '../../cli/run';\nexport const c = run;\n",
  'src/main/cli/run.ts': 'export const run = 1;\n',
  'src/shared/contract.ts': "import { readFileSync } from 'node:fs';\nexport const c = readFileSync;\n",
  'src/renderer/src/features/a/index.ts': "import { y } from '../b/lib/y';\nexport const a = y;\n",
  'src/renderer/src/features/b/lib/y.ts': 'export const y = 1;\n',
};

let root: string;
let result: ICruiseResult;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-dock-import-graph-'));
  for (const [path, text] of Object.entries(TREE)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  const { forbidden, allowed, allowedSeverity, options } = config;
  const output = await cruise(['src'], {
    ...options,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden, allowed, allowedSeverity },
  } as Parameters<typeof cruise>[1]);
  result = output.output as ICruiseResult;
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function broken(from: string): string[] {
  return result.summary.violations
    .filter((v) => v.from === from)
    .map((v) => `${v.rule.name} → ${v.to}`)
    .sort();
}

describe('the declared import graph', () => {
  it('refuses a capability importing one it does not declare', () => {
    expect(broken('src/main/core/store/settings.ts')).toEqual(['core-store → src/main/core/servers/open.ts']);
    expect(broken('src/main/core/servers/open.ts')).toEqual([]);
  });

  it('refuses a cycle', () => {
    expect(broken('src/main/core/lib/a.ts')).toContain('no-circular → src/main/core/lib/b.ts');
  });

  it('refuses a capability reaching back into the composition root', () => {
    expect(broken('src/main/core/http/root.ts')).toContain(
      'core-composition-root → src/main/core/create-core.ts',
    );
  });

  it('refuses a folder of core that is not a declared capability', () => {
    expect(broken('src/main/core/newthing/n.ts')).toEqual([
      'core-capability-declared → src/main/core/store/x.ts',
    ]);
  });

  it('keeps the layers: core never reaches the CLI, shared uses no Node', () => {
    expect(broken('src/main/core/docker/cli.ts')).toEqual(['not-in-allowed → src/main/cli/run.ts']);
    expect(broken('src/shared/contract.ts')).toEqual(['not-in-allowed → fs']);
  });

  it("refuses a feature reaching into another feature's lib", () => {
    expect(broken('src/renderer/src/features/a/index.ts')).toEqual([
      'renderer-feature-index → src/renderer/src/features/b/lib/y.ts',
    ]);
  });
});
