import { splitChannel, type Unsubscribe } from '../../../shared/contract-kit';
import type { ContractTransport } from '../../../shared/contract-client';
import type { RawDockApi } from '../../../shared/contract';

type RawMember = (arg?: unknown) => unknown;

// The desktop app's transport: the preload already exposes one function per contract member.
export function createPreloadTransport(raw: RawDockApi): ContractTransport {
  const member = (channel: string): RawMember => {
    const parts = splitChannel(channel);
    const fn = parts
      ? (raw as unknown as Record<string, Record<string, unknown>>)[parts.domain]?.[parts.member]
      : undefined;
    if (typeof fn !== 'function') throw new Error(`the preload does not expose ${channel}`);
    return fn as RawMember;
  };
  return {
    invoke: (channel, input) => Promise.resolve(member(channel)(input)),
    subscribe: (channel, listener) => member(channel)(listener) as Unsubscribe,
  };
}
