// Whether a remote server wants OAuth: it answers an unauthenticated initialize with 401 and a
// Bearer challenge (the MCP authorization spec). Anything else (it answers, it is down) is taken
// as "no auth"; the user can change it on the card.
export async function probeRemoteAuth(url: string, timeoutMs = 5000): Promise<'oauth' | 'none'> {
  try {
    const { LATEST_PROTOCOL_VERSION } = await import('@modelcontextprotocol/sdk/types.js');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: LATEST_PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: 'mcp-dock-probe', version: '1' },
        },
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return res.status === 401 && /bearer/i.test(res.headers.get('www-authenticate') ?? '') ? 'oauth' : 'none';
  } catch {
    return 'none';
  }
}
