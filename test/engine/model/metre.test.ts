import { describe, expect, it } from 'vitest';
import type { Melody, Note } from '../../../engine/midi/types.js';
import { MetreModel, crossesBarLine, fitMetre, metreSettingsProblem } from '../../../engine/model/metre.js';
import { VOCAB_SIZE, durationToken, encode, pitchToken } from '../../../engine/tokens/index.js';
import { FixedModel } from '../sample/fake-models.js';

const n = (pitch: number, start: number, duration: number): Note => ({
  pitch,
  start,
  duration,
  velocity: 80,
});
const sum = (p: ArrayLike<number>) => Array.from(p).reduce((a, b) => a + b, 0);
// quarter and half notes equally likely, every pitch alike
const longTerm = () =>
  new FixedModel({ [pitchToken(67)]: 1, [durationToken(4)]: 1, [durationToken(8)]: 1 }, 1e-9);

describe('MetreModel', () => {
  it('knows which durations carry a note over the bar line', () => {
    expect(crossesBarLine(durationToken(4), 8, 12)).toBe(false); // beat 3 of 3/4, a quarter: ends on the line
    expect(crossesBarLine(durationToken(8), 8, 12)).toBe(true); // a half note from beat 3 of 3/4
    expect(crossesBarLine(durationToken(8), 8, 16)).toBe(false); // the same in 4/4
  });

  it('scales the crossing durations by κ after a PITCH, in 3/4 but not in 4/4, and renormalises', () => {
    // two quarter notes, then a PITCH at beat 3: a half note would cross the 3/4 bar line
    const tokens = encode({
      bpm: 120,
      timeSignature: [3, 4],
      notes: [n(67, 0, 4), n(67, 4, 4), n(67, 8, 4)],
    });
    const read = (timeSignature: [number, number]) => {
      const s = new MetreModel(longTerm(), { crossing: 0.1 }).begin({ timeSignature });
      for (const t of tokens.subarray(0, 5)) s.advance(t);
      return s.probabilities();
    };
    const waltz = read([3, 4]);
    expect(waltz[durationToken(8)] / waltz[durationToken(4)]).toBeCloseTo(0.1, 6);
    expect(sum(waltz)).toBeCloseTo(1, 12);
    const common = read([4, 4]);
    expect(common[durationToken(8)] / common[durationToken(4)]).toBeCloseTo(1, 6);
  });

  it('leaves every other token alone', () => {
    const model = new MetreModel(longTerm(), { crossing: 0.1 });
    const s = model.begin({ timeSignature: [3, 4] });
    expect(Array.from(s.probabilities())).toEqual(Array.from(longTerm().begin().probabilities()));
    expect(s.probabilities()).toHaveLength(VOCAB_SIZE);
  });

  it('refuses a factor that is not positive', () => {
    expect(metreSettingsProblem({ crossing: 0 })).toBe(
      'metre crossing factor 0 must be a number in (0, 7.39]',
    );
    expect(() => new MetreModel(longTerm(), { crossing: -1 })).toThrow(RangeError);
  });
});

describe('fitMetre', () => {
  const waltz = (notes: Note[]): Melody => ({ notes, bpm: 120, timeSignature: [3, 4] });

  it('drives κ down on tunes that never cross a bar line, and lowers their bits/note', () => {
    const bars = Array.from({ length: 8 }, (_, b) => [n(67, 12 * b, 4), n(67, 12 * b + 4, 8)]).flat();
    const fit = fitMetre(longTerm(), [waltz(bars)]);
    expect(fit.crossings).toBe(0);
    expect(fit.settings.crossing).toBeLessThan(1e-4);
    expect(fit.bitsPerNoteAfter).toBeLessThan(fit.bitsPerNoteBefore);
  });

  it("is the maximum-likelihood factor: the crossing share it predicts is the tunes' share", () => {
    // every note starts on beat 3 and is a quarter or a half, so half of them cross; after a PITCH
    // the model puts 1/3 on the half note, 1/3 on the quarter and 1/3 elsewhere, so κ/3 / (2/3 + κ/3)
    // = 1/2 at κ = 2
    const notes = Array.from({ length: 16 }, (_, b) => n(67, 12 * b + 8, b % 2 ? 4 : 8));
    const fit = fitMetre(longTerm(), [waltz(notes)]);
    expect(fit.crossings).toBe(8);
    expect(fit.settings.crossing).toBeCloseTo(2, 4);
  });
});
