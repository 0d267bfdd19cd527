/**
 * Binds `ContinuoApi` to Electron's IPC: every call is checked for its sender frame, then validated
 * and dispatched by the services; events are forwarded to the window.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { EventName } from '../contract/api.js';
import { EVENT_NAMES } from '../contract/events.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type IpcReply } from '../contract/ipc.js';
import { describeFailure, type Services } from '../services/index.js';
import { isTrustedSender } from './security.js';

export interface IpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  services: Pick<Services, 'invoke' | 'on'>;
  /** Delivers an event to the app window (main owns which window that is). */
  send: (channel: typeof EVENT_CHANNEL, event: EventName, payload: unknown) => void;
  log?: (message: string, error?: unknown) => void;
  /** Starts the OS file drag of `file` from the calling window (main gives it an icon). */
  startDrag?: StartDrag;
}

export type StartDrag = (sender: WebContents, file: string) => Promise<void>;
type InvokeEvent = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender?: WebContents };

export function createInvokeHandler(
  services: Pick<Services, 'invoke'>,
  log: (message: string, error?: unknown) => void = console.error,
  startDrag?: StartDrag,
): (event: InvokeEvent, method: unknown, args: unknown) => Promise<IpcReply> {
  return async (event, method, args) => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame)) {
      log(`continuo: refused an IPC call from ${frame?.url ?? 'an unknown frame'}`);
      return { ok: false, message: 'refused: this call did not come from the Continuo window' };
    }
    try {
      const sender = event.sender;
      const caller = startDrag && sender ? { startDrag: (file: string) => startDrag(sender, file) } : {};
      return { ok: true, result: await services.invoke(method, args, caller) };
    } catch (error) {
      const failure = describeFailure(method, error);
      if (failure.unexpected) log(`continuo: ${failure.message}`, error);
      return { ok: false, message: failure.message };
    }
  };
}

/** Returns the teardown (used when the app quits). */
export function setupIpc({ ipcMain, services, send, log, startDrag }: IpcOptions): () => void {
  ipcMain.handle(INVOKE_CHANNEL, createInvokeHandler(services, log, startDrag));
  const unsubscribe = EVENT_NAMES.map((event) =>
    services.on(event, (payload) => send(EVENT_CHANNEL, event, payload)),
  );
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    for (const off of unsubscribe) off();
  };
}
