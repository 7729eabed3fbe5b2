import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { ServerSpec } from '../../../../shared/servers';
import { ContainerOperationError } from '../../errors';
import { isNotFound, toDockerError } from '../docker-errors';
import { pullImage } from '../image-pull';
import { inspectContainer } from '../inspect-container';
import { EGRESS_FOR, EGRESS_HASH, INSTANCE, MANAGED } from '../labels';
import {
  EGRESS_PROXY_PORT,
  egressProxyCommand,
  parseEgressRecord,
  type EgressRecord,
} from './egress-proxy-program';

// The network every egress proxy reaches out through: an ordinary bridge network.
export const EGRESS_OUTSIDE_NETWORK = 'mcp-dock-egress-out';
// What the server's container calls its proxy (a network alias, resolved on its isolated network).
export const EGRESS_PROXY_ALIAS = 'egress-proxy';

export const egressNetworkName = (containerName: string) => `${containerName}-egress`;
export const egressProxyName = (containerName: string) => `${containerName}-egress-proxy`;

// How the server's container reaches out: its network, and the variables npm, pip, uv, curl and
// most runtimes read for a proxy.
export interface EgressRoute {
  network: string;
  env: string[];
  // The proxy's address on the network: the container finds it in /etc/hosts, so reaching its
  // proxy costs no DNS query (each one a round trip to the engine's resolver).
  proxyAddress: string;
}

export function egressEnv(): string[] {
  const url = `http://${EGRESS_PROXY_ALIAS}:${EGRESS_PROXY_PORT}`;
  const none = 'localhost,127.0.0.1,::1';
  return [
    `HTTP_PROXY=${url}`,
    `HTTPS_PROXY=${url}`,
    `http_proxy=${url}`,
    `https_proxy=${url}`,
    `NO_PROXY=${none}`,
    `no_proxy=${none}`,
    // Node's own fetch reads the variables above only when told to (Node 22.21+, 24+).
    'NODE_USE_ENV_PROXY=1',
  ];
}

export interface EgressProxiesOptions {
  instance: string;
  // The image the proxy runs in: any with `node` (node:20-alpine unless settings say otherwise).
  proxyImage: () => string;
  // Each connection the proxy allowed or refused.
  onRecord(server: string, record: EgressRecord): void;
}

// Each allow-listed server gets a network of its own with no way out: internal, and with no host
// address on its bridge (inhibit_ipv4), so even on an engine without firewall rules
// (--iptables=false) nothing on it reaches the host or, through the host, any other network. The
// one other member is the server's proxy, a small hardened container also attached to an ordinary
// network, that forwards only what the allow-list names.
export class EgressProxies {
  readonly #options: EgressProxiesOptions;
  readonly #following = new Map<string, { id: string; stop: () => void }>();

  constructor(options: EgressProxiesOptions) {
    this.#options = options;
  }

  // Makes (or keeps) the server's isolated network and its proxy with the spec's allow-list,
  // running; returns how the server's container joins it.
  async prepare(docker: Docker, spec: ServerSpec, containerName: string): Promise<EgressRoute> {
    const network = egressNetworkName(containerName);
    await this.#ensureNetwork(docker, EGRESS_OUTSIDE_NETWORK, { isolated: false, server: undefined });
    await this.#ensureNetwork(docker, network, { isolated: true, server: spec.name });
    const name = egressProxyName(containerName);
    const image = this.#options.proxyImage();
    const hash = createHash('sha256')
      .update(JSON.stringify({ image, allow: spec.egress, v: 2 }))
      .digest('hex')
      .slice(0, 16);
    let info = await inspectContainer(docker, name);
    if (info && (info.labels[MANAGED] !== 'true' || info.labels[EGRESS_FOR] !== spec.name))
      throw new ContainerOperationError(
        'start the egress proxy',
        name,
        'a container MCP Dock did not make has its name',
      );
    if (info && info.labels[EGRESS_HASH] !== hash) {
      this.#unfollow(spec.name);
      await docker
        .getContainer(info.id)
        .remove({ force: true })
        .catch(() => undefined);
      info = undefined;
    }
    if (!info) await this.#create(docker, spec, name, network, image, hash);
    else if (info.state !== 'running')
      await docker
        .getContainer(info.id)
        .start()
        .catch((error: unknown) => {
          throw toDockerError('start', name, error, image);
        });
    await this.follow(docker, spec.name, containerName);
    const attached = await docker
      .getContainer(name)
      .inspect()
      .catch((error: unknown) => {
        throw toDockerError('inspect', name, error);
      });
    const proxyAddress = attached.NetworkSettings.Networks[network]?.IPAddress ?? '';
    if (!proxyAddress)
      throw new ContainerOperationError('start the egress proxy', name, `it has no address on ${network}`);
    return { network, env: egressEnv(), proxyAddress };
  }

  // Stops the server's proxy (with the server); its network stays for the next start.
  async stop(docker: Docker, server: string, containerName: string): Promise<void> {
    this.#unfollow(server);
    await docker
      .getContainer(egressProxyName(containerName))
      .stop({ t: 1 })
      .catch(() => undefined);
  }

  // Removes the server's proxy and isolated network (with the server's container).
  async remove(docker: Docker, server: string, containerName: string): Promise<void> {
    this.#unfollow(server);
    const info = await inspectContainer(docker, egressProxyName(containerName)).catch(() => undefined);
    if (info && info.labels[EGRESS_FOR] === server)
      await docker
        .getContainer(info.id)
        .remove({ force: true })
        .catch(() => undefined);
    await docker
      .getNetwork(egressNetworkName(containerName))
      .remove()
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw toDockerError('remove', egressNetworkName(containerName), error);
      });
  }

  // Reads the proxy's connection records as they come, from now on (a running proxy MCP Dock
  // finds when it starts, too).
  async follow(docker: Docker, server: string, containerName: string): Promise<void> {
    const info = await inspectContainer(docker, egressProxyName(containerName)).catch(() => undefined);
    if (!info || info.state !== 'running') return this.#unfollow(server);
    if (this.#following.get(server)?.id === info.id) return;
    this.#unfollow(server);
    const stream = (await docker.getContainer(info.id).logs({
      follow: true,
      stdout: true,
      stderr: false,
      since: Math.floor(Date.now() / 1000),
    })) as unknown as Readable;
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const record = parseEgressRecord(line);
        if (record) this.#options.onRecord(server, record);
      }
    });
    stream.on('error', () => undefined);
    stream.on('end', () => {
      if (this.#following.get(server)?.id === info.id) this.#following.delete(server);
    });
    this.#following.set(server, { id: info.id, stop: () => stream.destroy() });
  }

  close(): void {
    for (const server of [...this.#following.keys()]) this.#unfollow(server);
  }

  #unfollow(server: string): void {
    this.#following.get(server)?.stop();
    this.#following.delete(server);
  }

  // The proxy's image is MCP Dock's to fetch, not the user's: pulled when missing. Where it cannot
  // be, the error names the setting that picks another image (one with node, already here).
  async #ensureImage(docker: Docker, name: string, image: string): Promise<void> {
    try {
      await docker.getImage(image).inspect();
      return;
    } catch (error) {
      if (!isNotFound(error)) throw toDockerError('inspect', image, error);
    }
    try {
      await pullImage(docker, image, () => undefined);
    } catch (error) {
      throw new ContainerOperationError(
        'start the egress proxy',
        name,
        `its image ${image} is not on this engine and could not be pulled (${(error as Error).message}). Pull it, or set egress.proxyImage in settings.json to an image here that has node`,
        { cause: error },
      );
    }
  }

  async #ensureNetwork(
    docker: Docker,
    name: string,
    kind: { isolated: boolean; server: string | undefined },
  ): Promise<void> {
    try {
      await docker.getNetwork(name).inspect();
      return;
    } catch (error) {
      if (!isNotFound(error)) throw toDockerError('inspect', name, error);
    }
    await docker
      .createNetwork({
        Name: name,
        // The engine allows two networks of one name (and then refuses to use either by name).
        CheckDuplicate: true,
        Driver: 'bridge',
        Internal: kind.isolated,
        ...(kind.isolated ? { Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true' } } : {}),
        Labels: {
          [MANAGED]: 'true',
          [INSTANCE]: this.#options.instance,
          ...(kind.server ? { [EGRESS_FOR]: kind.server } : {}),
        },
      })
      .catch((error: unknown) => {
        // Made meanwhile by someone else (another start): as good as made here.
        if ((error as { statusCode?: number }).statusCode !== 409) throw toDockerError('create', name, error);
      });
  }

  async #create(
    docker: Docker,
    spec: ServerSpec,
    name: string,
    network: string,
    image: string,
    hash: string,
  ): Promise<void> {
    await this.#ensureImage(docker, name, image);
    let container: Docker.Container;
    try {
      container = await docker.createContainer({
        name,
        Image: image,
        Cmd: egressProxyCommand(spec.egress),
        User: '65534:65534',
        Labels: {
          [MANAGED]: 'true',
          [INSTANCE]: this.#options.instance,
          [EGRESS_FOR]: spec.name,
          [EGRESS_HASH]: hash,
        },
        // Raw lines in its log (no stream framing) for follow().
        Tty: true,
        HostConfig: {
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          ReadonlyRootfs: true,
          Memory: 96 * 1024 * 1024,
          MemorySwap: 96 * 1024 * 1024,
          // A whole CPU: at half of one, bursts of connections queued behind the CFS quota.
          NanoCpus: 1_000_000_000,
          PidsLimit: 64,
          NetworkMode: EGRESS_OUTSIDE_NETWORK,
          Init: true,
          LogConfig: { Type: 'json-file', Config: { 'max-size': '5m', 'max-file': '2' } },
          RestartPolicy: { Name: 'unless-stopped' },
        },
      });
    } catch (error) {
      throw toDockerError('create', name, error, image);
    }
    try {
      await docker
        .getNetwork(network)
        .connect({ Container: container.id, EndpointConfig: { Aliases: [EGRESS_PROXY_ALIAS] } });
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw toDockerError('start', name, error, image);
    }
  }
}
