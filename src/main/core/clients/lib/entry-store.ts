import { stringify } from 'yaml';
import type { EntryPlace } from '../client-kinds/client-kind';
import { deepEqual } from './deep-equal';
import { objectAt, parseJsonc, setJsoncEntry } from './jsonc-entries';
import { parseToml, setTomlEntry, tomlEntry, tomlTable } from './toml-entries';
import { parseYaml, setYamlEntry, yamlEntry } from './yaml-entries';

// One entry in a client's config document, whatever its format: read, written, or shown in
// place (the snippet).

type Plain = Record<string, unknown>;

// A missing config file reads as this.
export function emptyConfig(place: EntryPlace, newFile?: string): string {
  return newFile ?? (place.kind === 'json-map' ? '{}\n' : '');
}

export function readEntry(file: string, text: string, place: EntryPlace, name: string): unknown {
  switch (place.kind) {
    case 'json-map': {
      const entries = objectAt(parseJsonc(file, text), place.path);
      return entries && Object.hasOwn(entries, name) ? entries[name] : undefined;
    }
    case 'yaml-map':
    case 'yaml-list':
      return yamlEntry(parseYaml(file, text), place, name);
    case 'toml-table':
      return tomlEntry(parseToml(file, text), place.path, name);
  }
}

// The text with the entry set to `value` (undefined: removed); the same text when it already was.
// Throws ClientConfigError for a file it cannot understand.
export function writeEntry(
  file: string,
  text: string,
  place: EntryPlace,
  name: string,
  value: unknown,
): string {
  switch (place.kind) {
    case 'json-map': {
      const current = readEntry(file, text, place, name);
      if (value === undefined ? current === undefined : deepEqual(current, value)) return text;
      return setJsoncEntry(text, place.path, name, value);
    }
    case 'yaml-map':
    case 'yaml-list':
      return setYamlEntry(file, text, place, name, value);
    case 'toml-table':
      return setTomlEntry(file, text, place.path, name, value as Plain | undefined);
  }
}

// The entry inside its place, as text to merge into the client's config.
export function entryText(place: EntryPlace, name: string, value: unknown): string {
  if (place.kind === 'toml-table') return tomlTable(place.path, name, value as Plain);
  const inner: unknown = place.kind === 'yaml-list' ? [value] : { [name]: value };
  const nested = place.path.reduceRight<unknown>((acc, key) => ({ [key]: acc }), inner);
  return place.kind === 'json-map'
    ? `${JSON.stringify(nested, null, 2)}\n`
    : stringify(nested, { lineWidth: 0 });
}
