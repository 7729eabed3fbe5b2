import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DockError } from '../../../../shared/errors';
import { describeError } from '../describe-error';
import { ErrorNote } from '../ErrorNote';

describe('describeError', () => {
  it.each([
    // Core's message is the sentence; its code is for the program, never shown.
    [
      new DockError('UNSAFE_PATTERN', 'pattern "ticket" may backtrack catastrophically: (a+)+'),
      'Pattern "ticket" may backtrack catastrophically: (a+)+',
    ],
    [new DockError('SCAN_TIMEOUT', 'the scan took longer than 250 ms'), 'The scan took longer than 250 ms.'],
    [new DockError('AUDIT_FAILED', 'audit/x.jsonl line 2: not JSON'), 'audit/x.jsonl line 2: not JSON.'],
    [
      new DockError('UNKNOWN_CALL', 'gateway.status is not implemented'),
      'gateway.status is not implemented.',
    ],
    [new DockError('INTERNAL', 'INTERNAL: boom'), 'Boom.'],
    [
      new DockError(
        'PROBE_FAILED',
        'the MCP handshake failed: MCP error -32602: MCP error -32602: bad cursor',
      ),
      'The MCP handshake failed: bad cursor.',
    ],
    [
      new DockError('TRANSPORT_CLOSED', ''),
      'The connection to MCP Dock was lost. Is MCP Dock still running?',
    ],
    [new DockError('INTERNAL', ''), 'MCP Dock hit an unexpected error.'],
    [new Error('Failed to fetch'), 'Failed to fetch.'],
    ['plain words', 'Plain words.'],
  ])('%s reads as %j', (error, sentence) => expect(describeError(error)).toBe(sentence));

  // Codes appended to the union for issue 13 read like the others: prefix dropped, message kept.
  it.each([
    [
      {
        code: 'UNTRUSTED_SENDER',
        message: 'UNTRUSTED_SENDER: calls are accepted only from the MCP Dock window',
      },
      'Calls are accepted only from the MCP Dock window.',
    ],
    [
      { code: 'PAYLOAD_TOO_LARGE', message: 'the request body exceeds 4096 bytes' },
      'The request body exceeds 4096 bytes.',
    ],
    [
      {
        code: 'CLIENT_METADATA_INVALID',
        message: 'CLIENT_METADATA_INVALID: the client_id URL must have a path',
      },
      'The client_id URL must have a path.',
    ],
    [{ code: 'UNTRUSTED_SENDER', message: '' }, 'MCP Dock hit an unexpected error.'],
  ])('a %j payload reads as %j', (payload, sentence) => expect(describeError(payload)).toBe(sentence));

  it('names the action that failed, once', () => {
    const pull = new DockError(
      'PULL_FAILED',
      'Could not pull img:1: the registry cannot be reached from the Docker engine (dial tcp: no such host)',
    );
    expect(describeError(pull, 'pull')).toBe(
      'Could not pull img:1: the registry cannot be reached from the Docker engine (dial tcp: no such host).',
    );
    const engine = new DockError(
      'ENGINE_UNREACHABLE',
      'The Docker engine is not reachable (connect ENOENT). Start it and try again.',
    );
    expect(describeError(engine, 'start')).toBe(
      'Could not start: The Docker engine is not reachable (connect ENOENT). Start it and try again.',
    );
    expect(
      describeError(
        new DockError('CONTAINER_FAILED', 'Cannot remove a running container'),
        'remove container',
      ),
    ).toBe('Cannot remove a running container.');
  });
});

describe('ErrorNote', () => {
  it('shows `commands` as code, without the backticks', () => {
    render(
      <ErrorNote
        message={describeError(
          new DockError('SERVER_NOT_FOUND', 'No server named "x". List them with `mcp-dock servers list`.'),
        )}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('No server named "x". List them with mcp-dock servers list.');
    expect(alert.querySelector('code')?.textContent).toBe('mcp-dock servers list');
  });

  it('leaves a lone backtick as it is', () => {
    render(<ErrorNote message="a ` b" />);
    expect(screen.getByRole('alert').textContent).toBe('a ` b');
  });
});
