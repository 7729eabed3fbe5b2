// Guards electron-builder.yml. electron-builder only validates its config when a
// release build runs, which is slow and rarely done locally; validating here
// against the schema shipped in node_modules catches typos offline and pins the
// values the rest of the project relies on (app id, targets, icons).

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG_PATH = resolve(ROOT, 'electron-builder.yml');
// The schema electron-builder itself validates against, so this test agrees
// with the installed electron-builder version rather than with its docs site.
const SCHEMA_PATH = resolve(ROOT, 'node_modules/app-builder-lib/scheme.json');

type Config = Record<string, unknown>;

function loadConfig(): Config {
  const parsed: unknown = load(readFileSync(CONFIG_PATH, 'utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('electron-builder.yml must contain a mapping at the top level');
  }
  return parsed as Config;
}

function makeValidator(): (config: unknown) => string[] {
  const schema: unknown = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  // strict: false because the generated schema uses a non-standard `typeof` keyword
  // (for function-valued hooks) that ajv's strict mode refuses to compile; ajv then
  // ignores it, and every other constraint is still enforced.
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema as object);
  return (config) => {
    if (validate(config)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
    );
  };
}

/** Reads width and height from a PNG's IHDR chunk without decoding the image. */
function pngSize(path: string): { width: number; height: number } {
  const buf = readFileSync(path);
  const signature = '89504e470d0a1a0a';
  if (buf.subarray(0, 8).toString('hex') !== signature) throw new Error(`${path} is not a PNG`);
  // The IHDR chunk must come first: 4-byte length, 'IHDR', then width and height.
  if (buf.toString('ascii', 12, 16) !== 'IHDR') throw new Error(`${path} has no leading IHDR chunk`);
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Normalises electron-builder's many `target` spellings to a list of target names. */
function targetNames(platform: unknown): string[] {
  if (platform === null || typeof platform !== 'object') return [];
  const target = (platform as Config).target;
  const list = Array.isArray(target) ? target : [target];
  return list.flatMap((t: unknown) => {
    if (typeof t === 'string') return [t];
    if (t !== null && typeof t === 'object' && typeof (t as Config).target === 'string') {
      return [(t as Config).target as string];
    }
    return [];
  });
}

describe('electron-builder.yml', () => {
  const validate = makeValidator();

  it('validates against electron-builder’s own JSON schema', () => {
    const errors = validate(loadConfig());
    expect(errors, `schema errors:\n${errors.join('\n')}`).toEqual([]);
  });

  it('pins identity, packaging and the four release targets', () => {
    const config = loadConfig();
    expect(config.appId).toBe('io.mcpdock.app');
    expect(config.productName).toBe('MCP Dock');
    expect(config.asar).toBe(true);
    expect(config.directories).toMatchObject({ output: 'dist', buildResources: 'resources' });

    const files = config.files as unknown[];
    expect(files).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    // Sources must never be packaged; only the compiled bundle ships.
    expect(files.some((f) => typeof f === 'string' && /^!?src\b/.test(f) && !f.startsWith('!'))).toBe(false);

    expect(targetNames(config.linux)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targetNames(config.mac)).toContain('dmg');
    expect(targetNames(config.win)).toContain('nsis');
    expect((config.linux as Config).category).toBe('Development');
    expect((config.mac as Config).category).toBe('public.app-category.developer-tools');
  });

  it('references icon files that exist, with a large enough app icon', () => {
    const config = loadConfig();
    const icons = [
      config.icon,
      ...['linux', 'mac', 'win'].map((p) => (config[p] as Config | undefined)?.icon),
    ].filter((i): i is string => typeof i === 'string');
    expect(icons).toContain('resources/icon.png');
    for (const icon of icons) expect(existsSync(resolve(ROOT, icon)), `${icon} is missing`).toBe(true);

    // Explicitly listed resource files (e.g. the tray icon) must exist too, or
    // electron-builder silently packages nothing for them.
    for (const f of config.files as unknown[]) {
      if (typeof f === 'string' && f.startsWith('resources/') && !/[*?{]/.test(f)) {
        expect(existsSync(resolve(ROOT, f)), `${f} is missing`).toBe(true);
      }
    }

    // electron-builder needs at least 512x512 to produce a macOS .icns.
    const { width, height } = pngSize(resolve(ROOT, 'resources/icon.png'));
    expect(width).toBeGreaterThanOrEqual(512);
    expect(height).toBe(width);
  });

  it('rejects invalid configs (proves the validator is really checking)', () => {
    const valid = loadConfig();
    expect(validate({ ...valid, appIdentifier: 'io.mcpdock.app' })).not.toEqual([]);
    expect(validate({ ...valid, asar: 'yes' })).not.toEqual([]);
    expect(validate({ ...valid, linux: { ...(valid.linux as Config), target: 42 } })).not.toEqual([]);
  });
});
