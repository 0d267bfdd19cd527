/**
 * The browser host's wire protocol: `ContinuoApi` over one WebSocket,
 * `ws://127.0.0.1:PORT/api?token=TOKEN` (the per-run token from the URL the host prints).
 *
 * Frames are JSON text. Byte arrays cannot be JSON, so every `Uint8Array` anywhere in `args`,
 * `result` or `payload` is sent as `{"$bytes": "<base64>"}` and turned back on arrival; no other
 * value is special. Both ends use the one codec in wire-codec.ts.
 */
import type { EventName, MethodName } from './api.js';

export type ClientMessage = { type: 'invoke'; id: number; method: MethodName; args: unknown };

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string }
  | { type: 'event'; event: EventName; payload: unknown };

export interface EncodedBytes {
  $bytes: string;
}
