import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { optional?: boolean; link?: boolean; engines?: { node?: string } }>;
};

type Version = [number, number, number];

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

// Enough of npm's semver ranges for `engines.node` (comparators, ^, ~, x-ranges, ||) to say
// whether one exact version satisfies them. Kept here rather than importing semver, which is only
// a transitive dependency.
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alternative) => {
    const comparators = [
      ...alternative.matchAll(/(<=|>=|<|>|=|\^|~)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?/g),
    ];
    if (alternative.trim() === '' || alternative.trim() === '*') return true;
    return comparators.every(([, op = '', ...parts]) => {
      const given = parts.filter((p) => p !== undefined && !/^[xX*]$/.test(p)).map(Number);
      const low: Version = [given[0] ?? 0, given[1] ?? 0, given[2] ?? 0];
      // The first version past a partial one: 20 -> 21.0.0, 20.19 -> 20.20.0.
      const next = (count: number): Version =>
        count === 0
          ? [Infinity, 0, 0]
          : count === 1
            ? [low[0] + 1, 0, 0]
            : count === 2
              ? [low[0], low[1] + 1, 0]
              : [low[0], low[1], low[2] + 1];
      const c = compare(version, low);
      switch (op) {
        case '>=':
          return c >= 0;
        case '>':
          return compare(version, next(given.length)) >= 0;
        case '<':
          return c < 0;
        case '<=':
          return compare(version, next(given.length)) < 0;
        case '^':
          return c >= 0 && compare(version, low[0] > 0 ? [low[0] + 1, 0, 0] : next(given.length)) < 0;
        case '~':
          return c >= 0 && compare(version, next(Math.min(given.length, 2))) < 0;
        default:
          return c >= 0 && compare(version, next(given.length)) < 0;
      }
    });
  });
}

// What `npm ci` checks and warns about (EBADENGINE) for the oldest Node.js we support.
function unsupportedOn(version: Version): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && !entry.optional && !entry.link)
    .filter(([, entry]) => entry.engines?.node !== undefined && !satisfies(version, entry.engines.node))
    .map(([path]) => path.replace(/^.*node_modules\//, ''))
    .sort();
}

describe('the Node.js versions MCP Dock supports', () => {
  it('reads engine ranges as npm does', () => {
    const v: Version = [20, 19, 0];
    for (const range of [
      '>=20.19',
      '^20.19.0 || >=22.12.0',
      '20 || >=22',
      '>= 0.4',
      '*',
      '>=16 || 14 >=14.17',
    ])
      expect([range, satisfies(v, range)]).toEqual([range, true]);
    for (const range of [
      '>=22.12.0',
      '>=22.0.0',
      '^20.20.0',
      '<20',
      '>20',
      '~20.18.0',
      '18 || >=22',
      '>=6 <7',
    ])
      expect([range, satisfies(v, range)]).toEqual([range, false]);
  });

  it('are what every package npm ci installs supports', () => {
    const oldest = /^>=\s*(\d+)\.(\d+)$/.exec(manifest.engines.node);
    expect(oldest, `engines.node is ${manifest.engines.node}`).not.toBeNull();
    // electron-builder stays on 25: 26 rebuilds with @electron/rebuild 4 and node-abi 4, which
    // have no release for Node.js 20.
    expect(unsupportedOn([Number(oldest![1]), Number(oldest![2]), 0])).toEqual([]);
  });
});
