import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-write';
import { registryServerSchema, type RegistryServer } from './registry-entry';

export const REGISTRY_CACHE_FILE = 'registry-cache.json';

const listingSchema = z.object({
  fetchedAt: z.string(),
  // Every page was fetched (a full listing), or only the first page a search saw.
  complete: z.boolean(),
  servers: z.array(registryServerSchema),
});
export type CachedListing = z.infer<typeof listingSchema>;

const fileSchema = z.object({ version: z.literal(1), registries: z.record(z.string(), listingSchema) });

// The last listing of each registry, so the Catalog opens offline. A cache only: a broken or
// foreign file is read as empty (and replaced by the next listing), never an error for the user.
export class RegistryCache {
  #listings: Record<string, CachedListing> | undefined;
  #writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataDir: string) {}

  async get(registry: string): Promise<CachedListing | undefined> {
    return (await this.#load())[registry];
  }

  async put(registry: string, listing: CachedListing): Promise<void> {
    const all = { ...(await this.#load()), [registry]: listing };
    this.#listings = all;
    // Compact JSON: a 5,000-entry listing is a few megabytes either way; indentation doubles it.
    const write = this.#writing.then(() =>
      writeFileAtomic(
        join(this.dataDir, REGISTRY_CACHE_FILE),
        JSON.stringify({ version: 1, registries: all }),
      ),
    );
    this.#writing = write.catch(() => undefined);
    await write;
  }

  // A first page seen online is kept only where no full listing is (one may have landed while
  // the page was fetched).
  async putUnlessComplete(registry: string, listing: CachedListing): Promise<void> {
    if ((await this.get(registry))?.complete) return;
    await this.put(registry, listing);
  }

  async #load(): Promise<Record<string, CachedListing>> {
    if (this.#listings) return this.#listings;
    const text = await readFile(join(this.dataDir, REGISTRY_CACHE_FILE), 'utf8').catch(() => undefined);
    let parsed: z.infer<typeof fileSchema> | undefined;
    try {
      parsed = text ? fileSchema.parse(JSON.parse(text)) : undefined;
    } catch {
      parsed = undefined;
    }
    this.#listings = parsed?.registries ?? {};
    return this.#listings;
  }
}

export type { RegistryServer };
