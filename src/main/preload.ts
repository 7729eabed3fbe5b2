import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { contract, type RawDockApi } from '../shared/contract';
import { listChannels, type Unsubscribe } from '../shared/contract-kit';

// Exposes exactly the contract's members as window.mcpDock: one function per call, one
// subscription per event. No raw ipcRenderer, no generic send/on, and listeners get the payload
// only, never Electron's event object.
function buildApi(): RawDockApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const { channel, domain, member, spec } of listChannels(contract)) {
    const target = (api[domain] ??= {});
    target[member] =
      spec.kind === 'call'
        ? (input?: unknown) => ipcRenderer.invoke(channel, input)
        : (listener: (payload: unknown) => void): Unsubscribe => {
            if (typeof listener !== 'function') throw new TypeError(`${domain}.${member} needs a function`);
            const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
            ipcRenderer.on(channel, handler);
            return () => ipcRenderer.removeListener(channel, handler);
          };
  }
  return api as RawDockApi;
}

const mcpDock = buildApi() satisfies RawDockApi;
contextBridge.exposeInMainWorld('mcpDock', mcpDock);
