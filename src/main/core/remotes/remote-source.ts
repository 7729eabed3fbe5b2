import type { RemoteSpec } from '../../../shared/remotes';
import type { UpstreamSource } from '../gateway/upstream-source';
import type { SecretStore } from '../secrets/secret-store';
import { RemoteAuthError } from './remote-errors';
import type { RemoteOAuth } from './remote-oauth';
import type { RemoteRegistry } from './remote-registry';
import type { RemoteTransport, WireTransport } from './remote-transport';

export interface RemoteSourceDeps {
  registry: RemoteRegistry;
  secrets: SecretStore;
  oauth: RemoteOAuth;
  // Bumped when a remote's stored secrets change: sessions holding the old header reconnect.
  secretsEpoch: (name: string) => number;
  onChanged: (listener: () => void) => () => void;
}

// The remote servers as the gateway's pool sees them: which to serve (an OAuth remote only once
// signed in), and a transport to each with its header or its OAuth tokens. Which transport a
// remote answered on (auto) is remembered, so later sessions skip the probe.
export class RemoteSource implements UpstreamSource {
  readonly #detected = new Map<string, { url: string; wire: WireTransport }>();

  constructor(private readonly deps: RemoteSourceDeps) {}

  targets() {
    return this.deps.registry
      .list()
      .filter((spec) => spec.auth.type !== 'oauth' || this.deps.oauth.hasTokens(spec.name))
      .map((spec) => ({
        name: spec.name,
        key: `${JSON.stringify(spec)}#${this.deps.secretsEpoch(spec.name)}`,
      }));
  }

  detected(spec: RemoteSpec): WireTransport | undefined {
    const found = this.#detected.get(spec.name);
    return found?.url === spec.url ? found.wire : undefined;
  }

  async openTransport(name: string): Promise<RemoteTransport> {
    const spec = this.deps.registry.get(name);
    const headers: Record<string, string> = {};
    if (spec.auth.type === 'header') {
      const value = (await this.deps.secrets.values(name, [spec.auth.secret]))[spec.auth.secret];
      if (value === undefined)
        throw new RemoteAuthError(
          name,
          `the secret ${spec.auth.secret} for the ${spec.auth.header} header is not set`,
        );
      headers[spec.auth.header] = value;
    }
    if (spec.auth.type === 'oauth') await this.deps.oauth.ensureFresh(name);
    // Loaded on first use: a CLI command that only lists servers never needs the SDK's transports.
    const { RemoteTransport } = await import('./remote-transport');
    return new RemoteTransport({
      url: spec.url,
      transport: this.detected(spec) ?? spec.transport,
      headers,
      authProvider: spec.auth.type === 'oauth' ? this.deps.oauth.provider(name) : undefined,
      onDetected: (wire) => this.#detected.set(name, { url: spec.url, wire }),
    });
  }

  onChanged(listener: () => void) {
    return this.deps.onChanged(listener);
  }
}
