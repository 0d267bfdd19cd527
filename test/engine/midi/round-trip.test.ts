/** Melody → MIDI bytes → Melody is the identity; the bytes carry tempo, time signature and velocities. */
import path from 'node:path';
import tonejsMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { importMidi, melodyToMidi, parseSong, type Melody } from '../../../engine/midi/index.js';
import { SKIP_NOTE, corpusDir, hasShared } from '../../helpers/shared.js';
import { awkwardFixture, fixture, midiFilesIn, readBytes } from './helpers.js';

const { Midi } = tonejsMidi;

const melody: Melody = {
  bpm: 93.5,
  timeSignature: [6, 8],
  notes: [
    { pitch: 62, start: 0, duration: 2, velocity: 40 },
    { pitch: 62, start: 2, duration: 1, velocity: 127 }, // same pitch, touching: must stay two notes
    { pitch: 74, start: 6, duration: 6, velocity: 1 },
    { pitch: 0, start: 12, duration: 1, velocity: 90 },
    { pitch: 127, start: 100, duration: 33, velocity: 64 },
  ],
};

describe('engine/midi: melodyToMidi', () => {
  it('re-imports as the same melody', () => {
    expect(importMidi(melodyToMidi(melody, { name: 'test' }), 'test.mid').melody).toEqual(melody);
  });

  it('writes a file @tonejs/midi reads: name, tempo, time signature, velocities', () => {
    const midi = new Midi(melodyToMidi(melody, { name: 'Fiddle tune' }));
    expect(midi.tracks).toHaveLength(1);
    expect(midi.tracks[0]!.name).toBe('Fiddle tune');
    expect(midi.header.tempos[0]!.bpm).toBeCloseTo(93.5, 3);
    expect(midi.header.timeSignatures[0]!.timeSignature).toEqual([6, 8]);
    expect(midi.tracks[0]!.notes.map((n) => Math.round(n.velocity * 127))).toEqual([40, 127, 1, 90, 64]);
  });

  it('refuses a melody that breaks its own invariants, saying which note', () => {
    const overlapping = { ...melody, notes: [melody.notes[0]!, { ...melody.notes[1]!, start: 1 }] };
    expect(() => melodyToMidi(overlapping, { name: 'x' })).toThrow(
      'note 1 (pitch 62, start 1): overlaps the note before it',
    );
    expect(() => melodyToMidi({ ...melody, timeSignature: [3, 5] }, { name: 'x' })).toThrow(/denominator 5/);
  });

  const fixtures = [
    'nottingham-ashover1.mid',
    'nottingham-reelsa-c29.mid',
    'nottingham-reelsu-z15.mid',
    'nottingham-waltzes1.mid',
  ];
  for (const name of fixtures) {
    it(`round-trips the melody of ${name}`, () => {
      const first = importMidi(fixture(name), name).melody;
      expect(importMidi(melodyToMidi(first, { name }), name).melody).toEqual(first);
    });
  }

  it('round-trips a melody taken from a repaired file (RMID, tempo and velocities from the source)', () => {
    const first = importMidi(awkwardFixture('CONSTRUCTED_rmid_wrapper_wood_whistles.rmi'), 'wood.rmi').melody;
    const song = parseSong(melodyToMidi(first, { name: 'wood' }), 'wood.mid');
    expect(song.messages).toEqual([]);
    expect(importMidi(melodyToMidi(first, { name: 'wood' }), 'wood.mid').melody).toEqual(first);
  });
});

describe.skipIf(!hasShared)('engine/midi: round trip over the whole corpus' + SKIP_NOTE, () => {
  it('Melody → bytes → Melody is the identity for all 879 tunes', () => {
    const files = midiFilesIn(corpusDir);
    const differing: string[] = [];
    for (const file of files) {
      const first = importMidi(readBytes(path.join(corpusDir, file)), file).melody;
      const again = importMidi(melodyToMidi(first, { name: file }), file).melody;
      if (JSON.stringify(again) !== JSON.stringify(first)) differing.push(file);
    }
    expect(files).toHaveLength(879);
    expect(differing).toEqual([]);
  });
});
