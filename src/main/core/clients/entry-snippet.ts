import type { ClientId, SnippetFormat, StdioLaunch } from '../../../shared/snippets';
import { CLIENT_FACTS } from '../../../shared/snippets';
import { CLIENT_KINDS, type ClientEntry, type ClientKind, type EntryForm } from './client-kinds';
import { ClientNeedsCommandError } from './client-errors';
import { clientPaths } from './lib/client-paths';
import { entryText } from './lib/entry-store';
import type { SnippetContext } from './snippet-context';

// One entry for one client, as that client's config spells it.
export interface EntrySnippet {
  client: ClientId;
  entryName: string;
  // The form the client got: a client without OAuth sign-in gets the launch even when the URL
  // was asked for.
  form: EntryForm;
  format: SnippetFormat;
  text: string;
  launch?: StdioLaunch;
  url?: string;
  // The client's user-level config file on this OS, where it has one MCP Dock may edit.
  configPath?: string;
  // Where to paste the snippet when there is no file.
  pasteInto?: string;
  deepLink?: string;
}

// The form an entry takes in this client, and its value there.
export function resolveEntry(
  kind: ClientKind,
  entry: ClientEntry,
  form: EntryForm,
): { form: EntryForm; value: unknown } {
  if (kind.url && entry.url && (form === 'url' || !entry.launch))
    return { form: 'url', value: kind.url(entry.name, entry.url) };
  if (entry.launch) return { form: 'stdio', value: kind.stdio(entry.name, entry.launch) };
  throw new ClientNeedsCommandError(kind.id, entry.name);
}

export function buildEntrySnippet(
  client: ClientId,
  entry: ClientEntry,
  form: EntryForm,
  ctx: SnippetContext = {},
): EntrySnippet {
  const kind = CLIENT_KINDS[client];
  const resolved = resolveEntry(kind, entry, form);
  const text = kind.text
    ? kind.text(entry.name, resolved.form, entry)
    : entryText(kind.place!, entry.name, resolved.value);
  const configPath = kind.configPath(clientPaths(ctx));
  const deepLink = kind.installLink?.(entry.name, resolved.form, resolved.value, entry);
  const pasteInto = CLIENT_FACTS[client].pasteInto;
  return {
    client,
    entryName: entry.name,
    form: resolved.form,
    format: kind.format,
    text,
    ...(resolved.form === 'stdio' ? { launch: entry.launch! } : { url: entry.url! }),
    ...(configPath ? { configPath } : {}),
    ...(pasteInto ? { pasteInto } : {}),
    ...(deepLink ? { deepLink } : {}),
  };
}
