import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createContractClient, type ContractTransport } from './contract-client';
import {
  call,
  channelName,
  event,
  listChannels,
  query,
  splitChannel,
  type ContractApi,
} from './contract-kit';
import { serveContract } from './contract-server';
import { contract } from './contract';
import { DockError } from './errors';

const demo = {
  math: {
    double: call(z.object({ n: z.number().int() }).strict(), z.object({ n: z.number() })),
    zero: query(z.number()),
    onTick: event(z.object({ at: z.number() })),
  },
} as const;

function inMemory(served: ReturnType<typeof serveContract>): ContractTransport {
  return {
    invoke: (channel, input) => served.calls.get(channel)!.invoke(input),
    subscribe: (channel, listener) => served.events.get(channel)!.subscribe(listener),
  };
}

type DemoMath = ContractApi<typeof demo>['math'];
type MutableMath = { -readonly [K in keyof DemoMath]: DemoMath[K] };

function makeImpl() {
  const ticks = new Set<(p: { at: number }) => void>();
  const impl: { math: MutableMath } = {
    math: {
      double: vi.fn(async ({ n }: { n: number }) => ({ n: n * 2 })),
      zero: vi.fn(async () => 0),
      onTick: (listener: (p: { at: number }) => void) => {
        ticks.add(listener);
        return () => ticks.delete(listener);
      },
    },
  };
  return { impl, tick: (p: unknown) => ticks.forEach((l) => l(p as { at: number })) };
}

describe('contract kit', () => {
  it('names channels with the prefix and splits them back', () => {
    expect(channelName('engine', 'getStatus')).toBe('mcp-dock:engine.getStatus');
    expect(splitChannel('mcp-dock:engine.getStatus')).toEqual({ domain: 'engine', member: 'getStatus' });
    expect(splitChannel('other:engine.getStatus')).toBeUndefined();
    expect(splitChannel('mcp-dock:engine.')).toBeUndefined();
  });

  it('lists every member of the real contract, events named onX', () => {
    const channels = listChannels(contract).map((c) => c.channel);
    expect(channels).toEqual([
      'mcp-dock:app.getInfo',
      'mcp-dock:engine.getStatus',
      'mcp-dock:engine.recheck',
      'mcp-dock:engine.onStatus',
      ...[
        'list',
        'add',
        'update',
        'remove',
        'start',
        'stop',
        'restart',
        'removeContainer',
        'pull',
        'probe',
        'logs',
        'orphans',
        'removeOrphan',
      ].map((m) => `mcp-dock:servers.${m}`),
      'mcp-dock:servers.onChanged',
      'mcp-dock:servers.onPullProgress',
      'mcp-dock:servers.onLogs',
      ...['list', 'add', 'update', 'remove', 'signIn', 'signOut'].map((m) => `mcp-dock:remotes.${m}`),
      'mcp-dock:remotes.onChanged',
      ...['list', 'add', 'update', 'remove'].map((m) => `mcp-dock:profiles.${m}`),
      'mcp-dock:profiles.onChanged',
      ...['registries', 'search', 'add', 'refresh'].map((m) => `mcp-dock:catalog.${m}`),
      'mcp-dock:catalog.onProgress',
      'mcp-dock:snippets.get',
      'mcp-dock:clientConfigs.add',
      'mcp-dock:clientConfigs.remove',
      'mcp-dock:clientConfigs.has',
      'mcp-dock:oauth.consents',
      'mcp-dock:oauth.decideConsent',
      'mcp-dock:oauth.onConsents',
      ...[
        'clients',
        'createClient',
        'revokeClient',
        'tokens',
        'revokeToken',
        'grants',
        'revokeGrant',
        'resources',
        'createTestToken',
        'inspectToken',
      ].map((m) => `mcp-dock:oauth.${m}`),
      'mcp-dock:oauth.onChanged',
      'mcp-dock:oauth.signingKeys',
      'mcp-dock:oauth.rotateSigningKey',
      ...[
        'getConfig',
        'setConfig',
        'scan',
        'patterns',
        'savePatterns',
        'checkPattern',
        'fernetKeys',
        'rotateFernetKey',
      ].map((m) => `mcp-dock:security.${m}`),
      'mcp-dock:audit.query',
      'mcp-dock:audit.verify',
      'mcp-dock:audit.export',
      'mcp-dock:audit.onEvents',
      'mcp-dock:gateway.status',
      'mcp-dock:gateway.setToolEnabled',
      'mcp-dock:gateway.snippet',
      'mcp-dock:gateway.setToolPolicy',
      'mcp-dock:gateway.pins',
      'mcp-dock:gateway.approveTools',
      'mcp-dock:gateway.keepWithheld',
      'mcp-dock:gateway.onChanged',
      'mcp-dock:approvals.list',
      'mcp-dock:approvals.decide',
      'mcp-dock:approvals.onChanged',
    ]);
  });

  it('refuses an event not named onX, and an onX that is not an event', () => {
    expect(() => listChannels({ d: { tick: event(z.number()) } })).toThrow(/events are named onX/);
    expect(() => listChannels({ d: { onTick: query(z.number()) } })).toThrow(/events are named onX/);
  });
});

describe('serving and calling the contract', () => {
  it('round-trips a call with validation on both sides', async () => {
    const { impl } = makeImpl();
    const client = createContractClient(demo, inMemory(serveContract(demo, impl)));
    await expect(client.math.double({ n: 21 })).resolves.toEqual({ n: 42 });
    await expect(client.math.zero()).resolves.toBe(0);
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'n=1'],
    ['a wrong type', { n: 'one' }],
    ['an extra key', { n: 1, extra: true }],
    ['a __proto__ key', JSON.parse('{"n":1,"__proto__":{"polluted":true}}')],
  ])('rejects %s as input on the server without calling the implementation', async (_label, bad) => {
    const { impl } = makeImpl();
    const served = serveContract(demo, impl);
    const result = await served.calls.get('mcp-dock:math.double')!.invoke(bad);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(impl.math.double).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects input to a call that takes none', async () => {
    const { impl } = makeImpl();
    const result = await serveContract(demo, impl).calls.get('mcp-dock:math.zero')!.invoke({ sneaky: 1 });
    expect(result).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'math.zero takes no input' },
    });
    expect(impl.math.zero).not.toHaveBeenCalled();
  });

  it('carries a DockError code across, and hides other errors behind INTERNAL', async () => {
    const { impl } = makeImpl();
    impl.math.zero = async () => {
      throw new DockError('PORT_IN_USE', 'busy');
    };
    const client = createContractClient(demo, inMemory(serveContract(demo, impl)));
    await expect(client.math.zero()).rejects.toMatchObject({ code: 'PORT_IN_USE', message: 'busy' });
    impl.math.zero = async () => {
      throw new TypeError('x is undefined');
    };
    const client2 = createContractClient(demo, inMemory(serveContract(demo, impl)));
    await expect(client2.math.zero()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('refuses an implementation result that breaks the schema', async () => {
    const { impl } = makeImpl();
    impl.math.zero = (async () => 'zero') as unknown as () => Promise<number>;
    const client = createContractClient(demo, inMemory(serveContract(demo, impl)));
    await expect(client.math.zero()).rejects.toMatchObject({ code: 'INVALID_OUTPUT' });
  });

  it('the client checks its own input before sending, and the reply after', async () => {
    const transport: ContractTransport = {
      invoke: vi.fn(async () => ({ ok: true, value: { n: 'nope' } })),
      subscribe: vi.fn(),
    };
    const client = createContractClient(demo, transport);
    await expect(client.math.double({ n: 1.5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(transport.invoke).not.toHaveBeenCalled();
    await expect(client.math.double({ n: 1 })).rejects.toMatchObject({ code: 'INVALID_OUTPUT' });
    (transport.invoke as ReturnType<typeof vi.fn>).mockResolvedValueOnce('garbage');
    await expect(client.math.double({ n: 1 })).rejects.toMatchObject({
      code: 'INVALID_OUTPUT',
      message: /malformed reply/,
    });
  });

  it('delivers valid events and drops malformed ones, and unsubscribes', () => {
    const { impl, tick } = makeImpl();
    const client = createContractClient(demo, inMemory(serveContract(demo, impl)));
    const seen: unknown[] = [];
    const stop = client.math.onTick((p) => seen.push(p));
    tick({ at: 1 });
    tick({ at: 'later' });
    stop();
    tick({ at: 2 });
    expect(seen).toEqual([{ at: 1 }]);
  });
});

describe('servers.start and servers.restart', () => {
  // The CLI waits for the MCP probe through the contract; the panel sends no flag and does not.
  it.each(['start', 'restart'] as const)(
    '%s takes an optional waitForProbe flag, and only a boolean',
    (m) => {
      const input = contract.servers[m].input;
      expect(input.parse({ name: 'mine' })).toEqual({ name: 'mine' });
      expect(input.parse({ name: 'mine', onClash: 'adopt', waitForProbe: true })).toEqual({
        name: 'mine',
        onClash: 'adopt',
        waitForProbe: true,
      });
      for (const bad of ['yes', 1, null])
        expect(input.safeParse({ name: 'mine', waitForProbe: bad }).success).toBe(false);
      expect(input.safeParse({ name: 'mine', wait: true }).success).toBe(false);
    },
  );
});
