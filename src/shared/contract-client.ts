import {
  envelopeSchema,
  listChannels,
  type ContractApi,
  type ContractSpec,
  type Unsubscribe,
} from './contract-kit';
import { CallInputError, CallResultError, MalformedReplyError, RemoteError } from './contract-errors';

// Whatever carries the contract (the Electron preload, a WebSocket) looks like this to the client.
export interface ContractTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): Unsubscribe;
}

// Builds the typed API from the contract over any transport. Inputs are checked before they leave
// (early, readable errors) and outputs and events are checked when they arrive: the other side is
// another process and is trusted no further than its schema.
export function createContractClient<C extends ContractSpec>(
  contract: C,
  transport: ContractTransport,
): ContractApi<C> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const { channel, domain, member, spec } of listChannels(contract)) {
    const domainApi = (api[domain] ??= {});
    if (spec.kind === 'call') {
      domainApi[member] = async (input?: unknown) => {
        let payload: unknown = undefined;
        if (spec.input) {
          const parsed = spec.input.safeParse(input);
          if (!parsed.success) throw new CallInputError(`${domain}.${member}`, parsed.error);
          payload = parsed.data;
        }
        const envelope = envelopeSchema.safeParse(await transport.invoke(channel, payload));
        if (!envelope.success) throw new MalformedReplyError(`${domain}.${member}`);
        if (!envelope.data.ok) throw new RemoteError(envelope.data.error);
        const output = spec.output.safeParse(envelope.data.value);
        if (!output.success) throw new CallResultError(`${domain}.${member}`, output.error, 'caller');
        return output.data;
      };
    } else {
      domainApi[member] = (listener: (payload: unknown) => void): Unsubscribe =>
        transport.subscribe(channel, (raw) => {
          const parsed = spec.payload.safeParse(raw);
          if (parsed.success) listener(parsed.data);
        });
    }
  }
  return api as ContractApi<C>;
}
