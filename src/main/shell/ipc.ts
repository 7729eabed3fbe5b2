import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_PREFIX, errorEnvelope, type Envelope, type Unsubscribe } from '../../shared/contract-kit';
import { ContractDefectError, UntrustedSenderError } from '../../shared/contract-errors';
import type { ServedContract } from '../../shared/contract-server';
import { isAppUrl } from './app-url';

// Only our own top-level page may call core: not an iframe, not a page that navigated away.
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}

export function bindIpc(ipcMain: IpcMain, served: ServedContract): Unsubscribe {
  const channels: string[] = [];
  for (const [channel, target] of served.calls) {
    if (!channel.startsWith(CHANNEL_PREFIX))
      throw new ContractDefectError(`contract channel without prefix: ${channel}`);
    ipcMain.handle(channel, async (event, input: unknown): Promise<Envelope> => {
      if (!isTrustedSender(event)) return errorEnvelope(new UntrustedSenderError().toPayload());
      return target.invoke(input);
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

// Core's events go to our windows only, carrying the payload and nothing of Electron's event.
export function forwardEvents(served: ServedContract, targets: () => WebContents[]): Unsubscribe {
  const stops = [...served.events.values()].map((target) =>
    target.subscribe((payload) => {
      for (const contents of targets()) {
        if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(target.channel, payload);
      }
    }),
  );
  return () => stops.forEach((stop) => stop());
}
