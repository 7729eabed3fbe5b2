import type { DockApi } from '../../../../../shared/contract';

type Input<Call extends (input: never) => unknown> = Parameters<Call>[0];

let api: DockApi | undefined;

function dock(): DockApi {
  if (!api) throw new Error('connect not started');
  return api;
}

// Called once by startSync. Nothing is pushed to this pane: it asks core whenever the user picks
// a client, a server or a form, and keeps the answers itself.
export function setConnectApi(next: DockApi): void {
  api = next;
}

export const getServerSnippet = (input: Input<DockApi['snippets']['get']>) => dock().snippets.get(input);

export const getGatewaySnippet = (input: Input<DockApi['gateway']['snippet']>) =>
  dock().gateway.snippet(input);

type ClientConfigInput = Input<DockApi['clientConfigs']['has']>;

export const hasClientConfigEntry = (input: ClientConfigInput) => dock().clientConfigs.has(input);
export const addToClientConfig = (input: ClientConfigInput) => dock().clientConfigs.add(input);
export const removeFromClientConfig = (input: ClientConfigInput) => dock().clientConfigs.remove(input);
