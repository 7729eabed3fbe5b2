import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamClosedError, UpstreamRpcError, UpstreamTimeoutError } from '../gateway-errors';

// The gateway session still reads upstream failures as the SDK's Client raised them (an upstream
// answer, a closed connection, a timeout are McpErrors with those codes), so the raw session's
// errors are turned into the same McpErrors until relayed errors pass through verbatim.
export function asMcpError(error: unknown): unknown {
  if (error instanceof UpstreamRpcError)
    return McpError.fromError(error.rpc.code, error.rpc.message, error.rpc.data);
  if (error instanceof UpstreamTimeoutError)
    return new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: error.timeoutMs });
  if (error instanceof UpstreamClosedError)
    return new McpError(ErrorCode.ConnectionClosed, 'Connection closed');
  return error;
}
