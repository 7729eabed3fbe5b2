import {
  errorEnvelope,
  listChannels,
  toErrorPayload,
  type ContractImpl,
  type ContractSpec,
  type Envelope,
  type Unsubscribe,
} from './contract-kit';
import {
  CallInputError,
  CallResultError,
  ContractDefectError,
  UnexpectedInputError,
} from './contract-errors';

// The serving half of the contract, shared by the Electron IPC binding and the headless
// WebSocket bridge: every input is parsed before the implementation sees it, every output
// and event payload is parsed before it leaves.

export interface ServedCall {
  readonly channel: string;
  invoke(rawInput: unknown): Promise<Envelope>;
}

export interface ServedEvent {
  readonly channel: string;
  subscribe(listener: (payload: unknown) => void): Unsubscribe;
}

export interface ServedContract {
  readonly calls: ReadonlyMap<string, ServedCall>;
  readonly events: ReadonlyMap<string, ServedEvent>;
}

type AnyFn = (...args: unknown[]) => unknown;

function memberOf(api: unknown, domain: string, member: string): AnyFn {
  const domainApi = (api as Record<string, Record<string, unknown>>)[domain];
  const fn = domainApi?.[member];
  if (typeof fn !== 'function') throw new ContractDefectError(`implementation lacks ${domain}.${member}`);
  return fn.bind(domainApi) as AnyFn;
}

export function serveContract<C extends ContractSpec>(contract: C, api: ContractImpl<C>): ServedContract {
  const calls = new Map<string, ServedCall>();
  const events = new Map<string, ServedEvent>();

  for (const { channel, domain, member, spec } of listChannels(contract)) {
    const fn = memberOf(api, domain, member);
    if (spec.kind === 'call') {
      calls.set(channel, {
        channel,
        async invoke(rawInput) {
          let args: unknown[] = [];
          if (spec.input) {
            const parsed = spec.input.safeParse(rawInput);
            if (!parsed.success)
              return errorEnvelope(new CallInputError(`${domain}.${member}`, parsed.error).toPayload());
            args = [parsed.data];
          } else if (rawInput !== undefined && rawInput !== null) {
            return errorEnvelope(new UnexpectedInputError(`${domain}.${member}`).toPayload());
          }
          try {
            const result = await fn(...args);
            const checked = spec.output.safeParse(result);
            if (!checked.success)
              return errorEnvelope(
                new CallResultError(`${domain}.${member}`, checked.error, 'core').toPayload(),
              );
            return { ok: true, value: checked.data };
          } catch (error) {
            return errorEnvelope(toErrorPayload(error));
          }
        },
      });
    } else {
      events.set(channel, {
        channel,
        subscribe(listener) {
          const unsubscribe = fn((payload: unknown) => {
            const checked = spec.payload.safeParse(payload);
            // A malformed event is a bug in core; dropping it keeps the UI's cache consistent.
            if (checked.success) listener(checked.data);
          });
          return unsubscribe as Unsubscribe;
        },
      });
    }
  }
  return { calls, events };
}
