/**
 * The engine's musical data. Plain data only: these objects cross process boundaries as they are.
 *
 * Time is measured in steps: 16th notes, `STEPS_PER_QUARTER` to a quarter note.
 */
export { STEPS_PER_QUARTER } from '../time/index.js';

/** One note of a monophonic melody. `start` and `duration` in steps; `duration` ≥ 1. */
export interface Note {
  pitch: number; // MIDI note number 0..127
  start: number; // step index from the start of the piece
  duration: number; // steps, ≥ 1
  velocity: number; // 1..127
}

/**
 * One monophonic line, quantized to steps. Notes are sorted by `start` and never overlap
 * (`notes[i].start + notes[i].duration <= notes[i + 1].start`).
 * `bpm` and `timeSignature` are the source's first tempo and time signature, kept for export.
 */
export interface Melody {
  notes: Note[];
  bpm: number;
  timeSignature: [numerator: number, denominator: number];
}

/** One track of a source file as the user sees it when choosing the melody track. */
export interface TrackInfo {
  index: number; // position in Song.tracks
  name: string; // track name meta event, or '' when the file has none
  channel: number; // 0..15 (9 is General MIDI drums)
  instrument: string; // General MIDI program name, or 'drums'
  noteCount: number;
  isDrum: boolean;
  /**
   * Share of notes that start while another note of the track still sounds, 0..1. An overlap of up
   * to a 32nd note is legato, not a second voice, and does not count.
   */
  polyphony: number;
  /** Mean MIDI pitch of the track's notes (0 when it has none). */
  meanPitch: number;
}

/**
 * Everything extraction dropped or altered, so the user can see why a melody looks the way it does.
 * Counts are of notes. `messages` are one-line, human-readable notes on what the counts and
 * `ignoredTracks` cannot say: every structural repair of the file itself (a skipped unknown chunk, a
 * truncated track) and anything the melody does not keep (later tempo or meter changes).
 */
export interface ExtractionReport {
  trackIndex: number; // the track the melody came from
  rawNotes: number; // notes in that track before extraction
  keptNotes: number; // notes in the melody
  droppedChordNotes: number; // lower notes of chords (same onset), reduced to the top note
  mergedByQuantization: number; // notes whose quantized onset collided with another's
  truncatedByNextOnset: number; // notes cut short where the next melody note starts
  zeroLengthExtended: number; // notes that quantized to zero length and became one step long
  ignoredTracks: { index: number; reason: string }[]; // e.g. drum tracks, empty tracks
  messages: string[];
}

/** One note of a source track, in the file's own ticks (before any quantization). */
export interface SongNote {
  pitch: number; // 0..127
  ticks: number; // onset
  durationTicks: number; // ≥ 0; zero-length notes exist in real files and are kept as they are
  velocity: number; // 1..127
}

/**
 * One track as @tonejs/midi splits a file: one per (MTrk, channel, program), so a format-0 file with
 * a melody and a bass on two channels becomes two tracks.
 */
export interface SongTrack {
  name: string;
  channel: number; // 0..15
  instrument: string; // General MIDI program name, or 'drums'
  isDrum: boolean; // channel 10 (index 9), the General MIDI drum channel
  notes: SongNote[]; // sorted by onset, then by pitch (highest first)
}

/**
 * Everything in a source file that extraction needs, with all tracks. `ppq` is ticks per quarter note;
 * for SMPTE-timed files it is derived (see `timing`) and may be fractional.
 */
export interface Song {
  fileName: string;
  format: number; // SMF format 0, 1 or 2
  ppq: number;
  /** 'smpte' when the file counts real time, which we read as 120 bpm (reported in `messages`). */
  timing: 'ppq' | 'smpte';
  tempos: { ticks: number; bpm: number }[]; // sorted by ticks; may be empty (120 bpm implied)
  timeSignatures: { ticks: number; timeSignature: [numerator: number, denominator: number] }[]; // sorted
  tracks: SongTrack[];
  /** One line per structural repair of the file (skipped chunk, clamped track, recovered notes, ...). */
  messages: string[];
}
