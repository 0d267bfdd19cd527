import { describe, expect, it } from 'vitest';
import {
  barLineCrossings,
  checkGeneration,
  checkRealContinuations,
  copiesSeed,
  longestLoop,
  restatedShare,
  seedAndContinuation,
} from '../../../engine/eval/generation-check.js';
import type { Melody, Note } from '../../../engine/midi/types.js';
import { durationToken, pitchToken } from '../../../engine/tokens/index.js';
import { FixedModel, UniformModel } from '../sample/fake-models.js';

/** Eighth notes (2 steps each) from step `start`, one per pitch. */
function eighths(pitches: number[], start = 0): Note[] {
  return pitches.map((pitch, i) => ({ pitch, start: start + 2 * i, duration: 2, velocity: 80 }));
}

const melody = (notes: Note[], timeSignature: [number, number] = [4, 4]): Melody => ({
  notes,
  bpm: 120,
  timeSignature,
});

describe('longestLoop', () => {
  it('finds a five-note figure repeated over 25 notes', () => {
    const figure = [76, 78, 76, 76, 74];
    const notes = eighths(Array.from({ length: 25 }, (_, i) => figure[i % 5]));
    expect(longestLoop(notes)).toEqual({ notes: 25, period: 5 });
  });

  it('counts the span of the repeats only, from where the figure starts repeating', () => {
    const notes = eighths([60, 62, 64, 65, 67, 69, 67, 69, 67, 69, 71]);
    expect(longestLoop(notes)).toEqual({ notes: 6, period: 2 });
  });

  it('does not take a change of rhythm for a repeat', () => {
    // G A G A … for 24 notes, the 13th dotted: the figure repeats for 12 notes, then breaks
    const notes: Note[] = [];
    let t = 0;
    for (let i = 0; i < 24; i++) {
      const duration = i === 12 ? 3 : 2;
      notes.push({ pitch: i % 2 ? 69 : 67, start: t, duration, velocity: 80 });
      t += duration;
    }
    expect(longestLoop(notes, 2)).toEqual({ notes: 12, period: 2 });
  });

  it('ignores figures longer than the longest period asked for', () => {
    const figure = [60, 62, 64, 65, 67, 69, 71, 72, 74];
    const notes = eighths([...figure, ...figure, ...figure]);
    expect(longestLoop(notes, 8).notes).toBe(0);
    expect(longestLoop(notes, 9)).toEqual({ notes: 27, period: 9 });
  });
});

describe('barLineCrossings', () => {
  it('counts notes held across a bar line of the given length, not notes ending on one', () => {
    const notes: Note[] = [
      { pitch: 60, start: 0, duration: 12, velocity: 80 }, // a dotted half fills a 3/4 bar
      { pitch: 62, start: 12, duration: 8, velocity: 80 },
      { pitch: 64, start: 20, duration: 8, velocity: 80 }, // 20..28 crosses the line at 24
    ];
    expect(barLineCrossings(notes, 12)).toBe(1);
    expect(barLineCrossings(notes, 16)).toBe(1); // in 4/4 it is 12..20 that crosses, 20..28 is inside bar 2
  });
});

describe('restatedShare', () => {
  it('is the share of the continuation that has the same pitch at the same place of the seed', () => {
    const seed = eighths([60, 62, 64, 65]);
    const continuation = eighths([60, 62, 67, 65], 16);
    expect(restatedShare(seed, continuation, 16)).toBe(0.75);
    expect(restatedShare(seed, continuation, 14)).toBe(0);
    expect(restatedShare(seed, [], 16)).toBe(0);
  });
});

describe('copiesSeed', () => {
  it('is true only for the seed again note for note: a varied restatement is not a copy', () => {
    const seed = eighths([60, 62, 64, 65]);
    expect(copiesSeed(seed, eighths([60, 62, 64, 65], 16), 16)).toBe(true);
    expect(copiesSeed(seed, eighths([60, 62, 67, 65], 16), 16)).toBe(false);
    expect(copiesSeed(seed, eighths([60, 62, 64], 16), 16)).toBe(false);
    const longer = eighths([60, 62, 64, 65], 16).map((n, i) => (i === 3 ? { ...n, duration: 4 } : n));
    expect(copiesSeed(seed, longer, 16)).toBe(false);
  });
});

describe('seedAndContinuation', () => {
  it('cuts the seed at the bar line and keeps the notes starting in the next bars as the real continuation', () => {
    const notes: Note[] = [
      { pitch: 60, start: 0, duration: 8, velocity: 80 },
      { pitch: 62, start: 8, duration: 12, velocity: 80 }, // crosses the end of bar 1
      { pitch: 64, start: 20, duration: 12, velocity: 80 },
      { pitch: 65, start: 32, duration: 16, velocity: 80 },
    ];
    const s = seedAndContinuation(melody(notes), 1, 1)!;
    expect(s.seed.notes.map((n) => [n.pitch, n.start, n.duration])).toEqual([
      [60, 0, 8],
      [62, 8, 8],
    ]);
    expect(s.real.map((n) => n.pitch)).toEqual([64]);
    expect(s.offset).toBe(16);
  });

  it('gives nothing for a tune shorter than the seed and continuation together', () => {
    expect(seedAndContinuation(melody(eighths([60, 62, 64, 65, 67, 69, 71, 72])), 1, 1)).toBeNull();
  });
});

describe('checkRealContinuations', () => {
  it('measures an AABB tune as restating its seed, without loops, stray notes or held bar lines', () => {
    const a = [67, 69, 71, 72, 74, 72, 71, 69, 67, 71, 74, 79, 78, 76, 74, 72];
    const s = checkRealContinuations([{ name: 'aa', melody: melody(eighths([...a, ...a])) }], {
      seedBars: 2,
      bars: 2,
      range: { min: 60, max: 84 },
    });
    expect(s).toMatchObject({
      continuations: 1,
      notes: 16,
      loops: 0,
      strayNotes: 0,
      crossings: 0,
      restated: 1,
      lowest: 67,
      highest: 79,
    });
    expect(s.metre).toEqual({ '4/4': { notes: 16, crossings: 0 } });
  });
});

describe('checkGeneration', () => {
  it('continues each tune with the model and counts what the continuations do', () => {
    // a model that can only play pitch 40 in eighths: every continuation is one 16-note loop of stray notes
    const model = new FixedModel({ [pitchToken(40)]: 1, [durationToken(2)]: 1 }, 0);
    const tune = { name: 't', melody: melody(eighths(Array.from({ length: 32 }, () => 60))) };
    const s = checkGeneration(
      model,
      [tune],
      {},
      { seedBars: 2, bars: 2, variations: 2, range: { min: 50, max: 90 } },
    );
    expect(s).toMatchObject({
      continuations: 2,
      notes: 32,
      strayNotes: 32,
      strayContinuations: 2,
      lowest: 40,
    });
    expect(s.perContinuation[0].loop).toEqual({ notes: 16, period: 1 });
  });

  it('skips tunes too short for a seed and a continuation', () => {
    const s = checkGeneration(
      new UniformModel(),
      [{ name: 'short', melody: melody(eighths([60, 62])) }],
      {},
      {
        range: { min: 0, max: 127 },
      },
    );
    expect(s.continuations).toBe(0);
  });
});
