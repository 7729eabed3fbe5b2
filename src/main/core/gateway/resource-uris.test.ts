import { describe, expect, it } from 'vitest';
import { namespacedUri, namespaceResultUris, splitUri } from './resource-uris';

describe('gateway resource URIs', () => {
  it('append the server’s URI unencoded, so templates stay templates, and split back', () => {
    expect(namespacedUri('every', 'demo://resource/dynamic/text/{index}')).toBe(
      'mcp-dock://every/demo://resource/dynamic/text/{index}',
    );
    expect(splitUri('mcp-dock://every/demo://resource/dynamic/text/3')).toEqual({
      server: 'every',
      uri: 'demo://resource/dynamic/text/3',
    });
    expect(splitUri('file:///a/b')).toBeUndefined();
    expect(splitUri('mcp-dock:///x')).toBeUndefined();
    expect(splitUri('mcp-dock://every')).toBeUndefined();
  });

  it('rewrite the URIs a client may read next, and leave a tool’s own data alone', () => {
    const result = {
      content: [
        { type: 'resource_link', uri: 'a://1', name: 'one' },
        { type: 'resource', resource: { uri: 'a://2', text: 'x' } },
        { type: 'text', text: 'a://3' },
      ],
      structuredContent: { uri: 'https://example.org' },
      messages: [{ role: 'user', content: { type: 'resource', resource: { uri: 'a://4', text: 'y' } } }],
      contents: [{ uri: 'a://5', text: 'z' }],
    };
    expect(namespaceResultUris(result, 's')).toEqual({
      content: [
        { type: 'resource_link', uri: 'mcp-dock://s/a://1', name: 'one' },
        { type: 'resource', resource: { uri: 'mcp-dock://s/a://2', text: 'x' } },
        { type: 'text', text: 'a://3' },
      ],
      structuredContent: { uri: 'https://example.org' },
      messages: [
        { role: 'user', content: { type: 'resource', resource: { uri: 'mcp-dock://s/a://4', text: 'y' } } },
      ],
      contents: [{ uri: 'mcp-dock://s/a://5', text: 'z' }],
    });
  });
});
