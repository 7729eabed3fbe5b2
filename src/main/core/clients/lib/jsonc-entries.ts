import {
  applyEdits,
  findNodeAtLocation,
  format,
  modify,
  parse,
  parseTree,
  printParseErrorCode,
  type FormattingOptions,
  type ParseError,
} from 'jsonc-parser';
import { ClientConfigError } from '../../errors';

// JSON with comments (Zed, opencode and VS Code write them; the others tolerate them), edited in
// place with jsonc-parser: comments, formatting and every other key stay as they were, byte for
// byte.

export function parseJsonc(file: string, text: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new ClientConfigError(
      file,
      `it is not valid JSON (${printParseErrorCode(first.error)} at line ${line})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ClientConfigError(file, 'its top level is not a JSON object');
  return value as Record<string, unknown>;
}

// The object at `path`, when there is one.
export function objectAt(
  root: Record<string, unknown>,
  path: readonly string[],
): Record<string, unknown> | undefined {
  let at: unknown = root;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'object' && at !== null && !Array.isArray(at)
    ? (at as Record<string, unknown>)
    : undefined;
}

// The file's own indentation: its first indented line's, or two spaces.
function indentation(text: string): { insertSpaces: boolean; tabSize: number } {
  const first = /^([ \t]+)\S/m.exec(text)?.[1];
  if (!first) return { insertSpaces: true, tabSize: 2 };
  return first.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1 }
    : { insertSpaces: true, tabSize: first.length };
}

// The deepest object on `path` that exists, and whether it has no members.
function deepestObject(text: string, path: readonly string[]): { path: string[]; empty: boolean } {
  const tree = parseTree(text);
  let at: string[] = [];
  for (let i = path.length; i >= 0; i--) {
    const node = tree && findNodeAtLocation(tree, path.slice(0, i) as string[]);
    if (node?.type === 'object') {
      at = path.slice(0, i) as string[];
      return { path: at, empty: (node.children?.length ?? 0) === 0 };
    }
  }
  return { path: at, empty: true };
}

function formatNode(text: string, path: string[], formattingOptions: FormattingOptions): string {
  const node = findNodeAtLocation(parseTree(text)!, path);
  if (!node) return text;
  return applyEdits(text, format(text, { offset: node.offset, length: node.length }, formattingOptions));
}

// Sets (or, with undefined, removes) `path`/`name`, creating the objects on the way. Only the
// entry's own text is formatted (in the file's indentation): jsonc-parser's `modify` would also
// re-format the whole line the insertion starts on, which is the previous entry's.
export function setJsoncEntry(text: string, path: readonly string[], name: string, value: unknown): string {
  const formattingOptions: FormattingOptions = {
    ...indentation(text),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    keepLines: false,
  };
  const holder = deepestObject(text, path);
  const [edit] = modify(text, [...path, name], value, {});
  if (!edit) return text;
  const next = applyEdits(text, [edit]);
  if (value === undefined) {
    // An object left empty reads `{}` again.
    return deepestObject(next, path).empty ? formatNode(next, [...path], formattingOptions) : next;
  }
  // Into an empty (or new) object, the object is formatted; otherwise only what was inserted.
  if (holder.empty) return formatNode(next, holder.path, formattingOptions);
  const range = { offset: edit.offset, length: edit.content.length };
  return applyEdits(next, format(next, range, formattingOptions));
}
