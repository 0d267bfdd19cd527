import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FORMAT_VERSION,
  ModelFileError,
  crc32,
  decodeModel,
  encodeModel,
  type ModelContents,
} from '../../../engine/model-file/index.js';
import { loadModel, saveModel } from '../../../engine/model-file/node.js';
import { VOCABULARY } from '../../../engine/tokens/index.js';
import { fixturesDir } from '../../helpers/shared.js';

const contents: ModelContents<{ hidden: number; layers: number }> = {
  header: {
    vocabulary: VOCABULARY,
    config: { hidden: 8, layers: 2 },
    training: { files: 808, steps: 1200 },
    metrics: { validationBitsPerNote: 2.5 },
  },
  weights: Float32Array.from([0, 1.5, -2.25, Math.fround(Math.PI), -0, 1e-30, 3.4e38]),
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-model-file-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function modelBytes(): Uint8Array {
  return encodeModel(contents);
}

describe('engine/model-file: round trip', () => {
  it('decodes what it encodes: header and every weight bit for bit', () => {
    const back = decodeModel(modelBytes(), 'm.continuo');
    expect(back.header).toEqual(contents.header);
    expect(Array.from(new Uint32Array(back.weights.buffer))).toEqual(
      Array.from(new Uint32Array(contents.weights.buffer)),
    );
  });

  it('starts with the magic and the format version, and places the weights 8-byte aligned', () => {
    const bytes = modelBytes();
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('CONTINUO');
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(8, true)).toBe(FORMAT_VERSION);
    const weightsAt = bytes.length - 4 - 4 * contents.weights.length;
    expect(weightsAt % 8).toBe(0);
    expect(view.getFloat32(weightsAt + 4, true)).toBe(1.5);
  });

  it('uses the standard CRC-32 (the value of "123456789" is 0xcbf43926)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('saves to disk and loads back', async () => {
    const file = path.join(dir, 'a.continuo');
    await saveModel(file, contents);
    expect(loadModel(file).header.metrics).toEqual({ validationBitsPerNote: 2.5 });
  });

  it('replaces an existing model atomically, leaving no temporary file behind', async () => {
    const file = path.join(dir, 'a.continuo');
    await saveModel(file, contents);
    await saveModel(file, {
      ...contents,
      header: { ...contents.header, metrics: { validationBitsPerNote: 2.0 } },
    });
    expect(loadModel(file).header.metrics).toEqual({ validationBitsPerNote: 2.0 });
    expect(fs.readdirSync(dir)).toEqual(['a.continuo']);
  });

  it('reports a directory that does not exist as one line naming the path', async () => {
    const file = path.join(dir, 'missing', 'a.continuo');
    await expect(saveModel(file, contents)).rejects.toThrow(`${file}: cannot write the model (ENOENT)`);
  });
});

describe('engine/model-file: loading a bad file fails with one line naming the file and the problem', () => {
  function loadBytes(bytes: Uint8Array): () => void {
    const file = path.join(dir, 'bad.continuo');
    fs.writeFileSync(file, bytes);
    return () => loadModel(file);
  }
  const name = () => path.join(dir, 'bad.continuo');

  it('an empty file', () => {
    expect(loadBytes(new Uint8Array(0))).toThrow(`${name()}: the file is empty, not a Continuo model`);
  });

  it('a MIDI file', () => {
    const midi = fs.readFileSync(path.join(fixturesDir, 'nottingham-ashover1.mid'));
    expect(loadBytes(midi)).toThrow(`${name()}: not a Continuo model file (it is a MIDI file)`);
  });

  it('a text file', () => {
    expect(loadBytes(new TextEncoder().encode('hello, world\n'))).toThrow(
      `${name()}: not a Continuo model file`,
    );
  });

  it('a file truncated in the middle of the weights', () => {
    const bytes = modelBytes();
    expect(loadBytes(bytes.subarray(0, bytes.length - 9))).toThrow(
      `${name()}: truncated: ${bytes.length - 9} bytes, but its header promises`,
    );
  });

  it('a file cut inside its fixed header', () => {
    expect(loadBytes(modelBytes().subarray(0, 12))).toThrow(`${name()}: truncated: 12 bytes`);
  });

  it('bytes appended after the checksum', () => {
    const bytes = modelBytes();
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(loadBytes(longer)).toThrow(
      `${name()}: inconsistent sizes: ${bytes.length + 3} bytes, but its header accounts for ${bytes.length}`,
    );
  });

  it('one flipped bit in the weights', () => {
    const bytes = modelBytes().slice();
    bytes[bytes.length - 10] ^= 0x10;
    expect(loadBytes(bytes)).toThrow(`${name()}: checksum mismatch: the file is corrupted`);
  });

  it('one flipped bit in the JSON header', () => {
    const bytes = modelBytes().slice();
    bytes[30] ^= 0x01;
    expect(loadBytes(bytes)).toThrow(`${name()}: checksum mismatch`);
  });

  it('a newer format version', () => {
    const bytes = modelBytes().slice();
    new DataView(bytes.buffer).setUint32(8, FORMAT_VERSION + 1, true);
    expect(loadBytes(bytes)).toThrow(
      `${name()}: model file format version ${FORMAT_VERSION + 1}; this version of Continuo reads version ${FORMAT_VERSION}`,
    );
  });

  it('a weight count that disagrees with the file size', () => {
    const bytes = modelBytes().slice();
    new DataView(bytes.buffer).setUint32(16, contents.weights.length + 1000, true);
    expect(loadBytes(bytes)).toThrow(`${name()}: truncated:`);
  });

  it('a model made for another vocabulary', () => {
    const other = encodeModel({
      ...contents,
      header: { ...contents.header, vocabulary: { ...VOCABULARY, size: 99 } },
    });
    expect(loadBytes(other)).toThrow(
      `${name()}: made for another token vocabulary: vocabulary continuo-rest-pitch-duration v1 (size 99)`,
    );
  });

  it('a file that does not exist', () => {
    const file = path.join(dir, 'nothing.continuo');
    expect(() => loadModel(file)).toThrow(`${file}: cannot read the model (no such file)`);
  });

  it('every error is a single line of type ModelFileError', () => {
    const bytes = modelBytes();
    for (const cut of [0, 5, 20, 40, bytes.length - 1]) {
      try {
        decodeModel(bytes.subarray(0, cut), 'x.continuo');
        expect.unreachable(`a ${cut}-byte prefix was accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(ModelFileError);
        expect((e as Error).message).not.toContain('\n');
      }
    }
  });
});

describe('engine/model-file: encoding', () => {
  it('does not modify the contents it encodes', () => {
    const copy = structuredClone(contents);
    encodeModel(contents);
    expect(contents).toEqual(copy);
  });
});
