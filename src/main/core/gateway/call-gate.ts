import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { CallPolicy } from '../../../shared/approvals';
import type { GatewaySettings } from '../../../shared/gateway';
import { CallDeniedError, type Caller, type GateRefusal, type SecurityServices } from '../security/guard';
import { ToolWithheldError, type ToolPins } from '../security/pins';
import { applyPolicyToValue } from '../security/policy/apply-policy';
import type { ApprovalOutcome, CallApprovals } from './call-approvals';
import { alwaysAllowed, resolveCallPolicy } from './call-policy';

type Tool = Record<string, unknown> & { name: string; annotations?: unknown };

export interface CallGateDeps {
  pins: ToolPins;
  settings: () => GatewaySettings;
  approvals: CallApprovals;
  // Writes "always allow this tool for this client" to gateway.json.
  allowAlways(clientId: string, server: string, tool: string): Promise<unknown>;
  security: SecurityServices;
  caller: Caller;
  // The call policy of the profile the session serves, if it sets one.
  profilePolicy?: (() => CallPolicy | undefined) | undefined;
  // Asked only when a call is held: most calls never need it.
  clientName?: (() => string | undefined) | undefined;
}

export interface GatedCall {
  server: string;
  tool: string;
  // As the client named it (<server>__<tool>).
  shownAs: string;
  definition: Tool;
  args: unknown;
  requestId: RequestId;
  signal: AbortSignal;
  // Keeps the request's own deadline from cutting a call short while a person decides.
  holdDeadline?: ((id: RequestId) => () => void) | undefined;
  // Asks the calling client (its elicitation), when the user enabled that and it can answer.
  askClient?: ((signal: AbortSignal) => Promise<boolean>) | undefined;
}

// What a person sees of the arguments: every PII finding as its type, so the question shows what
// the call would do without showing what it carries.
const MASK_ALL = { action: 'mask', entities: {}, maskStyle: 'placeholder' } as const;

const answered = (outcome: Exclude<ApprovalOutcome, { allowed: true }>) =>
  outcome.by === 'timeout'
    ? 'nobody answered in time'
    : outcome.by === 'cancelled'
      ? 'the call was withdrawn'
      : outcome.by === 'client'
        ? 'the client declined'
        : `a person denied it (${outcome.by === 'cli' ? 'mcp-dock approvals deny' : 'in MCP Dock'})`;

// Whether a tool call may run, after its scopes and before its arguments are looked at (DESIGN.md
// §5): the tool's pinned definition, then its call policy, and for `ask` a person's answer.
export async function gateCall(deps: CallGateDeps, call: GatedCall): Promise<GateRefusal | undefined> {
  const settings = deps.settings();
  if (settings.pinTools && deps.pins.review(call.server, [call.definition]).length === 0) {
    const status = deps.pins.status(call.server, call.definition) === 'changed' ? 'changed' : 'new';
    return {
      error: new ToolWithheldError(call.server, call.tool, status, call.shownAs),
      detail: `tool withheld: ${status}`,
    };
  }
  const { policy, source } = resolveCallPolicy(
    settings,
    call.server,
    call.tool,
    call.definition.annotations,
    deps.profilePolicy?.(),
  );
  if (policy === 'allow') return undefined;
  if (policy === 'deny')
    return {
      error: new CallDeniedError(
        `The tool ${call.shownAs} is denied by its call policy in MCP Dock (${source === 'annotations' ? 'it says it is destructive' : `set for the ${source}`}). Change it in MCP Dock's Gateway pane, or run: mcp-dock tools policy ${call.server} ${call.tool} allow|ask`,
      ),
      detail: `call policy: deny (${source})`,
    };
  if (alwaysAllowed(settings, deps.caller.clientId, call.server, call.tool)) return undefined;

  const masked = applyPolicyToValue(call.args, MASK_ALL, deps.security.policyContext()).value;
  const release = call.holdDeadline?.(call.requestId);
  let outcome: ApprovalOutcome;
  try {
    outcome = await deps.approvals.ask({
      server: call.server,
      tool: call.tool,
      clientId: deps.caller.clientId,
      clientName: deps.clientName?.(),
      userId: deps.caller.userId,
      arguments: masked,
      signal: call.signal,
      askClient: call.askClient,
    });
  } finally {
    release?.();
  }
  if (outcome.allowed) {
    if (outcome.always)
      await deps.allowAlways(deps.caller.clientId, call.server, call.tool).catch(() => undefined);
    return undefined;
  }
  return {
    error: new CallDeniedError(
      `The call to ${call.shownAs} was not run: its call policy asks a person first, and ${answered(outcome)}.`,
    ),
    detail: `approval ${outcome.by === 'timeout' ? 'timed out' : `denied by ${outcome.by}`}`,
  };
}
