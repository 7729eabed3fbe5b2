import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Node as YamlNode } from 'yaml';
import { ClientConfigError } from '../../errors';
import { deepEqual } from './deep-equal';

// YAML configs (Goose, Continue) are edited as text: the lines of the one entry are replaced,
// removed or added, at the indentation the file already uses, and every other byte stays. The
// yaml package's Document finds the entry (node ranges) and writes the new lines; re-printing
// the whole Document would keep comments but re-indent other entries (serde_yaml, which writes
// Goose's file, does not indent sequences; yaml does). Each edit is checked by parsing the
// result; one the text edit cannot make (a flow-style `{...}` list of entries, say) falls back
// to the Document API, which keeps comments but may re-format.

export type YamlPlace =
  { kind: 'yaml-map'; path: readonly string[] } | { kind: 'yaml-list'; path: readonly string[]; key: string };

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(file: string, text: string): Document {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) throw new ClientConfigError(file, `it is not valid YAML (${error.message.split('\n')[0]})`);
  if (doc.contents !== null && !isMap(doc.contents))
    throw new ClientConfigError(file, 'its top level is not a YAML mapping');
  return doc;
}

export function parseYaml(file: string, text: string): Plain {
  const value: unknown = parse(file, text).toJS();
  return isPlain(value) ? value : {};
}

function containerOf(root: Plain, path: readonly string[]): unknown {
  let at: unknown = root;
  for (const key of path) at = isPlain(at) ? at[key] : undefined;
  return at;
}

export function yamlEntry(root: Plain, place: YamlPlace, name: string): unknown {
  const container = containerOf(root, place.path);
  if (place.kind === 'yaml-map')
    return isPlain(container) && Object.hasOwn(container, name) ? container[name] : undefined;
  return Array.isArray(container)
    ? container.find((item) => isPlain(item) && item[place.key] === name)
    : undefined;
}

function withEntry(root: Plain, place: YamlPlace, name: string, value: unknown): Plain {
  const copy = structuredClone(root);
  let parent = copy;
  for (const key of place.path.slice(0, -1)) {
    if (!isPlain(parent[key])) parent[key] = {};
    parent = parent[key] as Plain;
  }
  const last = place.path.at(-1)!;
  if (place.kind === 'yaml-map') {
    if (!isPlain(parent[last])) parent[last] = {};
    const map = parent[last] as Plain;
    if (value === undefined) delete map[name];
    else map[name] = value;
  } else {
    if (!Array.isArray(parent[last])) parent[last] = [];
    const list = parent[last] as unknown[];
    const at = list.findIndex((item) => isPlain(item) && item[place.key] === name);
    if (value === undefined) list.splice(at, 1);
    else if (at >= 0) list[at] = value;
    else list.push(value);
  }
  return copy;
}

const lineStart = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
const lineEnd = (text: string, pos: number) => {
  const at = text.indexOf('\n', pos);
  return at === -1 ? text.length : at + 1;
};

// `value` as block YAML lines at `indent`, ending with a line break.
function lines(value: unknown, indent: number, eol: string): string {
  const body = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return `${body
    .split('\n')
    .map((line) => ' '.repeat(indent) + line)
    .join(eol)}${eol}`;
}

interface Span {
  start: number;
  end: number;
  indent: number;
}

// The lines of one entry of a block mapping or sequence, and the column its key (or dash) is at.
function spanOf(text: string, node: YamlNode | null, keyStart: number, dash: boolean): Span {
  let first = keyStart;
  if (dash) {
    let i = keyStart - 1;
    while (i >= 0 && /\s/.test(text[i]!)) i--;
    first = i;
  }
  const start = lineStart(text, first);
  const end = node?.range ? lineEnd(text, Math.max(node.range[1] - 1, first)) : lineEnd(text, keyStart);
  return { start, end, indent: first - start };
}

function spliceEdit(
  text: string,
  doc: Document,
  place: YamlPlace,
  name: string,
  value: unknown,
): string | undefined {
  if (place.path.length !== 1 || (!isMap(doc.contents) && doc.contents !== null)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const [top] = place.path as [string];
  const root = isMap(doc.contents) ? doc.contents : undefined;
  const rootPair = root?.items.find((p) => isScalar(p.key) && String(p.key.value) === top);
  const fresh = place.kind === 'yaml-map' ? { [name]: value } : [value];

  if (!rootPair) {
    if (value === undefined) return text;
    const joint = text.length > 0 && !text.endsWith('\n') ? eol : '';
    return text + joint + lines({ [top]: fresh }, 0, eol);
  }

  const rootKey = rootPair.key as YamlNode;
  const container = rootPair.value as YamlNode | null;
  const empty =
    container === null ||
    (isScalar(container) && container.value === null) ||
    ((isMap(container) || isSeq(container)) && container.flow === true && container.items.length === 0);
  if (empty) {
    if (value === undefined) return text;
    const keySpan = spanOf(text, null, rootKey.range![0], false);
    const insertAt = lineEnd(text, rootKey.range![1]);
    const joint = insertAt === text.length && !text.endsWith('\n') ? eol : '';
    const added = joint + lines(fresh, keySpan.indent + 2, eol);
    const withBlock = text.slice(0, insertAt) + added + text.slice(insertAt);
    // Drop `{}`, `[]` or `~` from the key's line.
    return container?.range
      ? withBlock.slice(0, container.range[0]) + withBlock.slice(container.range[1])
      : withBlock;
  }

  if (isMap(container) && !container.flow && place.kind === 'yaml-map') {
    const spans = container.items.map((p) => ({
      name: isScalar(p.key) ? String(p.key.value) : undefined,
      span: spanOf(text, p.value as YamlNode | null, (p.key as YamlNode).range![0], false),
    }));
    return editBlock(
      text,
      spans,
      name,
      value === undefined ? undefined : { [name]: value },
      rootKey,
      '{}',
      eol,
    );
  }
  if (isSeq(container) && !container.flow && place.kind === 'yaml-list') {
    const spans = container.items.map((item) => ({
      name: isMap(item) ? (item.get(place.key) as unknown) : undefined,
      span: spanOf(text, item as YamlNode, (item as YamlNode).range![0], true),
    }));
    return editBlock(text, spans, name, value === undefined ? undefined : [value], rootKey, '[]', eol);
  }
  return undefined;
}

function editBlock(
  text: string,
  spans: { name: unknown; span: Span }[],
  name: string,
  fresh: unknown,
  rootKey: YamlNode,
  emptyMark: string,
  eol: string,
): string {
  const found = spans.find((s) => s.name === name);
  const indent = (found ?? spans[0]!).span.indent;
  if (fresh === undefined) {
    if (!found) return text;
    const cut = text.slice(0, found.span.start) + text.slice(found.span.end);
    if (spans.length > 1) return cut;
    // The last entry goes: the key stays, with an empty collection (`extensions:` alone would
    // be null, which the clients refuse).
    const colon = cut.indexOf(':', rootKey.range![1]);
    return `${cut.slice(0, colon + 1)} ${emptyMark}${cut.slice(colon + 1)}`;
  }
  const block = lines(fresh, indent, eol);
  if (found) return text.slice(0, found.span.start) + block + text.slice(found.span.end);
  const end = spans.at(-1)!.span.end;
  const joint = end === text.length && !text.endsWith('\n') ? eol : '';
  return text.slice(0, end) + joint + block + text.slice(end);
}

function documentEdit(text: string, place: YamlPlace, name: string, value: unknown): string {
  const doc = parseDocument(text);
  if (place.kind === 'yaml-map') {
    if (value === undefined) doc.deleteIn([...place.path, name]);
    else doc.setIn([...place.path, name], value);
    return doc.toString();
  }
  const list = doc.getIn(place.path, true);
  if (!isSeq(list)) {
    if (value !== undefined) doc.setIn(place.path, [value]);
    return doc.toString();
  }
  const at = list.items.findIndex((item) => isMap(item) && item.get(place.key) === name);
  if (value === undefined) list.items.splice(at, 1);
  else if (at >= 0) list.items[at] = doc.createNode(value);
  else list.items.push(doc.createNode(value));
  return doc.toString();
}

// Sets (or, with undefined, removes) the entry `name`; the text is returned unchanged when the
// entry already is `value`.
export function setYamlEntry(
  file: string,
  text: string,
  place: YamlPlace,
  name: string,
  value: unknown,
): string {
  const doc = parse(file, text);
  const root = isPlain(doc.toJS()) ? (doc.toJS() as Plain) : {};
  const current = yamlEntry(root, place, name);
  if (value === undefined ? current === undefined : deepEqual(current, value)) return text;
  const expected = withEntry(root, place, name, value);
  for (const edit of [
    () => spliceEdit(text, doc, place, name, value),
    () => documentEdit(text, place, name, value),
  ]) {
    const next = edit();
    if (next === undefined) continue;
    const check = parseDocument(next);
    if (check.errors.length === 0 && deepEqual(check.toJS() ?? {}, expected)) return next;
  }
  throw new ClientConfigError(
    file,
    `MCP Dock could not change "${name}" there without changing anything else`,
  );
}
