import { appInfoSchema } from './app-info';
import { event, query, type ContractApi, type RawContractApi } from './contract-kit';
import { engineStatusSchema } from './engine';

// Every call and event between the UI and core. Adding a call is one line here plus its
// implementation in core; the IPC binding, the preload, the WebSocket bridge and the renderer's
// client all derive from this object.
export const contract = {
  app: {
    getInfo: query(appInfoSchema),
  },
  engine: {
    getStatus: query(engineStatusSchema),
    recheck: query(engineStatusSchema),
    onStatus: event(engineStatusSchema),
  },
} as const;

export type Contract = typeof contract;
export type DockApi = ContractApi<Contract>;
export type RawDockApi = RawContractApi<Contract>;
