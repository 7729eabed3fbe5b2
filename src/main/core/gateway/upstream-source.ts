import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Unsubscribe } from '../../../shared/contract-kit';
import type { ServerView } from '../../../shared/servers';
import type { ContainerManager } from '../servers';

// A server the gateway should serve now. A new `key` (a restarted container, a changed URL or
// token) means the old sessions are stale: the pool connects anew.
export interface UpstreamTarget {
  name: string;
  key: string | undefined;
}

// Where upstream servers come from: the containers, the remote servers. The pool only needs to
// know which to serve, how to open a transport to one, and when the answer may have changed.
export interface UpstreamSource {
  targets(): UpstreamTarget[];
  openTransport(name: string): Promise<Transport>;
  onChanged(listener: () => void): Unsubscribe;
}

// Which containers the gateway serves: exec-mode servers whose container runs, and run-mode
// servers, unless their last MCP handshake failed. A container started elsewhere (the CLI, before
// the app started) has not been probed here; the gateway's own connection is its probe.
function serveable(view: ServerView): boolean {
  if (view.health.status === 'failed') return false;
  return view.spec.mode === 'run' ? view.health.status === 'ready' : view.container.state === 'running';
}

export function containerSource(containers: ContainerManager): UpstreamSource {
  return {
    targets: () =>
      containers
        .list()
        .filter(serveable)
        .map((view) => ({ name: view.spec.name, key: containers.containerId(view.spec.name) })),
    openTransport: (name) => containers.openTransport(name),
    onChanged: (listener) => containers.onChanged(() => listener()),
  };
}

// Several sources as one; names are unique across them (the registries see to that).
export function joinSources(...sources: UpstreamSource[]): UpstreamSource {
  const owner = (name: string) => sources.find((s) => s.targets().some((t) => t.name === name));
  return {
    targets: () => sources.flatMap((s) => s.targets()),
    async openTransport(name) {
      const source = owner(name) ?? sources[0]!;
      return source.openTransport(name);
    },
    onChanged(listener) {
      const stops = sources.map((s) => s.onChanged(listener));
      return () => stops.forEach((stop) => stop());
    },
  };
}
