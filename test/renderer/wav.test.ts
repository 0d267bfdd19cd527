import { describe, expect, it } from 'vitest';
import { encodeWav, WAV_HEADER_BYTES } from '../../renderer/lib/audio/wav';
import { readWav } from '../e2e/support/wav-reader';

describe('16-bit PCM WAV encoding', () => {
  const left = new Float32Array([0, 0.5, -0.5, 1, -1]);
  const right = new Float32Array([0.25, -0.25, 0, 2, -2]);
  const bytes = encodeWav([left, right], 44_100);

  it('writes a RIFF/WAVE header for 16-bit PCM at the given rate and channel count', () => {
    const wav = readWav(bytes);
    expect(wav).toMatchObject({ format: 1, channels: 2, sampleRate: 44_100, bitsPerSample: 16, frames: 5 });
    expect(new DataView(bytes.buffer).getUint32(28, true)).toBe(44_100 * 4); // byte rate
  });

  it('sizes the file exactly: header plus frames × channels × 2 bytes', () => {
    expect(bytes.length).toBe(WAV_HEADER_BYTES + 5 * 2 * 2);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(bytes.length - 8);
  });

  it('interleaves channels frame by frame and scales to full 16-bit range', () => {
    const { samples } = readWav(bytes);
    expect(Array.from(samples[0])).toEqual([0, 16384, -16384, 32767, -32768]);
    expect(Array.from(samples[1])).toEqual([8192, -8192, 0, 32767, -32768]);
  });

  it('clips values beyond full scale instead of wrapping', () => {
    const { samples } = readWav(encodeWav([new Float32Array([1.7, -3])], 8000));
    expect(Array.from(samples[0])).toEqual([32767, -32768]);
  });

  it('refuses channels of different lengths', () => {
    expect(() => encodeWav([new Float32Array(2), new Float32Array(3)], 44_100)).toThrow(/same length/);
  });
});
