import { create } from 'zustand';
import type { EngineStatus } from '../../../../../shared/engine';

// A cache of core's engine status; core owns the truth and pushes changes.
interface EngineState {
  status: EngineStatus | null;
  rechecking: boolean;
  // Why the last request to core failed (e.g. the bridge was down), not the engine's own reason.
  requestError: string | null;
}

const initialState: EngineState = { status: null, rechecking: false, requestError: null };

export const useEngineStore = create<EngineState>()(() => ({ ...initialState }));

export function setEngineStatus(status: EngineStatus): void {
  useEngineStore.setState({ status, requestError: null });
}

export function setEngineRequestError(message: string): void {
  useEngineStore.setState({ requestError: message, rechecking: false });
}

export function setRechecking(rechecking: boolean): void {
  useEngineStore.setState({ rechecking });
}

export function resetEngineStore(): void {
  useEngineStore.setState({ ...initialState });
}
