/**
 * `ContinuoApi` for the browser host: the same contract Electron's preload provides, carried over
 * one WebSocket (protocol in app/contract/wire.ts). Calls made before the socket opens wait for it;
 * if the connection is lost, every pending and later call rejects with a message fit to show, and
 * every job the page knew to be running ends with `job.failed` carrying that message (no host is
 * left to end it).
 */
import type {
  ApiEvents,
  ContinuoApi,
  EventName,
  JobFailedEvent,
  JobId,
  MethodArgs,
  MethodName,
  MethodResult,
} from '../../../app/contract/api';
import type { ClientMessage } from '../../../app/contract/wire';
import { decodeWire, encodeWire, endsJob, parseServerMessage } from '../../../app/contract/wire-codec';

/** The part of the WebSocket interface the client uses, so tests can pass Node's `ws`. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface WebClient extends ContinuoApi {
  close(): void;
}

const OPEN = 1;

/** The host's API address for a page served at `pageUrl` (which carries the per-run `?token=`). */
export function apiUrlFor(pageUrl: string): string | null {
  const page = new URL(pageUrl);
  const token = page.searchParams.get('token');
  if (!token) return null;
  const protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${page.host}/api?token=${encodeURIComponent(token)}`;
}

/** A result or event payload naming a job: `{job: "<id>", ...}`. */
function jobOf(value: unknown): JobId | null {
  return typeof value === 'object' && value !== null && 'job' in value && typeof value.job === 'string'
    ? value.job
    : null;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; method: MethodName };

export function createWebClient(
  apiUrl: string,
  openSocket: SocketFactory = (url) => new WebSocket(url),
): WebClient {
  const socket = openSocket(apiUrl);
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const queued: string[] = [];
  /** Jobs started or reported and not yet ended, so losing the host can end them. */
  const openJobs = new Set<JobId>();
  let nextId = 1;
  let lostReason: string | null = null;

  const deliver = (event: EventName, payload: unknown) => {
    // The host produced the payload for this event through the same contract.
    for (const listener of listeners.get(event) ?? []) listener(payload as never);
  };

  const failAll = (reason: string) => {
    lostReason ??= reason;
    for (const call of pending.values()) call.reject(new Error(lostReason));
    pending.clear();
    queued.length = 0;
    const lost = [...openJobs];
    openJobs.clear();
    for (const job of lost) deliver('job.failed', { job, message: lostReason } satisfies JobFailedEvent);
  };

  socket.addEventListener('open', () => {
    for (const frame of queued.splice(0)) socket.send(frame);
  });
  socket.addEventListener('close', () =>
    failAll('The connection to the Continuo host was closed. Restart it and reload this page.'),
  );
  socket.addEventListener('error', () =>
    failAll('Cannot reach the Continuo host: is it still running, and is this the address it printed?'),
  );
  socket.addEventListener('message', (event) => {
    const message = typeof event.data === 'string' ? parseServerMessage(event.data) : null;
    if (!message) {
      console.warn('Continuo: ignoring a frame from the host that is not part of the protocol');
      return;
    }
    switch (message.type) {
      case 'result': {
        const call = pending.get(message.id);
        pending.delete(message.id);
        const result = decodeWire(message.result);
        const job = jobOf(result);
        if (job !== null) openJobs.add(job);
        call?.resolve(result);
        break;
      }
      case 'error': {
        const call = pending.get(message.id);
        pending.delete(message.id);
        call?.reject(new Error(message.message));
        break;
      }
      case 'event': {
        const payload = decodeWire(message.payload);
        const job = jobOf(payload);
        if (job !== null) {
          if (endsJob(message.event)) openJobs.delete(job);
          else openJobs.add(job);
        }
        deliver(message.event, payload);
        break;
      }
      default: {
        const unknownMessage: never = message;
        console.warn('Continuo: ignoring an unknown message from the host', unknownMessage);
      }
    }
  });

  return {
    invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
      if (lostReason) return Promise.reject(new Error(lostReason));
      const id = nextId++;
      const frame = JSON.stringify({
        type: 'invoke',
        id,
        method,
        args: encodeWire(args),
      } satisfies ClientMessage);
      return new Promise<MethodResult<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method });
        if (socket.readyState === OPEN) socket.send(frame);
        else queued.push(frame);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    close() {
      failAll('The connection to the Continuo host was closed.');
      socket.close();
    },
  };
}
