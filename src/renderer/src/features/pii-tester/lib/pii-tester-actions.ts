import type { DockApi } from '../../../../../shared/contract';

type Input<Call extends (input: never) => unknown> = Parameters<Call>[0];

let api: DockApi | undefined;

function dock(): DockApi {
  if (!api) throw new Error('PII tester not started');
  return api;
}

// Called once by startSync. Nothing is pushed to this pane and nothing it shows is kept: the
// text goes to core only to be scanned.
export function setPiiTesterApi(next: DockApi): void {
  api = next;
}

export const scanText = (input: Input<DockApi['security']['scan']>) => dock().security.scan(input);
export const loadSecurityConfig = () => dock().security.getConfig();
export const loadPatterns = () => dock().security.patterns();
export const checkPattern = (input: Input<DockApi['security']['checkPattern']>) =>
  dock().security.checkPattern(input);
export const savePatterns = (input: Input<DockApi['security']['savePatterns']>) =>
  dock().security.savePatterns(input);
