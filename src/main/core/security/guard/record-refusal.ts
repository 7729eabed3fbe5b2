import type { Caller, SecurityServices } from './types';

// A call refused before it could be guarded (an unknown or disabled tool, params that do not
// parse): one record, nothing scanned, so nothing counted.
export async function recordRefusal(
  services: SecurityServices,
  refusal: {
    caller: Caller;
    toolName: string;
    server: string;
    detail: string;
    // denied: MCP Dock's rules kept the call out (a withheld tool); error: the request was wrong.
    outcome?: 'error' | 'denied';
  },
): Promise<void> {
  await services.audit({
    event_type: 'tool_call',
    tool_name: refusal.toolName,
    server: refusal.server,
    user_id: refusal.caller.userId,
    client_id: refusal.caller.clientId,
    contains_pii: false,
    action_taken: 'refused',
    parameter_count: 0,
    outcome: refusal.outcome ?? 'error',
    detail: refusal.detail,
  });
}
