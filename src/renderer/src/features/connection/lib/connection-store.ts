import { create } from 'zustand';
import type { AppInfo } from '../../../../../shared/app-info';
import type { ConnectionState } from '../../../lib/ws-transport';

interface ConnectionStoreState {
  state: ConnectionState;
  info: AppInfo | null;
}

const initialState: ConnectionStoreState = { state: 'connecting', info: null };

export const useConnectionStore = create<ConnectionStoreState>()(() => ({ ...initialState }));

export function setConnectionState(state: ConnectionState): void {
  useConnectionStore.setState({ state });
}

export function setAppInfo(info: AppInfo): void {
  useConnectionStore.setState({ info });
}

export function resetConnectionStore(): void {
  useConnectionStore.setState({ ...initialState });
}
