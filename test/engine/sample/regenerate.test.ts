import { describe, expect, it } from 'vitest';
import { PieceMemoryModel, withPieceMemory } from '../../../engine/memory/index.js';
import type { Melody, Note } from '../../../engine/midi/types.js';
import { regenerateBars, regenerateOptionsProblem } from '../../../engine/sample/index.js';
import { UniformModel } from './fake-models.js';

const n = (pitch: number, start: number, duration: number): Note => ({
  pitch,
  start,
  duration,
  velocity: 80,
});
// 4 bars of 4/4 in quarter notes: C D E F | G A B C | C D E F | G A B C
const bars = [60, 62, 64, 65, 67, 69, 71, 72];
const tune: Melody = {
  bpm: 120,
  timeSignature: [4, 4],
  notes: [...bars, ...bars].map((p, i) => n(p, 4 * i, 4)),
};
const model = () => withPieceMemory(new UniformModel(), { order: 8, method: 'arithmetic', b: 1 });

describe('regenerateBars', () => {
  it('keeps the notes before and after the range and fills exactly the range’s bars', () => {
    const r = regenerateBars(model(), tune, { fromBar: 2, toBar: 3, candidates: 4, randomSeed: 3 });
    expect(r.melody.notes.slice(0, 4)).toEqual(tune.notes.slice(0, 4));
    expect(r.melody.notes.slice(r.range.end)).toEqual(tune.notes.slice(12));
    const inRange = r.melody.notes.slice(r.range.first, r.range.end);
    expect(inRange.length).toBeGreaterThan(0);
    for (const x of inRange) {
      expect(x.start).toBeGreaterThanOrEqual(16);
      expect(x.start + x.duration).toBeLessThanOrEqual(48);
    }
    expect(r.candidates).toHaveLength(4);
  });

  it('chooses the candidate after which the kept notes are most likely', () => {
    const r = regenerateBars(model(), tune, { fromBar: 2, toBar: 3, candidates: 6, randomSeed: 1 });
    const best = Math.min(...r.candidates.map((c) => c.keptBits));
    expect(r.candidates[r.chosen].keptBits).toBe(best);
    expect(r.melody.notes.slice(r.range.first, r.range.end)).toEqual(r.candidates[r.chosen].notes);
    expect(new Set(r.candidates.map((c) => c.keptBits.toFixed(6))).size).toBeGreaterThan(1);
  });

  it('is reproducible from its random seed', () => {
    const a = regenerateBars(model(), tune, { fromBar: 3, toBar: 4, candidates: 3, randomSeed: 9 });
    const b = regenerateBars(model(), tune, { fromBar: 3, toBar: 4, candidates: 3, randomSeed: 9 });
    expect(b).toEqual(a);
  });

  it('regenerating the last bars has nothing to rescore: every candidate scores 0 and the first wins', () => {
    const r = regenerateBars(new PieceMemoryModel(4), tune, {
      fromBar: 4,
      toBar: 4,
      candidates: 3,
      randomSeed: 2,
    });
    expect(r.candidates.map((c) => c.keptBits)).toEqual([0, 0, 0]);
    expect(r.chosen).toBe(0);
  });

  it('cuts a note still sounding when the range starts, and never changes the melody it was given', () => {
    const held: Melody = { ...tune, notes: [n(60, 0, 24), ...tune.notes.slice(6)] };
    const copy = structuredClone(held);
    const r = regenerateBars(model(), held, { fromBar: 2, toBar: 2, candidates: 2, randomSeed: 0 });
    expect(r.melody.notes[0]).toEqual(n(60, 0, 16));
    expect(held).toEqual(copy);
  });

  it('says what is wrong with a bar range', () => {
    expect(regenerateOptionsProblem(tune, { fromBar: 3, toBar: 2 })).toBe(
      'bars 3-2 must be whole bar numbers with 1 ≤ from ≤ to',
    );
    expect(regenerateOptionsProblem(tune, { fromBar: 9, toBar: 9 })).toBe(
      "bar 9 is after the melody's last bar (4)",
    );
  });
});
