import { parse, patch } from '@decimalturn/toml-patch';
import { ClientConfigError } from '../../errors';
import { deepEqual } from './deep-equal';

// TOML configs (Codex) keep each entry as its own `[path.name]` table, as the client's docs write
// it. The edit replaces, removes or appends that table's lines and nothing else. toml-patch
// preserves comments too, but it adds a new entry as a dotted key above the first table
// (`mcp_servers.x = {...}`), so it is only the fallback, for entries written some other way
// (inline, dotted); every edit is checked by parsing the result with toml-patch.

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseToml(file: string, text: string): Plain {
  try {
    return parse(text) as Plain;
  } catch (error) {
    throw new ClientConfigError(file, `it is not valid TOML (${(error as Error).message.split('\n')[0]})`, {
      cause: error,
    });
  }
}

export function tomlEntry(root: Plain, path: readonly string[], name: string): unknown {
  let at: unknown = root;
  for (const key of path) at = isPlain(at) ? at[key] : undefined;
  return isPlain(at) && Object.hasOwn(at, name) ? at[name] : undefined;
}

const tomlKey = (key: string) => (/^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key));

// JSON's string escapes are all valid in a TOML basic string. Entries hold strings, string
// lists, string tables and the odd number or boolean; anything else is written as its text.
function tomlValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  if (isPlain(value)) {
    const pairs = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`);
    return pairs.length === 0 ? '{}' : `{ ${pairs.join(', ')} }`;
  }
  return JSON.stringify(String(value));
}

// `[path.name]` and one line per key (tables inline, as the client's docs show `env`).
export function tomlTable(path: readonly string[], name: string, value: Plain, eol = '\n'): string {
  const header = `[${[...path, name].map(tomlKey).join('.')}]`;
  return (
    [header, ...Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`)].join(eol) + eol
  );
}

// A table header's key, segment by segment (quoted segments unquoted), or undefined.
function headerKey(line: string): { key: string[]; array: boolean } | undefined {
  const match = /^\s*(\[\[?)(.*?)(\]\]?)\s*(#.*)?$/.exec(line);
  if (!match || match[1]!.length !== match[3]!.length) return undefined;
  const key: string[] = [];
  const source = match[2]!;
  let at = 0;
  while (at <= source.length) {
    const rest = source.slice(at);
    const part = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*(\.|$)/.exec(rest);
    if (!part) return undefined;
    const raw = part[1]!;
    key.push(
      raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1) : raw,
    );
    at += part[0].length;
    if (part[2] === '') break;
  }
  return { key, array: match[1] === '[[' };
}

const startsWith = (key: string[], prefix: string[]) =>
  key.length >= prefix.length && prefix.every((segment, i) => key[i] === segment);

// A table runs to the next header that is not one of its own sub-tables, less the blank and
// comment lines just above that header (they belong to it).
function tableEnd(
  lines: string[],
  headers: ({ key: string[] } | undefined)[],
  start: number,
  key: string[],
): number {
  let end = start + 1;
  while (end < lines.length && !(headers[end] && !startsWith(headers[end]!.key, key))) end++;
  while (end > start + 1 && /^\s*(#.*)?\r?$/.test(lines[end - 1]!)) end--;
  return end;
}

function sectionEdit(text: string, path: readonly string[], name: string, value: Plain | undefined): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split('\n');
  const target = [...path, name];
  const headers = lines.map((line) => headerKey(line.replace(/\r$/, '')));
  const start = headers.findIndex(
    (h) => h && !h.array && h.key.length === target.length && startsWith(h.key, target),
  );
  if (start === -1) {
    if (value === undefined) return text;
    const table = tomlTable(path, name, value, eol).replace(/\r?\n$/, '');
    // After the last table of the same kind, or at the end.
    const last = headers.findLastIndex(
      (h) => h && h.key.length > path.length && startsWith(h.key, [...path]),
    );
    if (last >= 0) {
      const end = tableEnd(lines, headers, last, headers[last]!.key.slice(0, path.length + 1));
      return [...lines.slice(0, end), '', ...table.split('\n'), ...lines.slice(end)].join('\n');
    }
    const body = text.replace(/\s*$/, '');
    return `${body}${body ? eol + eol : ''}${table}${eol}`;
  }
  const end = tableEnd(lines, headers, start, target);
  const before = lines.slice(0, start);
  const after = lines.slice(end);
  if (value === undefined) {
    // Leave one blank line between the neighbours, not two.
    if (
      before.length > 0 &&
      /^\s*\r?$/.test(before.at(-1)!) &&
      (after.length === 0 || /^\s*\r?$/.test(after[0]!))
    )
      before.pop();
    return [...before, ...after].join('\n');
  }
  const table = tomlTable(path, name, value, eol).replace(/\r?\n$/, '');
  return [...before, ...table.split('\n'), ...after].join('\n');
}

function withEntry(root: Plain, path: readonly string[], name: string, value: unknown): Plain {
  const copy = structuredClone(root);
  let at = copy;
  for (const key of path) {
    if (!isPlain(at[key])) at[key] = {};
    at = at[key] as Plain;
  }
  if (value === undefined) delete at[name];
  else at[name] = value;
  return copy;
}

// Sets (or, with undefined, removes) the entry `name`; the text is returned unchanged when the
// entry already is `value`.
export function setTomlEntry(
  file: string,
  text: string,
  path: readonly string[],
  name: string,
  value: Plain | undefined,
): string {
  const root = parseToml(file, text);
  const current = tomlEntry(root, path, name);
  if (value === undefined ? current === undefined : deepEqual(current, value)) return text;
  const expected = withEntry(root, path, name, value);
  for (const edit of [() => sectionEdit(text, path, name, value), () => patch(text, expected)]) {
    try {
      const next = edit();
      if (deepEqual(parse(next), expected)) return next;
    } catch {
      // The next way, or the error below.
    }
  }
  throw new ClientConfigError(
    file,
    `MCP Dock could not change "${name}" there without changing anything else`,
  );
}
