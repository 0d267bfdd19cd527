/**
 * The host's half of the browser wire codec (app/contract/wire.ts): every Uint8Array travels as
 * `{"$bytes": "<base64>"}`; nothing else is special.
 */
import type { EncodedBytes } from '../contract/wire.js';

function isEncodedBytes(value: object): value is EncodedBytes {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$bytes' && typeof (value as EncodedBytes).$bytes === 'string';
}

export function encodeWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') } satisfies EncodedBytes;
  if (Array.isArray(value)) return value.map(encodeWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeWire(v)]));
  }
  return value;
}

export function decodeWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWire);
  if (value !== null && typeof value === 'object') {
    if (isEncodedBytes(value)) {
      const buffer = Buffer.from(value.$bytes, 'base64');
      // A plain Uint8Array, not a Buffer: services see exactly what Electron's IPC would hand them.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeWire(v)]));
  }
  return value;
}
