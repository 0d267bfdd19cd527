/**
 * The browser host's codec (wire.ts): every Uint8Array travels as `{"$bytes": "<base64>"}`; nothing
 * else is special. One codec for both ends, so they cannot drift apart; it also reads the host's
 * frames for the page (`parseServerMessage`). It is the one value module of the contract the
 * renderer may import (eslint.config.js): pure, dependent only on the contract's event names, and
 * built on btoa/atob, which pages and Node ≥ 16 both have.
 */
import { isEventName } from './events.js';
import type { EncodedBytes, ServerMessage } from './wire.js';

// What the page needs to know of the events besides their names; it imports values only from here.
export { endsJob } from './events.js';

export function bytesToBase64(bytes: Uint8Array): string {
  // String.fromCharCode takes an argument list; chunking keeps large files under the engine's limit.
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isEncodedBytes(value: object): value is EncodedBytes {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$bytes' && typeof (value as EncodedBytes).$bytes === 'string';
}

/** Replaces every Uint8Array in a plain-data value with its wire form. */
export function encodeWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: bytesToBase64(value) } satisfies EncodedBytes;
  if (Array.isArray(value)) return value.map(encodeWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeWire(v)]));
  }
  return value;
}

/** Turns every `{"$bytes": ...}` in a parsed frame back into a Uint8Array. */
export function decodeWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWire);
  if (value !== null && typeof value === 'object') {
    if (isEncodedBytes(value)) return base64ToBytes(value.$bytes);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeWire(v)]));
  }
  return value;
}

function isCallId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * One frame from the host as a `ServerMessage`, or null when it is not one (not JSON, an unknown
 * type or event, a field missing). Payloads stay as they arrived (still wire-encoded): the host
 * produced them through the same contract, so only the envelope is checked here.
 */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || !('type' in value)) return null;
  switch (value.type) {
    case 'result':
      return 'id' in value && isCallId(value.id) && 'result' in value
        ? { type: 'result', id: value.id, result: value.result }
        : null;
    case 'error':
      return 'id' in value && isCallId(value.id) && 'message' in value && typeof value.message === 'string'
        ? { type: 'error', id: value.id, message: value.message }
        : null;
    case 'event':
      return 'event' in value && isEventName(value.event) && 'payload' in value
        ? { type: 'event', event: value.event, payload: value.payload }
        : null;
    default:
      return null;
  }
}
