import type { ClientConfigChange, ClientId, StdioLaunch } from '../../../shared/snippets';
import {
  CLIENT_KINDS,
  type ClientEntry,
  type ClientKind,
  type EntryForm,
  type EntryPlace,
} from './client-kinds';
import { ClientUnsupportedError } from './client-errors';
import { resolveEntry } from './entry-snippet';
import { editConfigFile, readConfig } from './lib/config-file';
import { emptyConfig, readEntry, writeEntry } from './lib/entry-store';

// "Add to client": one entry written into (or taken out of) a client's own config file, in that
// client's format. Comments, formatting and every other entry stay as they were; the old file is
// kept as <file>.mcp-dock-backup and the new one replaces it atomically, one writer at a time.

function placeOf(client: ClientId): { kind: ClientKind; place: EntryPlace } {
  const kind = CLIENT_KINDS[client];
  if (!kind.place || kind.noFile) throw new ClientUnsupportedError(client);
  return { kind, place: kind.place };
}

// Adds `entry` (or makes the one of that name this entry), in `form` where the client takes it.
export async function addEntryToClientConfig(
  client: ClientId,
  file: string,
  entry: ClientEntry,
  form: EntryForm = 'stdio',
): Promise<ClientConfigChange> {
  const { kind, place } = placeOf(client);
  const { value } = resolveEntry(kind, entry, form);
  return editConfigFile(file, emptyConfig(place, kind.newFile), (text) =>
    writeEntry(file, text, place, entry.name, value),
  );
}

export async function removeEntryFromClientConfig(
  client: ClientId,
  file: string,
  name: string,
): Promise<ClientConfigChange> {
  const { kind, place } = placeOf(client);
  return editConfigFile(file, emptyConfig(place, kind.newFile), (text) =>
    writeEntry(file, text, place, name, undefined),
  );
}

export async function hasClientEntry(client: ClientId, file: string, name: string): Promise<boolean> {
  const { place } = placeOf(client);
  const current = await readConfig(file);
  return current !== undefined && readEntry(file, current.text, place, name) !== undefined;
}

// A server's own entry: the command that launches it.
export async function addToClientConfig(
  client: ClientId,
  file: string,
  entryName: string,
  launch: StdioLaunch,
): Promise<ClientConfigChange> {
  return addEntryToClientConfig(client, file, { name: entryName, launch }, 'stdio');
}

export const removeFromClientConfig = removeEntryFromClientConfig;
export type { ClientConfigChange };
