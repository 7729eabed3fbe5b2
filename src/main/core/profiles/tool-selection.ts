import type { CallPolicy } from '../../../shared/approvals';
import type { Profile } from '../../../shared/profiles';
import type { PiiPolicy } from '../../../shared/security';

// What one gateway endpoint serves: everything (/mcp), or a profile's servers and tools.
export interface ToolSelection {
  // The profile's name; undefined at /mcp.
  readonly profile: string | undefined;
  // Clients see find_tools and call_tool instead of every tool.
  readonly search: boolean;
  // MCP Dock's own security and OAuth tools.
  readonly ownTools: boolean;
  readonly callPolicy: CallPolicy | undefined;
  readonly piiPolicy: PiiPolicy | undefined;
  // Any of the server's tools is served.
  reaches(server: string): boolean;
  // All of it: tools, prompts, resources, completions.
  wholeServer(server: string): boolean;
  hasTool(server: string, tool: string): boolean;
  // Changes whenever what is served changes (lists are announced as changed then).
  readonly key: string;
}

const everythingOf = (search: boolean): ToolSelection => ({
  profile: undefined,
  search,
  ownTools: true,
  callPolicy: undefined,
  piiPolicy: undefined,
  reaches: () => true,
  wholeServer: () => true,
  hasTool: () => true,
  key: `*${search ? '?' : ''}`,
});
// Two values, made once: /mcp reads its selection several times per call.
const EVERYTHING = { plain: everythingOf(false), search: everythingOf(true) };

export function everything(search: boolean): ToolSelection {
  return search ? EVERYTHING.search : EVERYTHING.plain;
}

// Profiles are replaced, never changed in place, so a selection made for one stands until it is
// replaced: a session reads its selection several times per request.
const made = new WeakMap<Profile, ToolSelection>();

export function profileSelection(profile: Profile): ToolSelection {
  let selection = made.get(profile);
  if (!selection) made.set(profile, (selection = selectionOf(profile)));
  return selection;
}

function selectionOf(profile: Profile): ToolSelection {
  const servers = new Set(profile.servers);
  const tools = new Map<string, Set<string>>();
  for (const { server, tool } of profile.tools) {
    const set = tools.get(server) ?? new Set<string>();
    set.add(tool);
    tools.set(server, set);
  }
  return {
    profile: profile.name,
    search: profile.search,
    ownTools: profile.ownTools,
    callPolicy: profile.callPolicy,
    piiPolicy: profile.piiPolicy,
    reaches: (server) => servers.has(server) || tools.has(server),
    wholeServer: (server) => servers.has(server),
    hasTool: (server, tool) => servers.has(server) || (tools.get(server)?.has(tool) ?? false),
    key: JSON.stringify(profile),
  };
}
