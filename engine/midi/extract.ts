/**
 * Song track → Melody: one monophonic line in 16th-note steps. The rules, in order (they match the
 * shared Markov baseline's extraction, so bits-per-note figures are comparable):
 * 1. At each onset (in ticks) keep the highest note; the others are chord notes, dropped.
 * 2. Quantize onset and end to the nearest step (ties round up). When a note's quantized onset equals
 *    the previous kept note's, the two merge: the higher pitch stays.
 * 3. A note still sounding at the next kept onset is cut there; a note that quantized to zero length
 *    becomes one step long.
 * Every note dropped or altered is counted in the report.
 */
import { MidiError } from './errors.js';
import { STEPS_PER_QUARTER, type ExtractionReport, type Melody, type Note, type Song } from './types.js';

export const DEFAULT_BPM = 120;
export const DEFAULT_TIME_SIGNATURE: [number, number] = [4, 4];

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function extractMelody(song: Song, trackIndex: number): { melody: Melody; report: ExtractionReport } {
  const track = song.tracks[trackIndex];
  if (!Number.isInteger(trackIndex) || !track) {
    throw new MidiError(
      song.fileName,
      `there is no track ${trackIndex} (the file has ${song.tracks.length}: 0..${song.tracks.length - 1})`,
    );
  }
  if (track.isDrum)
    throw new MidiError(song.fileName, `track ${trackIndex} is a drum track (channel 10): no melody in it`);
  if (track.notes.length === 0) throw new MidiError(song.fileName, `track ${trackIndex} has no notes`);

  const ignoredTracks: ExtractionReport['ignoredTracks'] = [];
  song.tracks.forEach((t, index) => {
    if (index === trackIndex) return;
    if (t.isDrum) ignoredTracks.push({ index, reason: 'drum track (channel 10)' });
    else if (t.notes.length === 0) ignoredTracks.push({ index, reason: 'no notes' });
  });

  const ticksPerStep = song.ppq / STEPS_PER_QUARTER;
  const quantize = (ticks: number): number => Math.round(ticks / ticksPerStep);
  let droppedChordNotes = 0;
  let mergedByQuantization = 0;
  let truncatedByNextOnset = 0;
  let zeroLengthExtended = 0;

  // song notes are sorted by onset, highest pitch first, so the first note at an onset is its top.
  const kept: Note[] = [];
  let lastOnset = -1;
  for (const n of track.notes) {
    if (n.ticks === lastOnset) {
      droppedChordNotes++;
      continue;
    }
    lastOnset = n.ticks;
    const start = quantize(n.ticks);
    const note: Note = {
      pitch: n.pitch,
      start,
      duration: quantize(n.ticks + n.durationTicks) - start,
      velocity: n.velocity,
    };
    const prev = kept[kept.length - 1];
    if (prev && prev.start === start) {
      mergedByQuantization++;
      if (note.pitch > prev.pitch) kept[kept.length - 1] = note;
      continue;
    }
    kept.push(note);
  }
  for (let i = 0; i < kept.length; i++) {
    const note = kept[i]!;
    const next = kept[i + 1];
    if (next && note.start + note.duration > next.start) {
      note.duration = next.start - note.start;
      truncatedByNextOnset++;
    }
    if (note.duration <= 0) {
      note.duration = 1;
      zeroLengthExtended++;
    }
  }

  // Counts and ignored tracks are structured fields of the report; `messages` carries only what
  // they cannot say (repairs to the file, tempo and meter changes not kept), so no reader shows a
  // fact twice.
  const messages = [...song.messages];

  // Hundredths of a bpm: a MIDI file stores whole microseconds per quarter, and at this precision
  // writing and re-reading any tempo up to ~700 bpm gives the same number back.
  const bpm = round2(song.tempos[0]?.bpm ?? DEFAULT_BPM);
  const timeSignature: [number, number] = song.timeSignatures[0]
    ? [song.timeSignatures[0].timeSignature[0], song.timeSignatures[0].timeSignature[1]]
    : [...DEFAULT_TIME_SIGNATURE];
  if (song.tempos.length > 1) {
    messages.push(
      `${plural(song.tempos.length - 1, 'later tempo change')} not kept: the melody plays at ${round2(bpm)} bpm`,
    );
  }
  if (song.timeSignatures.length > 1) {
    messages.push(
      `${plural(song.timeSignatures.length - 1, 'later time-signature change')} not kept: the melody is in ${timeSignature[0]}/${timeSignature[1]}`,
    );
  }

  return {
    melody: { notes: kept, bpm, timeSignature },
    report: {
      trackIndex,
      rawNotes: track.notes.length,
      keptNotes: kept.length,
      droppedChordNotes,
      mergedByQuantization,
      truncatedByNextOnset,
      zeroLengthExtended,
      ignoredTracks,
      messages,
    },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
