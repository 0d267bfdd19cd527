/**
 * 16-bit PCM WAV (RIFF/WAVE, little-endian) from float channel data. Samples are clipped to
 * [-1, 1] and scaled asymmetrically (−1 → −32768, +1 → 32767) so full scale never wraps.
 */
export const WAV_HEADER_BYTES = 44;

export function encodeWav(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  if (channels.length === 0) throw new Error('A WAV file needs at least one channel.');
  const frames = channels[0].length;
  if (channels.some((c) => c.length !== frames))
    throw new Error('All WAV channels must have the same length.');
  const channelCount = channels.length;
  const blockAlign = channelCount * 2;
  const dataBytes = frames * blockAlign;
  const bytes = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size for PCM
  view.setUint16(20, 1, true); // format 1: integer PCM
  view.setUint16(22, channelCount, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  let offset = WAV_HEADER_BYTES;
  for (let frame = 0; frame < frames; frame++) {
    for (let c = 0; c < channelCount; c++) {
      const x = Math.max(-1, Math.min(1, channels[c][frame]));
      view.setInt16(offset, x < 0 ? Math.round(x * 0x8000) : Math.round(x * 0x7fff), true);
      offset += 2;
    }
  }
  return bytes;
}
