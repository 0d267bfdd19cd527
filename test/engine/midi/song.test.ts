/** bytes → Song: what a parsed file holds, and that our note pairing is the library's where it reads fully. */
import path from 'node:path';
import tonejsMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { parseSong, pickMelodyTrack, trackInfos, type SongTrack } from '../../../engine/midi/index.js';
import { SKIP_NOTE, corpusDir, hasShared } from '../../helpers/shared.js';
import { fixture, midiErrorOf, midiFilesIn, readBytes } from './helpers.js';

const { Midi } = tonejsMidi;

describe('engine/midi: parseSong', () => {
  it('reads ppq, time signature and both tracks of a corpus tune (melody, then chords)', () => {
    const song = parseSong(fixture('nottingham-ashover1.mid'), 'ashover1.mid');
    expect(song.fileName).toBe('ashover1.mid');
    expect(song.ppq).toBe(1024);
    expect(song.timing).toBe('ppq');
    expect(song.tempos).toEqual([]);
    expect(song.timeSignatures[0]).toEqual({ ticks: 0, timeSignature: [3, 4] });
    expect(song.tracks.map((t) => t.notes.length)).toEqual([68, 90]);
    expect(song.messages).toEqual([]);
  });

  it('keeps notes in ticks, sorted by onset with the highest pitch first', () => {
    const song = parseSong(fixture('nottingham-reelsu-z15.mid'), 'reelsu-z15.mid');
    for (const track of song.tracks) {
      const sorted = [...track.notes].sort(
        (a, b) => a.ticks - b.ticks || b.pitch - a.pitch || b.durationTicks - a.durationTicks,
      );
      expect(track.notes).toEqual(sorted);
    }
  });

  it('gives the same notes as @tonejs/midi for a file the library reads fully', () => {
    const bytes = fixture('nottingham-reelsu-z15.mid');
    const song = parseSong(bytes, 'reelsu-z15.mid');
    const library = new Midi(bytes);
    const theirs = library.tracks.map((t) =>
      t.notes
        .map((n) => ({
          pitch: n.midi,
          ticks: n.ticks,
          durationTicks: n.durationTicks,
          velocity: Math.round(n.velocity * 127),
        }))
        .sort((a, b) => a.ticks - b.ticks || b.pitch - a.pitch || b.durationTicks - a.durationTicks),
    );
    expect(song.tracks.map((t) => t.notes)).toEqual(theirs);
  });

  it('names the file in its error', () => {
    const error = midiErrorOf(() =>
      parseSong(new TextEncoder().encode('<!doctype html><title>404</title>'), 'song.mid'),
    );
    expect(error.message).toBe('song.mid: not a MIDI file: no "MThd" header (starts with "<!do")');
  });
});

describe('engine/midi: trackInfos and pickMelodyTrack', () => {
  it('describes each track as the user chooses among them', () => {
    const infos = trackInfos(parseSong(fixture('nottingham-ashover1.mid'), 'ashover1.mid'));
    expect(infos).toHaveLength(2);
    expect(infos[0]).toMatchObject({
      index: 0,
      channel: 0,
      instrument: 'acoustic grand piano',
      noteCount: 68,
      isDrum: false,
      polyphony: 0,
    });
    expect(infos[0]!.meanPitch).toBeCloseTo(4908 / 68, 10); // 68 melody notes, pitches summing to 4908
    expect(infos[1]).toMatchObject({ index: 1, noteCount: 90, isDrum: false });
    expect(infos[1]!.polyphony).toBeGreaterThan(0.5);
    expect(infos[1]!.meanPitch).toBeLessThan(50);
  });

  it('picks the melody, not the chord track, in a corpus tune', () => {
    expect(pickMelodyTrack(parseSong(fixture('nottingham-ashover1.mid'), 'ashover1.mid'))).toBe(0);
  });

  it('prefers a high single line over a higher chord track', () => {
    const song = parseSong(fixture('nottingham-ashover1.mid'), 'ashover1.mid');
    // The same tune with its chords moved three octaves up: high, but chordal.
    const raised = {
      ...song,
      tracks: [
        song.tracks[0]!,
        { ...song.tracks[1]!, notes: song.tracks[1]!.notes.map((n) => ({ ...n, pitch: n.pitch + 36 })) },
      ],
    };
    expect(trackInfos(raised)[1]!.meanPitch).toBeGreaterThan(trackInfos(raised)[0]!.meanPitch);
    expect(pickMelodyTrack(raised)).toBe(0);
  });

  it('sets aside a high track with a handful of notes', () => {
    const song = parseSong(fixture('nottingham-ashover1.mid'), 'ashover1.mid');
    const pickup = {
      name: 'pickup',
      channel: 1,
      instrument: 'flute',
      isDrum: false,
      notes: [{ pitch: 100, ticks: 0, durationTicks: 256, velocity: 80 }],
    };
    expect(pickMelodyTrack({ ...song, tracks: [pickup, ...song.tracks] })).toBe(1);
  });

  it('counts legato (an overlap up to a 32nd note) as a single line, longer overlaps as a second voice', () => {
    const song = parseSong(fixture('nottingham-ashover1.mid'), 'ashover1.mid');
    const held = (ticks: number): number =>
      trackInfos({
        ...song,
        tracks: [
          {
            ...song.tracks[0]!,
            notes: song.tracks[0]!.notes.map((n) => ({ ...n, durationTicks: n.durationTicks + ticks })),
          },
        ],
      })[0]!.polyphony;
    expect(held(0)).toBe(0);
    expect(held(song.ppq / 8)).toBe(0);
    expect(held(song.ppq / 2)).toBeGreaterThan(0.9);
  });

  it('passes over a bass line for a higher chordal track', () => {
    const song = parseSong(fixture('nottingham-ashover1.mid'), 'ashover1.mid');
    const [melody, chords] = song.tracks as [SongTrack, SongTrack];
    const bass = { ...melody, notes: melody.notes.map((n) => ({ ...n, pitch: n.pitch - 36 })) };
    const highChords = { ...chords, notes: chords.notes.map((n) => ({ ...n, pitch: n.pitch + 24 })) };
    expect(pickMelodyTrack({ ...song, tracks: [bass, highChords] })).toBe(1);
  });

  it('never picks a drum track', () => {
    const song = parseSong(fixture('nottingham-ashover1.mid'), 'ashover1.mid');
    const drums = {
      ...song.tracks[0]!,
      channel: 9,
      isDrum: true,
      instrument: 'drums',
      notes: song.tracks[0]!.notes.map((n) => ({ ...n, pitch: n.pitch + 20 })),
    };
    expect(pickMelodyTrack({ ...song, tracks: [drums, ...song.tracks] })).toBe(1);
  });
});

describe.skipIf(!hasShared)('engine/midi: the Nottingham corpus' + SKIP_NOTE, () => {
  const files = hasShared ? midiFilesIn(corpusDir) : [];

  it('holds 879 tunes', () => {
    expect(files).toHaveLength(879);
  });

  it('the heuristic picks the melody track (the first track with notes) in every tune', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const song = parseSong(readBytes(path.join(corpusDir, file)), file);
      const first = song.tracks.findIndex((t) => t.notes.length > 0);
      if (pickMelodyTrack(song) !== first) wrong.push(file);
    }
    expect(wrong).toEqual([]);
  });

  it("our notes equal @tonejs/midi's in every tune", () => {
    const differing: string[] = [];
    for (const file of files) {
      const bytes = readBytes(path.join(corpusDir, file));
      const ours = parseSong(bytes, file).tracks.map((t) =>
        t.notes.map((n) => `${n.pitch}@${n.ticks}+${n.durationTicks}`).sort(),
      );
      const theirs = new Midi(bytes).tracks.map((t) =>
        t.notes.map((n) => `${n.midi}@${n.ticks}+${n.durationTicks}`).sort(),
      );
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differing.push(file);
    }
    expect(differing).toEqual([]);
  });
});
