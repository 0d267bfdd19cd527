/**
 * Song track → Melody. The rules are shown on small literal songs (ppq 4, so one tick is one step and
 * the numbers read directly), then checked against the shared Markov baseline's extraction.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractMelody, importMidi, type Song, type SongNote } from '../../../engine/midi/index.js';
import { SKIP_NOTE, corpusDir, hasShared, sharedDir } from '../../helpers/shared.js';
import { fixture, melodyProblems, midiFilesIn, readBytes } from './helpers.js';

function song(
  notes: [pitch: number, ticks: number, durationTicks: number][],
  ppq = 4,
  extra: Partial<Song> = {},
): Song {
  const songNotes: SongNote[] = notes
    .map(([pitch, ticks, durationTicks]) => ({ pitch, ticks, durationTicks, velocity: 64 + (pitch % 10) }))
    .sort((a, b) => a.ticks - b.ticks || b.pitch - a.pitch || b.durationTicks - a.durationTicks);
  return {
    fileName: 'literal.mid',
    format: 1,
    ppq,
    timing: 'ppq',
    tempos: [],
    timeSignatures: [],
    tracks: [{ name: 'tune', channel: 0, instrument: 'flute', isDrum: false, notes: songNotes }],
    messages: [],
    ...extra,
  };
}

const steps = (s: Song): [number, number, number][] =>
  extractMelody(s, 0).melody.notes.map((n) => [n.pitch, n.start, n.duration]);

describe('engine/midi: extractMelody rules', () => {
  it('keeps the highest note of a chord and counts the others', () => {
    const s = song([
      [60, 0, 4],
      [64, 0, 4],
      [67, 0, 4],
      [62, 4, 4],
    ]);
    expect(steps(s)).toEqual([
      [67, 0, 4],
      [62, 4, 4],
    ]);
    expect(extractMelody(s, 0).report).toMatchObject({ rawNotes: 4, keptNotes: 2, droppedChordNotes: 2 });
  });

  it('rounds onsets and ends to the nearest 16th, ties upward', () => {
    // ppq 8: two ticks per step. Onset 3 (1.5 steps) rounds up to 2; end 9 (4.5 steps) rounds up to 5.
    expect(steps(song([[60, 3, 6]], 8))).toEqual([[60, 2, 3]]);
    expect(steps(song([[60, 0, 1]], 8))).toEqual([[60, 0, 1]]);
  });

  it('merges notes whose onsets round to the same step, keeping the higher pitch', () => {
    // ppq 16: four ticks per step. Onsets 4 and 5 ticks are steps 1 and 1.25, both step 1.
    const s = song(
      [
        [72, 0, 4],
        [60, 4, 4],
        [67, 5, 4],
      ],
      16,
    );
    expect(steps(s)).toEqual([
      [72, 0, 1],
      [67, 1, 1],
    ]);
    expect(extractMelody(s, 0).report.mergedByQuantization).toBe(1);
  });

  it('cuts a note where the next one starts', () => {
    const s = song([
      [60, 0, 8],
      [62, 4, 4],
    ]);
    expect(steps(s)).toEqual([
      [60, 0, 4],
      [62, 4, 4],
    ]);
    expect(extractMelody(s, 0).report.truncatedByNextOnset).toBe(1);
  });

  it('makes a note that rounds to nothing one step long', () => {
    const s = song([
      [60, 0, 0],
      [62, 4, 4],
    ]);
    expect(steps(s)).toEqual([
      [60, 0, 1],
      [62, 4, 4],
    ]);
    expect(extractMelody(s, 0).report.zeroLengthExtended).toBe(1);
  });

  it("keeps each kept note's velocity", () => {
    const { melody } = extractMelody(
      song([
        [61, 0, 4],
        [67, 4, 4],
      ]),
      0,
    );
    expect(melody.notes.map((n) => n.velocity)).toEqual([65, 71]);
  });

  it('takes the first tempo and time signature, reporting later changes it cannot keep', () => {
    const s = song([[60, 0, 4]], 4, {
      tempos: [
        { ticks: 0, bpm: 60_000_000 / 461_538 },
        { ticks: 16, bpm: 90 },
      ],
      timeSignatures: [
        { ticks: 0, timeSignature: [6, 8] },
        { ticks: 24, timeSignature: [9, 8] },
      ],
    });
    const { melody, report } = extractMelody(s, 0);
    expect(melody.bpm).toBe(130);
    expect(melody.timeSignature).toEqual([6, 8]);
    expect(report.messages).toEqual([
      '1 later tempo change not kept: the melody plays at 130 bpm',
      '1 later time-signature change not kept: the melody is in 6/8',
    ]);
  });

  it('assumes 120 bpm and 4/4 where the file says nothing', () => {
    const { melody } = extractMelody(song([[60, 0, 4]]), 0);
    expect([melody.bpm, melody.timeSignature]).toEqual([120, [4, 4]]);
  });

  it('lists drum and empty tracks as ignored, with the reason', () => {
    const base = song([[60, 0, 4]]);
    const drums = {
      name: 'kit',
      channel: 9,
      instrument: 'drums',
      isDrum: true,
      notes: [{ pitch: 36, ticks: 0, durationTicks: 1, velocity: 100 }],
    };
    const empty = {
      name: 'conductor',
      channel: 0,
      instrument: 'acoustic grand piano',
      isDrum: false,
      notes: [],
    };
    const { report } = extractMelody({ ...base, tracks: [base.tracks[0]!, drums, empty] }, 0);
    expect(report.ignoredTracks).toEqual([
      { index: 1, reason: 'drum track (channel 10)' },
      { index: 2, reason: 'no notes' },
    ]);
    expect(report.messages.join('\n')).not.toMatch(/ignored/); // said once, by ignoredTracks
  });

  it('reports the chord reduction of a real tune', () => {
    const { melody, report } = importMidi(fixture('nottingham-reelsu-z15.mid'), 'reelsu-z15.mid');
    expect(report.droppedChordNotes).toBe(2);
    expect(report.keptNotes).toBe(melody.notes.length);
    expect(melodyProblems(melody)).toEqual([]);
  });
});

interface BaselineRecord {
  timeSignature: [number, number];
  notes: { pitch: number; start: number; end: number }[];
  stats: {
    trackIndex: number;
    droppedSameOnset: number;
    droppedQuantCollision: number;
    truncatedByNextOnset: number;
    zeroLengthExtended: number;
  };
}

describe.skipIf(!hasShared)(
  "engine/midi: agrees with the Markov baseline's extraction on the corpus" + SKIP_NOTE,
  () => {
    it('same notes, time signature and counts for every tune', async () => {
      const url = pathToFileURL(path.join(sharedDir, 'bench/markov-baseline/extract.mjs')).href;
      const baseline = (await import(url)) as {
        extractMelody(bytes: Uint8Array, file: string): BaselineRecord;
      };
      const differing: string[] = [];
      for (const file of midiFilesIn(corpusDir)) {
        const bytes = readBytes(path.join(corpusDir, file));
        const theirs = baseline.extractMelody(bytes, file);
        const { melody, report } = importMidi(bytes, file);
        const ours = {
          timeSignature: melody.timeSignature,
          notes: melody.notes.map((n) => ({ pitch: n.pitch, start: n.start, end: n.start + n.duration })),
          counts: [
            report.trackIndex,
            report.droppedChordNotes,
            report.mergedByQuantization,
            report.truncatedByNextOnset,
            report.zeroLengthExtended,
          ],
        };
        const expected = {
          timeSignature: theirs.timeSignature,
          notes: theirs.notes,
          counts: [
            theirs.stats.trackIndex,
            theirs.stats.droppedSameOnset,
            theirs.stats.droppedQuantCollision,
            theirs.stats.truncatedByNextOnset,
            theirs.stats.zeroLengthExtended,
          ],
        };
        if (JSON.stringify(ours) !== JSON.stringify(expected)) differing.push(file);
      }
      expect(differing).toEqual([]);
    });
  },
);
