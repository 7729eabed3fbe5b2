import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths';

// The peers are devDependencies; their entry points and versions come from their package.json.
export function peerPackage(name: string): { version: string; bin: string; dir: string } {
  const dir = join(ROOT, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
    bin?: string | Record<string, string>;
  };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (Object.values(pkg.bin ?? {})[0] ?? '');
  return { version: pkg.version, bin: bin ? join(dir, bin) : '', dir };
}
