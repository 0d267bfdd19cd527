/**
 * Training checkpoints: everything a run needs to continue exactly where it stopped.
 *
 * A checkpoint sits beside the model it trains (`MODEL.ckpt` next to `MODEL`): the model file stays
 * small and always holds the best weights so far, while the checkpoint adds what only training needs
 * (current weights, optimizer moments, the batch stream's position, the RNG, carried LSTM state).
 *
 * Layout (little-endian):
 *   0   8 bytes  magic "CNTOCKPT"
 *   8   u32      format version
 *   12  u32      header length H in bytes
 *   16  H bytes  header, UTF-8 JSON: { state: <plain JSON>, blobs: [{ name, length }] }
 *   ... padding to a multiple of 4, then each blob's float32 values in header order
 *   end u32      CRC-32 of every byte before it
 * Written with writeFileAtomic (engine/disk/node.ts), so a crash leaves the previous checkpoint whole.
 */
import { crc32 } from '../model-file/index.js';

const MAGIC = 'CNTOCKPT';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointContents<S> {
  state: S;
  blobs: Map<string, Float32Array>;
}

export function encodeCheckpoint<S>(contents: CheckpointContents<S>): Uint8Array {
  const blobs = [...contents.blobs].map(([name, values]) => ({ name, values }));
  const header = new TextEncoder().encode(
    JSON.stringify({
      state: contents.state,
      blobs: blobs.map((b) => ({ name: b.name, length: b.values.length })),
    }),
  );
  const headerEnd = 16 + header.length;
  const dataStart = (headerEnd + 3) & ~3;
  const floatCount = blobs.reduce((n, b) => n + b.values.length, 0);
  const total = dataStart + floatCount * 4 + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, header.length, true);
  bytes.set(header, 16);
  let offset = dataStart;
  for (const b of blobs) {
    bytes.set(new Uint8Array(b.values.buffer, b.values.byteOffset, b.values.byteLength), offset);
    offset += b.values.byteLength;
  }
  view.setUint32(offset, crc32(bytes.subarray(0, offset)), true);
  return bytes;
}

/** Throws an Error with a one-line message naming `fileName` and what is wrong. */
export function decodeCheckpoint<S>(bytes: Uint8Array, fileName: string): CheckpointContents<S> {
  const fail = (why: string): never => {
    throw new Error(`${fileName}: ${why}`);
  };
  if (bytes.length < 20) fail('not a Continuo training checkpoint (file too short)');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) fail('not a Continuo training checkpoint');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION) {
    fail(
      `checkpoint format version ${version} is not supported (this build reads version ${CHECKPOINT_VERSION})`,
    );
  }
  const stored = view.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== stored)
    fail('checkpoint is damaged (checksum mismatch)');
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length - 4) fail('checkpoint is truncated');
  let header: { state: S; blobs: { name: string; length: number }[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)));
  } catch {
    return fail('checkpoint header is not valid JSON');
  }
  let offset = (16 + headerLength + 3) & ~3;
  const blobs = new Map<string, Float32Array>();
  for (const b of header.blobs) {
    const byteLength = b.length * 4;
    if (offset + byteLength > bytes.length - 4) fail(`checkpoint is truncated (blob ${b.name})`);
    // Copy: the blob must not alias the file buffer, and the offset may not be 4-aligned in `bytes`.
    const values = new Float32Array(b.length);
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + byteLength));
    blobs.set(b.name, values);
    offset += byteLength;
  }
  if (offset !== bytes.length - 4) fail('checkpoint has unexpected trailing bytes');
  return { state: header.state, blobs };
}

export function checkpointPathFor(modelPath: string): string {
  return `${modelPath}.ckpt`;
}
