import { z } from 'zod';
import { RegistryInvalidError, RegistryUnreachableError } from './registry-errors';
import { registryServerSchema, type RegistryServer } from './registry-entry';

const TIMEOUT_MS = 15_000;
// A registry answer larger than this is refused rather than held in memory.
const MAX_BYTES = 20 * 1024 * 1024;

const listSchema = z.object({
  servers: z.array(z.unknown()),
  metadata: z
    .object({
      nextCursor: z.string().nullish(),
      next_cursor: z.string().nullish(),
      count: z.number().optional(),
    })
    .optional(),
});

// One item of a listing: `{ server, _meta }` (v0.1) or the server itself (older registries).
const itemSchema = z.union([
  z.object({
    server: z.unknown(),
    _meta: z
      .record(
        z.string(),
        z.object({ status: z.string().optional(), isLatest: z.boolean().optional() }).passthrough(),
      )
      .optional(),
  }),
  z.unknown(),
]);

export interface RegistryPage {
  servers: RegistryServer[];
  nextCursor: string | undefined;
  // Entries left out because they did not read as server.json.
  skipped: number;
}

// One page of GET {registry}/v0.1/servers (search, cursor, limit), each entry checked on its own:
// a malformed entry is skipped and counted, a malformed answer is an error that says so.
export async function fetchRegistryPage(
  registry: string,
  query: { search?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
  options: { signal?: AbortSignal | undefined; fetch?: typeof fetch } = {},
): Promise<RegistryPage> {
  const url = new URL(`${registry}/v0.1/servers`);
  if (query.search) url.searchParams.set('search', query.search);
  if (query.cursor) url.searchParams.set('cursor', query.cursor);
  url.searchParams.set('limit', String(query.limit ?? 30));
  url.searchParams.set('version', 'latest');
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(TIMEOUT_MS)])
    : AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json' },
      signal,
      redirect: 'follow',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new RegistryUnreachableError(registry, reason, { cause: error });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new RegistryInvalidError(registry, `HTTP ${res.status} to ${url.pathname}`);
  }
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES) {
    await res.body?.cancel();
    throw new RegistryInvalidError(registry, `${length} bytes for one page`);
  }
  const text = await boundedText(res, MAX_BYTES);
  if (text === undefined)
    throw new RegistryInvalidError(registry, `more than ${MAX_BYTES} bytes for one page`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RegistryInvalidError(registry, 'something that is not JSON', { cause: error });
  }
  const list = listSchema.safeParse(json);
  if (!list.success) throw new RegistryInvalidError(registry, 'JSON without a "servers" list');
  const servers: RegistryServer[] = [];
  let skipped = 0;
  for (const raw of list.data.servers) {
    const item = itemSchema.parse(raw);
    const wrapped = typeof item === 'object' && item !== null && 'server' in item;
    const meta = wrapped ? (item as { _meta?: Record<string, { status?: string }> })._meta : undefined;
    if (Object.values(meta ?? {}).some((m) => m.status === 'deleted')) continue;
    const server = registryServerSchema.safeParse(wrapped ? (item as { server: unknown }).server : item);
    if (server.success) servers.push(server.data);
    else skipped++;
  }
  const next = list.data.metadata?.nextCursor ?? list.data.metadata?.next_cursor ?? undefined;
  return { servers, nextCursor: next || undefined, skipped };
}

// The body, unless it grows past `max` bytes (a chunked answer has no length to check first).
async function boundedText(res: Response, max: number): Promise<string | undefined> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
