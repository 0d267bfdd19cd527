/**
 * engine/midi: bytes → Song (all tracks) → Melody (one quantized monophonic line) → bytes.
 * Pure TypeScript on Uint8Array; no Node-only API, so it runs in main, a worker or a page.
 */
export * from './types.js';
export { MidiError, isMidiError } from './errors.js';
export { parseSong } from './parse.js';
export {
  trackInfos,
  pickMelodyTrack,
  LEGATO_OVERLAP_QUARTERS,
  MAX_MELODY_POLYPHONY,
  MIN_MELODY_MEAN_PITCH,
  MIN_MELODY_NOTE_SHARE,
} from './tracks.js';
export { extractMelody, DEFAULT_BPM, DEFAULT_TIME_SIGNATURE } from './extract.js';
export { melodyToMidi, WRITE_PPQ } from './write.js';
export { importMidi, type ImportedMidi } from './import.js';
