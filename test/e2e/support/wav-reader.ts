/**
 * A small WAV reader for tests: checks the RIFF structure and returns the format and the PCM
 * samples per channel (16-bit only, which is what Continuo writes).
 */
export interface WavData {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  frames: number;
  samples: Int16Array[];
}

export function readWav(bytes: Uint8Array): WavData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (text(0) !== 'RIFF' || text(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let offset = 12;
  let fmt: Omit<WavData, 'frames' | 'samples'> | null = null;
  while (offset + 8 <= bytes.length) {
    const id = text(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      fmt = {
        format: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      if (fmt.bitsPerSample !== 16) throw new Error(`expected 16-bit samples, got ${fmt.bitsPerSample}`);
      const frames = size / (2 * fmt.channels);
      const samples = Array.from({ length: fmt.channels }, () => new Int16Array(frames));
      for (let f = 0; f < frames; f++) {
        for (let c = 0; c < fmt.channels; c++)
          samples[c][f] = view.getInt16(body + (f * fmt.channels + c) * 2, true);
      }
      return { ...fmt, frames, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** Peak absolute sample value over [fromSecond, toSecond) across channels, 0..32768. */
export function peakBetween(wav: WavData, fromSecond: number, toSecond: number): number {
  const from = Math.max(0, Math.floor(fromSecond * wav.sampleRate));
  const to = Math.min(wav.frames, Math.ceil(toSecond * wav.sampleRate));
  let peak = 0;
  for (const channel of wav.samples) {
    for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(channel[i]));
  }
  return peak;
}
