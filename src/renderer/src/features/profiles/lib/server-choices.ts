import type { GatewayStatus } from '../../../../../shared/gateway';
import type { RemoteView } from '../../../../../shared/remotes';
import type { ServerView } from '../../../../../shared/servers';

export interface ServerChoice {
  server: string;
  kind: 'container' | 'remote';
  // Known only once the server has been listed (running, or served by the gateway).
  tools: { name: string; description?: string | undefined }[];
}

// What a profile can pick from: every server there is, with the tools the gateway serves of it
// (else the last health check's or the remote's last list).
export function serverChoices(
  servers: readonly ServerView[],
  remotes: readonly RemoteView[],
  gateway: GatewayStatus | null,
): ServerChoice[] {
  const served = new Map(
    (gateway?.servers ?? []).map((s) => [
      s.server,
      s.tools.map((t) => ({ name: t.upstreamName, description: t.description })),
    ]),
  );
  const choices: ServerChoice[] = [
    ...servers.map((v) => ({
      server: v.spec.name,
      kind: 'container' as const,
      tools: served.get(v.spec.name) ?? (v.health.status === 'ready' ? v.health.tools : []),
    })),
    ...remotes.map((r) => ({
      server: r.spec.name,
      kind: 'remote' as const,
      tools: served.get(r.spec.name) ?? r.tools,
    })),
  ];
  return choices.sort((a, b) => a.server.localeCompare(b.server));
}

// The picker's filter: every word must appear in the server's name, the tool's name or its
// description.
export function matchesFilter(
  filter: string,
  server: string,
  tool?: { name: string; description?: string | undefined },
) {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = `${server} ${tool?.name ?? ''} ${tool?.description ?? ''}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}
