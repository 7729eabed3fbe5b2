import { z } from 'zod';
import { envelopeSchema } from './contract-kit';

// The headless WebSocket's messages. Ids pair calls with results; subscriptions are per channel.
export const BRIDGE_PATH = '/bridge';
export const BRIDGE_MAX_MESSAGE_BYTES = 1024 * 1024;

export const bridgeClientMessageSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('call'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(200),
    input: z.unknown().optional(),
  }),
  z.object({ t: z.literal('sub'), channel: z.string().max(200) }),
  z.object({ t: z.literal('unsub'), channel: z.string().max(200) }),
]);
export type BridgeClientMessage = z.infer<typeof bridgeClientMessageSchema>;

export const bridgeServerMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: z.number().int().nonnegative(), result: envelopeSchema }),
  z.object({ t: z.literal('event'), channel: z.string(), payload: z.unknown() }),
  z.object({ t: z.literal('error'), message: z.string() }),
]);
export type BridgeServerMessage = z.infer<typeof bridgeServerMessageSchema>;

// Headless mode's panel session: the page trades the printed token at PANEL_SESSION_PATH for a
// session secret, keeps it in localStorage (separate per port, unlike cookies) and presents it
// as a WebSocket subprotocol, since browsers let pages set no other handshake header.
export const PANEL_SESSION_PATH = '/session';
export const BRIDGE_PROTOCOL = 'mcp-dock.bridge';
export const SESSION_PROTOCOL_PREFIX = 'mcp-dock.session.';
export const PANEL_SESSION_STORAGE_KEY = 'mcp-dock.panel-session';
export const panelSessionRequestSchema = z.object({ token: z.string().min(1).max(200) }).strict();
export const panelSessionReplySchema = z.object({ session: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/) });
