import { create } from 'zustand';
import type { DockApi } from '../../../../../shared/contract';
import type { GatewayStatus } from '../../../../../shared/gateway';
import type { ToolPin } from '../../../../../shared/pins';
import { describeError } from '../../../common/describe-error';

// Core says "changed" in bursts (a server starting connects, lists tools, lists prompts…): one
// re-read per burst.
export const GATEWAY_REFRESH_DEBOUNCE_MS = 200;

// Traffic (calls per minute, a session's last request) moves without a push: while the pane is open
// it re-reads this often.
export const GATEWAY_POLL_MS = 10_000;

export type GatewayLoad = 'idle' | 'loading' | 'ready';

export interface GatewayState {
  // What the pane shows: core's last answer with the switches still in flight applied on top.
  status: GatewayStatus | null;
  load: GatewayLoad;
  // Reading status failed.
  error: string | null;
  // The last switch core refused, next to the server it belongs to.
  toggleError: { server: string; tool: string; enabled: boolean; message: string } | null;
  // Every pinned tool, with what changed; the review dialog shows one of them.
  pins: ToolPin[];
  reviewing: { server: string; tool: string } | null;
  // An approval (or keep-withheld) core refused, shown in the dialog; busy while one is sent.
  pinError: string | null;
  pinBusy: boolean;
  // The last call policy core refused to set, beside its server.
  policyError: { server: string; tool: string; message: string } | null;
}

const initialState = (): GatewayState => ({
  status: null,
  load: 'idle',
  error: null,
  toggleError: null,
  pins: [],
  reviewing: null,
  pinError: null,
  pinBusy: false,
  policyError: null,
});

export const useGatewayStore = create<GatewayState>()(() => initialState());
const get = useGatewayStore.getState;
const set = useGatewayStore.setState;

let api: DockApi | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
// Bumped by every refresh and reset: the answer to an earlier read is then dropped.
let generation = 0;
// Core's own word, before any optimistic switch.
let confirmed: GatewayStatus | null = null;
// Switches sent and not yet answered, by "server/tool": the value shown and which request set it.
const inFlight = new Map<string, { enabled: boolean; request: number }>();
let requests = 0;

const keyOf = (server: string, tool: string) => `${server}/${tool}`;

function withSwitches(status: GatewayStatus | null): GatewayStatus | null {
  if (!status || inFlight.size === 0) return status;
  return {
    ...status,
    servers: status.servers.map((server) => ({
      ...server,
      tools: server.tools.map((tool) => {
        const pending = inFlight.get(keyOf(server.server, tool.upstreamName));
        return pending && pending.enabled !== tool.enabled ? { ...tool, enabled: pending.enabled } : tool;
      }),
    })),
  };
}

function show(): void {
  set({ status: withSwitches(confirmed) });
}

// Called once by startSync: core's pushes land here whichever pane is open.
export function startGatewaySync(dock: DockApi): () => void {
  api = dock;
  const stop = dock.gateway.onChanged(scheduleGatewayRefresh);
  void refreshGateway();
  return () => {
    stop();
    clearTimeout(timer);
    timer = undefined;
  };
}

// Many pushes within the debounce window make one read, after the last of them.
export function scheduleGatewayRefresh(): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    void refreshGateway();
  }, GATEWAY_REFRESH_DEBOUNCE_MS);
}

// The pane calls this when it opens: a read if the first one failed or never ran, then one every
// GATEWAY_POLL_MS until it closes.
export function watchGateway(): () => void {
  const { load, error } = get();
  if (load === 'idle' || (load === 'ready' && error)) void refreshGateway();
  const poll = setInterval(() => void refreshGateway(), GATEWAY_POLL_MS);
  return () => clearInterval(poll);
}

export async function refreshGateway(): Promise<void> {
  if (!api) return;
  const run = ++generation;
  if (get().load === 'idle') set({ load: 'loading' });
  try {
    const [status, pins] = await Promise.all([api.gateway.status(), api.gateway.pins()]);
    if (run !== generation) return;
    confirmed = status;
    set({ status: withSwitches(status), pins, load: 'ready', error: null });
  } catch (error) {
    if (run !== generation) return;
    set({ load: 'ready', error: describeError(error) });
  }
}

// Shows the switch at once; if core refuses, the tool goes back to what core last said and the
// refusal is reported beside its server.
export async function setGatewayToolEnabled(server: string, tool: string, enabled: boolean): Promise<void> {
  if (!api) return;
  const key = keyOf(server, tool);
  const request = ++requests;
  inFlight.set(key, { enabled, request });
  set({ toggleError: null });
  show();
  try {
    const status = await api.gateway.setToolEnabled({ server, tool, enabled });
    if (!isCurrent(key, request)) return;
    inFlight.delete(key);
    // Newer than any read still on its way: that read's answer is dropped.
    generation++;
    confirmed = status;
    set({ status: withSwitches(status), load: 'ready', error: null });
  } catch (error) {
    if (!isCurrent(key, request)) return;
    inFlight.delete(key);
    show();
    set({ toggleError: { server, tool, enabled, message: describeError(error) } });
  }
}

// A later switch of the same tool (or a reset) supersedes this one.
function isCurrent(key: string, request: number): boolean {
  return inFlight.get(key)?.request === request;
}

// A tool's call policy (null: back to its server's, or its annotations'); the card shows core's
// answer, or why it refused.
export async function setGatewayToolPolicy(
  server: string,
  tool: string,
  policy: 'allow' | 'ask' | 'deny' | null,
): Promise<void> {
  if (!api) return;
  set({ policyError: null });
  try {
    const status = await api.gateway.setToolPolicy({ server, tool, policy });
    generation++;
    confirmed = status;
    set({ status: withSwitches(status), load: 'ready', error: null });
  } catch (error) {
    set({ policyError: { server, tool, message: describeError(error) } });
  }
}

export function openPinReview(server: string, tool: string): void {
  set({ reviewing: { server, tool }, pinError: null });
}

export function closePinReview(): void {
  set({ reviewing: null, pinError: null });
}

// Approves what the server offers now (or keeps it withheld); the dialog closes once core agrees,
// and stays open with core's reason when it does not.
export async function decidePin(server: string, tool: string, decision: 'approve' | 'keep'): Promise<void> {
  if (!api || get().pinBusy) return;
  set({ pinBusy: true, pinError: null });
  try {
    if (decision === 'approve') await api.gateway.approveTools({ server, tools: [tool] });
    else await api.gateway.keepWithheld({ server, tool });
    set({ pinBusy: false, reviewing: null });
    await refreshGateway();
  } catch (error) {
    set({ pinBusy: false, pinError: describeError(error) });
  }
}

export function resetGatewayStore(): void {
  generation++;
  clearTimeout(timer);
  timer = undefined;
  confirmed = null;
  inFlight.clear();
  set(initialState());
}
