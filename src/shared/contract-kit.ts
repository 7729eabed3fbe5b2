import { z } from 'zod';
import { DockError, errorPayloadSchema, formatZodError, type ErrorPayload } from './errors';
import { ContractDefectError } from './contract-errors';

// The contract is data: each domain lists its calls and events with zod schemas, and every
// transport (Electron IPC, the headless WebSocket) derives its wiring from that data, the way
// VS Code's ProxyChannel turns a service interface into a channel. Nothing else names a channel.

export interface CallSpec<I extends z.ZodType | null = z.ZodType | null, O extends z.ZodType = z.ZodType> {
  readonly kind: 'call';
  readonly input: I;
  readonly output: O;
}

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
}

export type MemberSpec = CallSpec | EventSpec;
// Event members are named `onX` so that a domain reads like a service interface.
export type DomainSpec = { readonly [name: string]: MemberSpec };
export type ContractSpec = { readonly [domain: string]: DomainSpec };

export function query<O extends z.ZodType>(output: O): CallSpec<null, O> {
  return { kind: 'call', input: null, output };
}

export function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallSpec<I, O> {
  return { kind: 'call', input, output };
}

export function event<P extends z.ZodType>(payload: P): EventSpec<P> {
  return { kind: 'event', payload };
}

export type Unsubscribe = () => void;

type CallFn<S> =
  S extends CallSpec<infer I, infer O>
    ? I extends z.ZodType
      ? (input: z.input<I>) => Promise<z.output<O>>
      : () => Promise<z.output<O>>
    : never;

type EventFn<S> =
  S extends EventSpec<infer P> ? (listener: (payload: z.output<P>) => void) => Unsubscribe : never;

export type DomainApi<D extends DomainSpec> = {
  [K in keyof D]: D[K] extends CallSpec ? CallFn<D[K]> : EventFn<D[K]>;
};

export type ContractApi<C extends ContractSpec> = { [K in keyof C]: DomainApi<C[K]> };

// What core implements: the same members, but inputs arrive already parsed (defaults applied),
// so the implementation sees the schema's output type where the client sends its input type.
type ImplCallFn<S> =
  S extends CallSpec<infer I, infer O>
    ? I extends z.ZodType
      ? (input: z.output<I>) => Promise<z.output<O>>
      : () => Promise<z.output<O>>
    : never;
export type DomainImpl<D extends DomainSpec> = {
  [K in keyof D]: D[K] extends CallSpec ? ImplCallFn<D[K]> : EventFn<D[K]>;
};
export type ContractImpl<C extends ContractSpec> = { [K in keyof C]: DomainImpl<C[K]> };

// Results cross every boundary as an envelope: `ipcMain.handle` keeps only an error's message,
// and a WebSocket keeps nothing, so the code travels as data.
export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorPayloadSchema }),
]);
export type Envelope = z.infer<typeof envelopeSchema>;

// What the Electron preload exposes: the same members, one level below the typed client.
type RawCallFn<S> =
  S extends CallSpec<infer I>
    ? I extends z.ZodType
      ? (input: unknown) => Promise<Envelope>
      : () => Promise<Envelope>
    : never;
type RawEventFn<S> = S extends EventSpec ? (listener: (payload: unknown) => void) => Unsubscribe : never;
export type RawDomainApi<D extends DomainSpec> = {
  [K in keyof D]: D[K] extends CallSpec ? RawCallFn<D[K]> : RawEventFn<D[K]>;
};
export type RawContractApi<C extends ContractSpec> = { [K in keyof C]: RawDomainApi<C[K]> };

export const CHANNEL_PREFIX = 'mcp-dock:';

export interface ChannelEntry {
  readonly channel: string;
  readonly domain: string;
  readonly member: string;
  readonly spec: MemberSpec;
}

export function channelName(domain: string, member: string): string {
  return `${CHANNEL_PREFIX}${domain}.${member}`;
}

export function listChannels(contract: ContractSpec): ChannelEntry[] {
  const entries: ChannelEntry[] = [];
  for (const [domain, members] of Object.entries(contract)) {
    for (const [member, spec] of Object.entries(members)) {
      const isEventName = /^on[A-Z]/.test(member);
      if ((spec.kind === 'event') !== isEventName) {
        throw new ContractDefectError(
          `contract member ${domain}.${member}: events are named onX and only events are`,
        );
      }
      entries.push({ channel: channelName(domain, member), domain, member, spec });
    }
  }
  return entries;
}

export function errorEnvelope(error: ErrorPayload): Envelope {
  return { ok: false, error };
}

// Turns whatever a handler threw into something safe to send: a DockError keeps its code and
// message; anything else is reported as INTERNAL without its stack or internals.
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof DockError) return error.toPayload();
  if (error instanceof z.ZodError) return { code: 'INVALID_INPUT', message: formatZodError(error) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: message || 'unexpected error' };
}

export function splitChannel(channel: string): { domain: string; member: string } | undefined {
  if (!channel.startsWith(CHANNEL_PREFIX)) return undefined;
  const rest = channel.slice(CHANNEL_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  return { domain: rest.slice(0, dot), member: rest.slice(dot + 1) };
}
