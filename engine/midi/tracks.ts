/**
 * What the user sees when choosing a melody track, and the heuristic that chooses one for them.
 */
import { MidiError } from './errors.js';
import type { Song, SongTrack, TrackInfo } from './types.js';

/** A track whose notes overlap this often is chordal, not a single line. */
export const MAX_MELODY_POLYPHONY = 0.25;
/** Tracks with fewer notes than this share of the busiest candidate are fills and intros, not tunes. */
export const MIN_MELODY_NOTE_SHARE = 0.1;

function polyphony(track: SongTrack): number {
  if (track.notes.length === 0) return 0;
  let overlapping = 0;
  let soundingUntil = -Infinity;
  for (const note of track.notes) {
    if (note.ticks < soundingUntil) overlapping++;
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
    polyphony: polyphony(track),
    meanPitch: track.notes.length === 0 ? 0 : track.notes.reduce((sum, n) => sum + n.pitch, 0) / track.notes.length,
  }));
}

/**
 * The melody track: the highest-sounding mostly-monophonic non-drum track.
 *
 * 1. Candidates are the tracks with notes that are not on the drum channel.
 * 2. Tracks with fewer than MIN_MELODY_NOTE_SHARE of the busiest candidate's notes are set aside
 *    (a three-note pickup in a high register is not the tune).
 * 3. Of the rest, those with polyphony ≤ MAX_MELODY_POLYPHONY are the single lines; when no track
 *    qualifies (a piano piece on one track), all of them stay in.
 * 4. The highest mean pitch wins; on a tie, the earlier track.
 * Throws a MidiError when the file has no notes, or only drum notes.
 */
export function pickMelodyTrack(song: Song, infos: TrackInfo[] = trackInfos(song)): number {
  const withNotes = infos.filter((t) => t.noteCount > 0);
  if (withNotes.length === 0) throw new MidiError(song.fileName, 'no notes');
  const candidates = withNotes.filter((t) => !t.isDrum);
  if (candidates.length === 0) throw new MidiError(song.fileName, 'no melody: the only notes are drums (channel 10)');
  const busiest = Math.max(...candidates.map((t) => t.noteCount));
  const substantial = candidates.filter((t) => t.noteCount >= MIN_MELODY_NOTE_SHARE * busiest);
  const lines = substantial.filter((t) => t.polyphony <= MAX_MELODY_POLYPHONY);
  const pool = lines.length > 0 ? lines : substantial;
  let best = pool[0]!;
  for (const t of pool) if (t.meanPitch > best.meanPitch) best = t;
  return best.index;
}
