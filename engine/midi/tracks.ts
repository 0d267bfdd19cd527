/**
 * What the user sees when choosing a melody track, and the heuristic that chooses one for them.
 */
import { MidiError } from './errors.js';
import type { Song, SongTrack, TrackInfo } from './types.js';

/** A track whose notes overlap this often is chordal, not a single line. */
export const MAX_MELODY_POLYPHONY = 0.25;
/** Mean pitch below C3 is the bass register: a bass line is the melody only when nothing else plays. */
export const MIN_MELODY_MEAN_PITCH = 48;
/** Tracks with fewer notes than this share of the busiest candidate are fills and intros, not tunes. */
export const MIN_MELODY_NOTE_SHARE = 0.1;

/**
 * Players and sequencers hold a note a little past the next one (legato); that is articulation, not
 * harmony. A note counts as starting over another only when the other sounds on for more than this
 * share of a quarter note (a 32nd).
 */
export const LEGATO_OVERLAP_QUARTERS = 1 / 8;

function polyphony(track: SongTrack, ppq: number): number {
  if (track.notes.length === 0) return 0;
  const tolerance = ppq * LEGATO_OVERLAP_QUARTERS;
  let overlapping = 0;
  let soundingUntil = -Infinity;
  for (const note of track.notes) {
    if (note.ticks < soundingUntil - tolerance) overlapping++;
    soundingUntil = Math.max(soundingUntil, note.ticks + note.durationTicks);
  }
  return overlapping / track.notes.length;
}

export function trackInfos(song: Song): TrackInfo[] {
  return song.tracks.map((track, index) => ({
    index,
    name: track.name,
    channel: track.channel,
    instrument: track.instrument,
    noteCount: track.notes.length,
    isDrum: track.isDrum,
    polyphony: polyphony(track, song.ppq),
    meanPitch:
      track.notes.length === 0 ? 0 : track.notes.reduce((sum, n) => sum + n.pitch, 0) / track.notes.length,
  }));
}

/**
 * The melody track: the highest-sounding mostly-monophonic non-drum track.
 *
 * 1. Candidates are the tracks with notes that are not on the drum channel.
 * 2. Tracks with fewer than MIN_MELODY_NOTE_SHARE of the busiest candidate's notes are set aside
 *    (a three-note pickup in a high register is not the tune).
 * 3. Bass-register tracks (mean pitch below MIN_MELODY_MEAN_PITCH) are set aside when any other
 *    track remains: a bass line is often the only strictly single line of a band arrangement.
 * 4. Of the rest, those with polyphony ≤ MAX_MELODY_POLYPHONY are the single lines; when no track
 *    qualifies (a piano piece on one track), all of them stay in. Extraction then takes the top voice.
 * 5. The highest mean pitch wins; on a tie, the earlier track.
 * Throws a MidiError when the file has no notes, or only drum notes.
 */
export function pickMelodyTrack(song: Song, infos: TrackInfo[] = trackInfos(song)): number {
  const withNotes = infos.filter((t) => t.noteCount > 0);
  if (withNotes.length === 0) throw new MidiError(song.fileName, 'no notes');
  const candidates = withNotes.filter((t) => !t.isDrum);
  if (candidates.length === 0)
    throw new MidiError(song.fileName, 'no melody: the only notes are drums (channel 10)');
  const busiest = Math.max(...candidates.map((t) => t.noteCount));
  const substantial = candidates.filter((t) => t.noteCount >= MIN_MELODY_NOTE_SHARE * busiest);
  const aboveBass = substantial.filter((t) => t.meanPitch >= MIN_MELODY_MEAN_PITCH);
  const voices = aboveBass.length > 0 ? aboveBass : substantial;
  const lines = voices.filter((t) => t.polyphony <= MAX_MELODY_POLYPHONY);
  const pool = lines.length > 0 ? lines : voices;
  let best = pool[0]!;
  for (const t of pool) if (t.meanPitch > best.meanPitch) best = t;
  return best.index;
}
