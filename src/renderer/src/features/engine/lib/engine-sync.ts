import type { DockApi } from '../../../../../shared/contract';
import { describeError } from '../../../common/describe-error';
import { setEngineRequestError, setEngineStatus, setRechecking } from './engine-store';

let api: DockApi | undefined;

// Called once at start-up (and again after a reconnect): fetch, then listen for pushes.
export function startEngineSync(dock: DockApi): () => void {
  api = dock;
  const unsubscribe = dock.engine.onStatus(setEngineStatus);
  void refreshEngineStatus();
  return unsubscribe;
}

export async function refreshEngineStatus(): Promise<void> {
  if (!api) return;
  try {
    setEngineStatus(await api.engine.getStatus());
  } catch (error) {
    setEngineRequestError(describeError(error));
  }
}

export async function recheckEngine(): Promise<void> {
  if (!api) return;
  setRechecking(true);
  try {
    setEngineStatus(await api.engine.recheck());
  } catch (error) {
    setEngineRequestError(describeError(error));
  } finally {
    setRechecking(false);
  }
}
