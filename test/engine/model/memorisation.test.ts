import { describe, expect, it } from 'vitest';
import type { Melody, Note } from '../../../engine/midi/types.js';
import { MEMO_NOTES, MemorisationIndex, memorisationOf } from '../../../engine/model/memorisation.js';

const n = (pitch: number, start: number, duration: number): Note => ({
  pitch,
  start,
  duration,
  velocity: 80,
});
const eighths = (pitches: number[], start = 0) => pitches.map((p, i) => n(p, start + 2 * i, 2));
const melody = (notes: Note[]): Melody => ({ notes, bpm: 120, timeSignature: [6, 8] });
// a 12-note phrase of a training tune
const phrase = [67, 69, 71, 72, 74, 72, 71, 69, 67, 66, 67, 69];

describe('MemorisationIndex', () => {
  const index = MemorisationIndex.build([melody(eighths(phrase))]);

  it(`finds a verbatim run of the training melodies, transposed or not (runs of ${MEMO_NOTES}+ notes)`, () => {
    const copied = eighths([50, 52, ...phrase.slice(0, 10).map((p) => p - 5), 40, 41]);
    expect(index.longestRun(copied.map((x) => x))).toEqual({ notes: 10, start: 2 });
  });

  it('does not count a run whose rhythm differs', () => {
    const dotted = eighths(phrase).map((x, i) => (i === 4 ? { ...x, duration: 3 } : x));
    expect(index.longestRun(dotted).notes).toBe(0); // every 8-note window holds the changed note
    expect(index.longestRun(eighths([60, 61, 62, 63, 64, 65, 66, 67, 68, 69])).notes).toBe(0);
  });

  it('counts only runs that reach the notes from `from` on (the generated ones)', () => {
    const result = [...eighths(phrase), ...eighths([40, 90, 41, 89, 42, 88, 43, 87, 44], 24)];
    expect(index.longestRun(result, 0).notes).toBe(12);
    expect(index.longestRun(result, 12).notes).toBe(0);
    expect(index.longestRun(result, 11).notes).toBe(12);
  });

  it('survives the model file: stored as text, read back the same', () => {
    const stored = JSON.parse(JSON.stringify(index.toStored())) as unknown;
    const back = MemorisationIndex.fromStored(stored);
    expect(back).toBeInstanceOf(MemorisationIndex);
    expect((back as MemorisationIndex).size).toBe(index.size);
    expect((back as MemorisationIndex).longestRun(eighths(phrase)).notes).toBe(12);
  });

  it('says when a stored index is damaged or of another kind', () => {
    const stored = index.toStored();
    expect(MemorisationIndex.fromStored({ ...stored, count: stored.count + 1 })).toBe(
      'the memorisation index is damaged (truncated)',
    );
    expect(MemorisationIndex.fromStored({ ...stored, notes: 5 })).toMatch(
      /^memorisation index continuo-note-ngrams-v1 of 5-note runs is not/,
    );
  });
});

describe('memorisationOf', () => {
  it('reads the index a model file carries, and says so when an older file has none', () => {
    const index = MemorisationIndex.build([melody(eighths(phrase))]);
    const found = memorisationOf({ header: { extra: { memorisation: index.toStored() } } }, 'new.continuo');
    expect('index' in found && found.index.size).toBe(index.size);
    expect(memorisationOf({ header: { extra: {} } }, 'old.continuo')).toEqual({
      missing:
        'old.continuo has no index of its training melodies (made before there was one; continuo train --refit adds it)',
    });
  });
});
