import type { GatewayStatus } from '../../../../../shared/gateway';
import { EMPTY_GATEWAY_STATUS } from '../../../common/mocks/preload-stub';

export const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

// Two servers behind the gateway: one ready with a switched-off tool, one down.
export function gatewayStatus(overrides: Partial<GatewayStatus> = {}): GatewayStatus {
  return {
    ...EMPTY_GATEWAY_STATUS,
    callsPerMinute: 12,
    sessions: [
      {
        id: '6f1c2a9e-93b4-4c7e-8d0a-0b1e2c3d4e5f',
        clientId: 'cursor-1a2b',
        clientName: 'Cursor',
        lastSeen: ago(30),
      },
      { id: 'a1b2c3d4e5f6', clientId: 'ci-bot', profile: 'review', lastSeen: ago(5 * 60) },
    ],
    servers: [
      {
        server: 'every',
        state: 'ready',
        tools: [
          {
            name: 'every__echo',
            upstreamName: 'echo',
            description: 'Echoes its input',
            enabled: true,
            pin: 'approved',
            callPolicy: 'allow',
            callPolicySource: 'default',
          },
          {
            name: 'every__add',
            upstreamName: 'add',
            enabled: false,
            pin: 'approved',
            callPolicy: 'ask',
            callPolicySource: 'annotations',
          },
        ],
        prompts: 3,
        resources: 7,
        callsPerMinute: 12,
        clientSessions: 2,
        policy: 'mask',
      },
      {
        server: 'weather',
        state: 'down',
        reason: 'the container exited (code 1)',
        tools: [],
        prompts: 0,
        resources: 0,
        callsPerMinute: 0,
        clientSessions: 0,
        policy: 'reject',
      },
    ],
    ...overrides,
  };
}

export const toolOf = (status: GatewayStatus | null, server: string, tool: string) =>
  status?.servers.find((s) => s.server === server)?.tools.find((t) => t.upstreamName === tool);
