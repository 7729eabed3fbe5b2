import { describe, expect, it } from 'vitest';
import { isDockError } from '../../shared/errors';
import {
  AppNotAnsweringError,
  AppNotRunningError,
  CredentialRefusedError,
  InputLineError,
} from './cli-errors';

describe('CLI errors', () => {
  it.each([
    [
      new AppNotRunningError('http://127.0.0.1:8081'),
      'TRANSPORT_CLOSED',
      'MCP Dock is not running at http://127.0.0.1:8081; start the app or `mcp-dock serve`, then reconnect',
    ],
    [
      new CredentialRefusedError('http://127.0.0.1:8081', '400 invalid_scope'),
      'TRANSPORT_CLOSED',
      "MCP Dock at http://127.0.0.1:8081 refused the gateway's credential (400 invalid_scope)",
    ],
    [
      new AppNotAnsweringError('http://127.0.0.1:1', 'fetch failed'),
      'ENGINE_UNREACHABLE',
      'MCP Dock is not answering at http://127.0.0.1:1 (fetch failed). Start it with `npm start` or `mcp-dock serve`, or pass --url.',
    ],
    [
      new InputLineError('line 2: expected {"text": "..."}'),
      'INVALID_INPUT',
      'line 2: expected {"text": "..."}',
    ],
  ])('%s keeps its code and message', (error, code, message) => {
    expect(isDockError(error)).toBe(true);
    expect(error.toPayload()).toEqual({ code, message });
  });
});
