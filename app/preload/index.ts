/**
 * The preload: puts `window.continuo` (exactly `ContinuoApi`) into the page, nothing more. It runs in
 * a sandboxed renderer, where a preload is one CommonJS script that may require only 'electron';
 * hence this folder compiles to CommonJS and imports nothing else at run time (types only).
 */
import type {
  ApiEvents,
  ContinuoApi,
  EventName,
  MethodArgs,
  MethodName,
  MethodResult,
} from '../contract/api.js';
import type { EVENT_CHANNEL, INVOKE_CHANNEL, IpcReply } from '../contract/ipc.js';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS
import electron = require('electron');

const invokeChannel: typeof INVOKE_CHANNEL = 'continuo:invoke';
const eventChannel: typeof EVENT_CHANNEL = 'continuo:event';
const { contextBridge, ipcRenderer } = electron;

const api = {
  async invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    const reply: IpcReply = await ipcRenderer.invoke(invokeChannel, method, args);
    if (!reply.ok) throw new Error(reply.message);
    // main produced this result for this method through the same contract
    return reply.result as MethodResult<M>;
  },
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const handler = (_event: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as ApiEvents[E]);
    };
    ipcRenderer.on(eventChannel, handler);
    return () => {
      ipcRenderer.removeListener(eventChannel, handler);
    };
  },
} satisfies ContinuoApi;

contextBridge.exposeInMainWorld('continuo', api);
