/**
 * The model file: one self-describing binary file (`.continuo`). Pure part: contents ↔ bytes.
 * Reading and writing files (atomically) is in ./node.ts.
 *
 * Layout (all integers unsigned 32-bit little endian):
 *   offset 0   8 bytes   magic "CONTINUO"
 *          8   u32       format version (FORMAT_VERSION)
 *         12   u32       header length H in bytes (UTF-8 JSON, without padding)
 *         16   u32       weight count W (float32 values)
 *         20   u32       0 (reserved)
 *         24   H bytes   header JSON, then spaces up to the next multiple of 8
 *          P   4·W bytes weights, float32 little endian (P = 24 + H rounded up to 8, so aligned)
 *    P + 4·W   u32       CRC-32 (IEEE, as zlib/PNG) of every byte before it
 *
 * The header holds everything needed to use the weights: the vocabulary (checked on load, so a
 * model is never paired with a different token scheme), the network config, training metadata
 * (data, steps, time) and metrics (validation bits/note…), and the settings of the in-piece memory
 * mixture when the model uses one.
 *
 * Loading checks, in this order, and stops at the first problem with one line that names the file:
 * empty file; wrong magic ("not a Continuo model file", saying so when it is a MIDI file); format
 * version; truncated (shorter than the sizes in the fixed header promise); trailing bytes; checksum
 * (flipped bytes anywhere); header JSON; vocabulary.
 */
import { vocabularyMismatch, type Vocabulary } from '../tokens/index.js';

export const MAGIC = 'CONTINUO';
export const FORMAT_VERSION = 1;
const FIXED = 24;

export interface ModelHeader<C = unknown> {
  vocabulary: Vocabulary;
  /** The network (or model) configuration the weights belong to. */
  config: C;
  /** How the model was made: data, split, steps, duration, software version… */
  training: Record<string, unknown>;
  /** What was measured: validation bits/note and the like. */
  metrics: Record<string, unknown>;
  /** Anything else a model kind needs (e.g. memory mixing settings). */
  extra?: Record<string, unknown>;
}

export interface ModelContents<C = unknown> {
  header: ModelHeader<C>;
  weights: Float32Array;
}

/** A model file that cannot be used; `message` is one line that names the file and the problem. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, reflected, as zlib's crc32). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Contents → the bytes of a model file. Does not modify `contents`. */
export function encodeModel<C>(contents: ModelContents<C>): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(contents.header));
  const headerEnd = FIXED + json.length;
  const weightsAt = Math.ceil(headerEnd / 8) * 8;
  const w = contents.weights;
  const total = weightsAt + w.length * 4 + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  view.setUint32(16, w.length, true);
  view.setUint32(20, 0, true);
  bytes.set(json, FIXED);
  bytes.fill(0x20, headerEnd, weightsAt);
  for (let i = 0; i < w.length; i++) view.setFloat32(weightsAt + 4 * i, w[i], true);
  view.setUint32(total - 4, crc32(bytes, 0, total - 4), true);
  return bytes;
}

function looksLikeMidi(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x4d && bytes[1] === 0x54 && bytes[2] === 0x68 && bytes[3] === 0x64
  ); // "MThd"
}

/**
 * The bytes of a model file → contents. `fileName` only names the file in error messages.
 * Throws ModelFileError (one line: `<fileName>: <problem>`) for anything that is not a sound model file.
 */
export function decodeModel(bytes: Uint8Array, fileName: string): ModelContents {
  const fail = (problem: string): never => {
    throw new ModelFileError(`${fileName}: ${problem}`);
  };
  if (bytes.length === 0) fail('the file is empty, not a Continuo model');
  let magicOk = bytes.length >= MAGIC.length;
  for (let i = 0; magicOk && i < MAGIC.length; i++) magicOk = bytes[i] === MAGIC.charCodeAt(i);
  if (!magicOk)
    fail(
      looksLikeMidi(bytes) ? 'not a Continuo model file (it is a MIDI file)' : 'not a Continuo model file',
    );
  if (bytes.length < FIXED + 4)
    fail(`truncated: ${bytes.length} bytes, shorter than a model file's fixed header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) {
    fail(`model file format version ${version}; this version of Continuo reads version ${FORMAT_VERSION}`);
  }
  const headerLength = view.getUint32(12, true);
  const weightCount = view.getUint32(16, true);
  const weightsAt = Math.ceil((FIXED + headerLength) / 8) * 8;
  const expected = weightsAt + weightCount * 4 + 4;
  if (bytes.length < expected) {
    fail(
      `truncated: ${bytes.length} bytes, but its header promises ${headerLength} header bytes and ${weightCount} weights (${expected} bytes)`,
    );
  }
  if (bytes.length > expected) {
    fail(
      `inconsistent sizes: ${bytes.length} bytes, but its header accounts for ${expected} (${bytes.length - expected} bytes too many)`,
    );
  }
  const stored = view.getUint32(expected - 4, true);
  const actual = crc32(bytes, 0, expected - 4);
  if (stored !== actual)
    fail('checksum mismatch: the file is corrupted (bytes were changed after it was written)');
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED, FIXED + headerLength)),
    );
  } catch {
    fail('the header is not valid JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('the header is not a JSON object');
  const h = header as Record<string, unknown>;
  const vocab = vocabularyMismatch(h.vocabulary);
  if (vocab !== null) fail(`made for another token vocabulary: ${vocab}`);
  if (!('config' in h)) fail('the header has no model config');
  const weights = new Float32Array(weightCount);
  for (let i = 0; i < weightCount; i++) weights[i] = view.getFloat32(weightsAt + 4 * i, true);
  return {
    header: {
      vocabulary: h.vocabulary as Vocabulary,
      config: h.config,
      training: isRecord(h.training) ? h.training : {},
      metrics: isRecord(h.metrics) ? h.metrics : {},
      ...(isRecord(h.extra) ? { extra: h.extra } : {}),
    },
    weights,
  };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
