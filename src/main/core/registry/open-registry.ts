import type { z } from 'zod';
import type { DockImpl } from '../../../shared/contract';
import { formatZodError } from '../../../shared/errors';
import { remoteSpecSchema } from '../../../shared/remotes';
import { serverSpecSchema } from '../../../shared/servers';
import type {
  CatalogAddInput,
  CatalogEntry,
  CatalogPage,
  CatalogProgress,
  CatalogSearchInput,
} from '../../../shared/registry';
import { probeRemoteAuth } from '../remotes/probe-remote-auth';
import type { Settings } from '../store/settings';
import { planContainer, planRemote, pickOption } from './install-plan';
import { fetchRegistryPage } from './registry-client';
import { RegistryCache, type CachedListing } from './registry-cache';
import { matches, searchWords, toCatalogEntry, type RegistryServer } from './registry-entry';
import { RegistryEntryNotFoundError, RegistryInstallError, RegistryNotAllowedError } from './registry-errors';

// What an entry made is checked as the user's own input would be: a registry's odd value (a name,
// an image reference) is refused with the reason, before anything is stored.
function checked<T>(
  entry: string,
  parsed: { success: true; data: T } | { success: false; error: z.ZodError },
): T {
  if (!parsed.success) throw new RegistryInstallError(entry, formatZodError(parsed.error));
  return parsed.data;
}

// A listing younger than this answers searches without asking the registry; older than a day it
// is said to be stale.
const FRESH_MS = 60 * 60_000;
const STALE_MS = 24 * 60 * 60_000;
// A full listing stops here (a registry that pages forever must not fill the disk).
const MAX_ENTRIES = 50_000;
const PAGE = 100;

export interface RegistryDeps {
  dataDir: string;
  settings: () => Settings['registry'];
  servers: Pick<DockImpl['servers'], 'add'>;
  remotes: Pick<DockImpl['remotes'], 'add'>;
  // The app keeps the cache complete in the background; a CLI command only asks what it needs.
  background: boolean;
  now?: () => number;
}

export interface Registry {
  api: DockImpl['catalog'];
  // One entry by its exact name, as the Catalog describes it (the CLI asks what it needs first).
  entry(name: string, registry?: string): Promise<CatalogEntry>;
  // Fetches a registry's whole listing into the cache (progress on onProgress).
  refresh(registry?: string): Promise<CachedListing>;
  close(): void;
}

// The Catalog: MCP Registry API endpoints (the official one by default, private ones by URL),
// searched online or from the last listing kept on disk, and entries installed as container or
// remote servers through the servers' and remotes' own add.
export function openRegistry(deps: RegistryDeps): Registry {
  const cache = new RegistryCache(deps.dataDir);
  const now = deps.now ?? Date.now;
  const listeners = new Set<(progress: CatalogProgress) => void>();
  const refreshing = new Map<string, Promise<CachedListing>>();
  const aborter = new AbortController();
  const progress = (p: CatalogProgress) => listeners.forEach((l) => l(p));

  const resolve = (registry: string | undefined): string => {
    const { urls, onlyThese } = deps.settings();
    const chosen = registry ?? urls[0]!;
    if (onlyThese && !urls.includes(chosen)) throw new RegistryNotAllowedError(chosen, urls);
    return chosen;
  };

  const refresh = (registry: string): Promise<CachedListing> => {
    const running = refreshing.get(registry);
    if (running) return running;
    const work = (async () => {
      const servers = new Map<string, RegistryServer>();
      let cursor: string | undefined;
      try {
        const seen = new Set<string>();
        do {
          const page = await fetchRegistryPage(registry, { cursor, limit: PAGE }, { signal: aborter.signal });
          const before = servers.size;
          for (const s of page.servers) servers.set(s.name, s);
          if (cursor) seen.add(cursor);
          // A registry that hands back a cursor it gave before, or pages that add nothing, would
          // page forever: the listing ends there.
          cursor =
            page.nextCursor && !seen.has(page.nextCursor) && servers.size > before
              ? page.nextCursor
              : undefined;
          progress({ registry, fetched: servers.size, done: false });
        } while (cursor && servers.size < MAX_ENTRIES);
      } catch (error) {
        progress({ registry, fetched: servers.size, done: true, error: (error as Error).message });
        throw error;
      }
      const listing = {
        fetchedAt: new Date(now()).toISOString(),
        complete: true,
        servers: [...servers.values()],
      };
      await cache.put(registry, listing);
      progress({ registry, fetched: servers.size, done: true });
      return listing;
    })();
    refreshing.set(registry, work);
    void work.catch(() => undefined).finally(() => refreshing.delete(registry));
    return work;
  };

  const fromCache = (
    registry: string,
    listing: CachedListing,
    input: CatalogSearchInput,
    error?: string,
  ): CatalogPage => {
    const words = searchWords(input.text);
    const limit = input.limit ?? 30;
    const start = input.cursor?.startsWith('c:') ? Number(input.cursor.slice(2)) || 0 : 0;
    const found = listing.servers.filter((s) => matches(s, words));
    const end = start + limit;
    return {
      registry,
      entries: found.slice(start, end).map(toCatalogEntry),
      ...(end < found.length ? { nextCursor: `c:${end}` } : {}),
      source: 'cache',
      fetchedAt: listing.fetchedAt,
      stale: error !== undefined || now() - Date.parse(listing.fetchedAt) > STALE_MS,
      ...(error ? { error } : {}),
    };
  };

  const search = async (input: CatalogSearchInput): Promise<CatalogPage> => {
    const registry = resolve(input.registry);
    const cached = await cache.get(registry);
    const age = cached ? now() - Date.parse(cached.fetchedAt) : Infinity;
    // A cursor of the cache's own pages the cache answers, as does a fresh full listing.
    const ownCursor = input.cursor?.startsWith('c:') === true;
    // The cache's own pages it answers; the registry's cursors only the registry can.
    if (cached && ((cached.complete && age < FRESH_MS && !input.cursor) || ownCursor))
      return fromCache(registry, cached, input);
    try {
      const page = await fetchRegistryPage(
        registry,
        { search: input.text, cursor: input.cursor, limit: input.limit ?? 30 },
        { signal: aborter.signal },
      );
      const fetchedAt = new Date(now()).toISOString();
      // The first page of everything is kept, so the Catalog opens offline next time.
      if (!input.text && !input.cursor && !cached?.complete)
        await cache.putUnlessComplete(registry, { fetchedAt, complete: false, servers: page.servers });
      if (deps.background && !(cached?.complete && age < FRESH_MS))
        void refresh(registry).catch(() => undefined);
      return {
        registry,
        entries: page.servers.map(toCatalogEntry),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        source: 'registry',
        fetchedAt,
        stale: false,
      };
    } catch (error) {
      // A registry's next page cannot come from the cache (it would start over at page one).
      if (!cached || input.cursor) throw error;
      return fromCache(registry, cached, input, (error as Error).message);
    }
  };

  // The entry by its exact name: from the cache, else asked of the registry.
  const findEntry = async (registry: string, name: string): Promise<RegistryServer> => {
    const cached = (await cache.get(registry))?.servers.find((s) => s.name === name);
    if (cached) return cached;
    const page = await fetchRegistryPage(registry, { search: name, limit: 100 }, { signal: aborter.signal });
    const found = page.servers.find((s) => s.name === name);
    if (!found) throw new RegistryEntryNotFoundError(name, registry);
    return found;
  };

  const add = async (input: CatalogAddInput) => {
    const registry = resolve(input.registry);
    const server = await findEntry(registry, input.entry);
    const entry = toCatalogEntry(server);
    const name = input.as ?? entry.suggestedName;
    const named = <T>(plan: () => T): T => {
      try {
        return plan();
      } catch (error) {
        if (error instanceof RegistryInstallError)
          throw new RegistryInstallError(server.name, error.message.replace(/^cannot install "[^"]*": /, ''));
        throw error;
      }
    };
    const index = pickOption(entry.options, input.kind, server.name);
    const option = entry.options[index]!;
    // Only what the chosen option declares is read of the values given: an entry cannot pick
    // other names out of them (the CLI passes its environment).
    const declared = new Set(option.inputs.map((i) => i.name));
    const values = Object.fromEntries(Object.entries(input.values ?? {}).filter(([k]) => declared.has(k)));
    const packages = server.packages ?? [];
    if (option.kind !== 'remote') {
      const plan = named(() =>
        planContainer(server, packages[index]!, option, name, values, deps.settings()),
      );
      if (plan.kind !== 'container')
        throw new RegistryInstallError(server.name, 'internal: not a container plan');
      const spec = checked(server.name, serverSpecSchema.safeParse(plan.spec));
      const view = await deps.servers.add({ spec, secretValues: plan.secretValues });
      return { kind: 'container' as const, server: view };
    }
    const remote = (server.remotes ?? [])[index - packages.length]!;
    const plan = named(() => planRemote(server, remote, option, name, values));
    if (plan.kind !== 'remote') throw new RegistryInstallError(server.name, 'internal: not a remote plan');
    const spec = checked(server.name, remoteSpecSchema.safeParse(plan.spec));
    if (plan.probeAuth && (await probeRemoteAuth(spec.url)) === 'oauth') spec.auth = { type: 'oauth' };
    const view = await deps.remotes.add({ spec, secretValues: plan.secretValues });
    return { kind: 'remote' as const, remote: view };
  };

  return {
    api: {
      search: (input) => search(input),
      add: (input) => add(input),
      registries: async () => ({ registries: deps.settings().urls, onlyThese: deps.settings().onlyThese }),
      refresh: async ({ registry }) => {
        const listing = await refresh(resolve(registry));
        return { registry: resolve(registry), fetched: listing.servers.length, done: true };
      },
      onProgress(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    refresh: (registry) => refresh(resolve(registry)),
    entry: async (name, registry) => toCatalogEntry(await findEntry(resolve(registry), name)),
    close: () => aborter.abort(),
  };
}
