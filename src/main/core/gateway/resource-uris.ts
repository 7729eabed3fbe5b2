// Resource URIs through the gateway: `mcp-dock://<server>/<the server's URI>`, the server's URI
// appended as it is (not percent-encoded), so that a URI template stays a template a client can
// expand (`mcp-dock://every/demo://resource/dynamic/text/{index}`) and whatever it expands to
// routes back to its server. Two servers that list the same URI list two different ones here.
export const URI_SCHEME = 'mcp-dock:';
const PREFIX = `${URI_SCHEME}//`;

export function namespacedUri(server: string, uri: string): string {
  return `${PREFIX}${server}/${uri}`;
}

// The server a gateway URI belongs to and the URI the server knows; undefined for a URI that is
// not one of ours.
export function splitUri(uri: string): { server: string; uri: string } | undefined {
  if (!uri.startsWith(PREFIX)) return undefined;
  const slash = uri.indexOf('/', PREFIX.length);
  if (slash <= PREFIX.length) return undefined;
  return { server: uri.slice(PREFIX.length, slash), uri: uri.slice(slash + 1) };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

// Content blocks that name a resource: a `resource_link`, or an embedded `resource`.
function contentBlock(block: unknown, server: string): unknown {
  if (!isObject(block)) return block;
  if (block.type === 'resource_link' && typeof block.uri === 'string')
    return { ...block, uri: namespacedUri(server, block.uri) };
  if (block.type === 'resource' && isObject(block.resource) && typeof block.resource.uri === 'string')
    return { ...block, resource: { ...block.resource, uri: namespacedUri(server, block.resource.uri) } };
  return block;
}

const blocks = (value: unknown, server: string) =>
  Array.isArray(value) ? value.map((b) => contentBlock(b, server)) : value;

// The URIs in a result a client may read next: tool content, prompt messages, read contents. Only
// those places: a tool's structured output is its own data, and a `uri` there is not ours to change.
export function namespaceResultUris<T>(result: T, server: string): T {
  if (!isObject(result)) return result;
  const out: Json = { ...result };
  if (Array.isArray(out.content)) out.content = blocks(out.content, server);
  if (Array.isArray(out.messages))
    out.messages = out.messages.map((m: unknown) =>
      isObject(m)
        ? {
            ...m,
            content: Array.isArray(m.content) ? blocks(m.content, server) : contentBlock(m.content, server),
          }
        : m,
    );
  if (Array.isArray(out.contents))
    out.contents = out.contents.map((c: unknown) =>
      isObject(c) && typeof c.uri === 'string' ? { ...c, uri: namespacedUri(server, c.uri) } : c,
    );
  return out as T;
}
