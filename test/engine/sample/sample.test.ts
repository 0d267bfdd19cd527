import { describe, expect, it } from 'vitest';
import {
  allowedPitches,
  drawToken,
  generate,
  parseScale,
  parseTonic,
  shapeDistribution,
  type GenerateOptions,
} from '../../../engine/sample/index.js';
import { SCALES } from '../../../engine/sample/constraints.js';
import { durationToken, encode, pitchToken } from '../../../engine/tokens/index.js';
import type { Melody } from '../../../engine/midi/types.js';
import { FixedModel, UniformModel } from './fake-models.js';

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

const note = (pitch: number, start: number, duration: number, velocity = 90) => ({
  pitch,
  start,
  duration,
  velocity,
});
// 3/4, 5 notes ending at step 18: the seed's second bar is completed (to 24), then the new bars follow.
const seed: Melody = deepFreeze({
  bpm: 96,
  timeSignature: [3, 4],
  notes: [note(62, 0, 4), note(64, 4, 4), note(66, 8, 4), note(67, 12, 2), note(69, 14, 4)],
});

describe('engine/sample: shaping a distribution', () => {
  const probs = [0.5, 0.25, 0.125, 0.125];
  const shape = (settings: object, mask: number[] | null = null) =>
    Array.from(shapeDistribution(probs, mask, settings, new Float64Array(4)));

  it('leaves it unchanged at temperature 1 with no filters', () => {
    shape({}).forEach((p, i) => expect(p).toBeCloseTo(probs[i], 12));
  });

  it('squares and renormalises at temperature 0.5', () => {
    const z = 0.25 + 0.0625 + 0.015625 * 2;
    shape({ temperature: 0.5 }).forEach((p, i) =>
      expect(p).toBeCloseTo([0.25 / z, 0.0625 / z, 0.015625 / z, 0.015625 / z][i], 12),
    );
  });

  it('always picks the most likely token at temperature 0', () => {
    expect(shape({ temperature: 0 })).toEqual([1, 0, 0, 0]);
  });

  it('keeps the k most likely tokens with top-k', () => {
    shape({ topK: 2 }).forEach((p, i) => expect(p).toBeCloseTo([2 / 3, 1 / 3, 0, 0][i], 12));
  });

  it('keeps the smallest most-likely set reaching p with top-p', () => {
    shape({ topP: 0.7 }).forEach((p, i) => expect(p).toBeCloseTo([2 / 3, 1 / 3, 0, 0][i], 12));
    expect(shape({ topP: 0.5 })).toEqual([1, 0, 0, 0]);
  });

  it('breaks ranking ties towards the lower token id', () => {
    shape({ topK: 3 }).forEach((p, i) =>
      expect(p).toBeCloseTo([0.5 / 0.875, 0.25 / 0.875, 0.125 / 0.875, 0][i], 12),
    );
  });

  it('removes masked tokens', () => {
    shape({}, [0, 1, 1, 1]).forEach((p, i) => expect(p).toBeCloseTo([0, 0.5, 0.25, 0.25][i], 12));
  });

  it('shares the mass equally when the model gives every allowed token probability 0', () => {
    expect(Array.from(shapeDistribution([1, 0, 0], [0, 1, 1], {}, new Float64Array(3)))).toEqual([
      0, 0.5, 0.5,
    ]);
  });

  it('refuses a mask that allows nothing', () => {
    expect(() => shape({}, [0, 0, 0, 0])).toThrow('no token is allowed here');
  });

  it('draws by inverse CDF over token ids', () => {
    const at = (u: number) => drawToken([0.5, 0, 0.25, 0.25], { nextFloat: () => u });
    expect([at(0), at(0.49), at(0.5), at(0.74), at(0.75), at(0.999)]).toEqual([0, 0, 2, 2, 3, 3]);
  });
});

describe('engine/sample: constraints', () => {
  it('reads key names with sharps and flats', () => {
    expect(['C', 'f#', 'Bb', 'E♭', 'B#'].map(parseTonic)).toEqual([0, 6, 10, 3, 0]);
    expect(() => parseTonic('H')).toThrow('key "H" is not a note name like C, F#, Bb');
  });

  it('reads scale names in any case and spacing', () => {
    expect(parseScale('Minor Pentatonic')).toBe('minor-pentatonic');
    expect(() => parseScale('bebop')).toThrow('scale "bebop" is not one of: major, minor,');
  });

  it('allows the scale pitches inside the range', () => {
    const a = allowedPitches({ scale: { tonic: 0, name: 'major' }, range: { min: 60, max: 72 } });
    expect([...a.keys()].filter((p) => a[p])).toEqual([60, 62, 64, 65, 67, 69, 71, 72]);
  });
});

describe('engine/sample: continuing a melody', () => {
  const base: GenerateOptions = { bars: 4, randomSeed: 12345 };

  it('keeps the seed notes and ends the last new note exactly on the bar line', () => {
    const [v] = generate(new UniformModel(), seed, base);
    expect(v.melody.notes.slice(0, 5)).toEqual(seed.notes);
    expect(v.endStep).toBe(24 + 4 * 12);
    const last = v.melody.notes[v.melody.notes.length - 1];
    expect(last.start + last.duration).toBe(v.endStep);
    expect(v.melody.notes.length).toBeGreaterThan(v.seedNotes);
    expect({ bpm: v.melody.bpm, timeSignature: v.melody.timeSignature }).toEqual({
      bpm: 96,
      timeSignature: [3, 4],
    });
  });

  it('feeds the seed through the model before sampling, in the seed time signature', () => {
    const model = new UniformModel();
    generate(model, seed, base);
    expect(model.streams[0].context).toEqual({ timeSignature: [3, 4] });
    expect(model.streams[0].read).toEqual(Array.from(encode(seed).subarray(0, -1)));
  });

  it('produces a valid monophonic melody (sorted, no overlaps, whole steps)', () => {
    for (const v of generate(new UniformModel(), seed, { ...base, variations: 4 })) {
      expect(() => encode(v.melody)).not.toThrow();
    }
  });

  it('gives identical output for identical inputs', () => {
    const opts = { ...base, variations: 3, temperature: 0.9, topK: 20, topP: 0.95 };
    expect(generate(new UniformModel(), seed, opts)).toEqual(generate(new UniformModel(), seed, opts));
  });

  it('gives variation i the same notes whether 1 or 8 variations are asked for', () => {
    const eight = generate(new UniformModel(), seed, { ...base, variations: 8 });
    const one = generate(new UniformModel(), seed, { ...base, variations: 1 });
    expect(eight[0]).toEqual(one[0]);
    expect(new Set(eight.map((v) => JSON.stringify(v.melody.notes))).size).toBe(8);
  });

  it('gives different notes for a different random seed', () => {
    const a = generate(new UniformModel(), seed, base)[0].melody.notes;
    const b = generate(new UniformModel(), seed, { ...base, randomSeed: 54321 })[0].melody.notes;
    expect(a).not.toEqual(b);
  });

  it('plays only pitches of the requested scale and range', () => {
    const opts: GenerateOptions = {
      ...base,
      bars: 16,
      scale: { tonic: 2, name: 'dorian' },
      range: { min: 60, max: 76 },
    };
    const dorianOnD = new Set(SCALES.dorian.map((i) => (i + 2) % 12));
    for (const v of generate(new UniformModel(), seed, { ...opts, variations: 4 })) {
      for (const n of v.melody.notes.slice(v.seedNotes)) {
        expect(dorianOnD.has(n.pitch % 12)).toBe(true);
        expect(n.pitch >= 60 && n.pitch <= 76).toBe(true);
      }
    }
  });

  it('never repeats one pitch more than maxRepeats times in a row, counting the seed', () => {
    // a model that wants PITCH_69 (the seed's last pitch) above all
    const model = new FixedModel({ [pitchToken(69)]: 10, [pitchToken(71)]: 1, [durationToken(2)]: 1 });
    const [v] = generate(model, seed, { ...base, maxRepeats: 2, temperature: 0 });
    const pitches = v.melody.notes.map((n) => n.pitch);
    expect(pitches.slice(4, 9)).toEqual([69, 69, 71, 69, 69]);
  });

  it('follows the model greedily at temperature 0', () => {
    const model = new FixedModel({ [pitchToken(64)]: 5, [pitchToken(62)]: 3, [durationToken(4)]: 5 });
    const [v] = generate(model, null, { bars: 1, temperature: 0 });
    expect(v.melody.notes.map((n) => [n.pitch, n.start, n.duration])).toEqual([
      [64, 0, 4],
      [64, 4, 4],
      [64, 8, 4],
      [64, 12, 4],
    ]);
    expect(v.melody.timeSignature).toEqual([4, 4]);
  });

  it('cuts a duration the model wants short so the piece still ends on the bar line', () => {
    const model = new FixedModel({ [pitchToken(64)]: 5, [durationToken(12)]: 5, [durationToken(4)]: 2 });
    const [v] = generate(model, null, { bars: 1, temperature: 0 });
    expect(v.melody.notes.map((n) => [n.start, n.duration])).toEqual([
      [0, 12],
      [12, 4],
    ]);
  });

  it('refuses bad options with one line', () => {
    expect(() => generate(new UniformModel(), seed, { bars: 0 })).toThrow(
      'bars 0 must be a whole number 1..512',
    );
    expect(() => generate(new UniformModel(), seed, { bars: 2, topP: 0 })).toThrow(
      'top-p 0 must be in (0, 1]',
    );
    expect(() => generate(new UniformModel(), seed, { bars: 2, temperature: -1 })).toThrow(
      'temperature -1 must be a number ≥ 0',
    );
    expect(() =>
      generate(new UniformModel(), seed, {
        bars: 2,
        scale: { tonic: 0, name: 'major' },
        range: { min: 61, max: 61 },
      }),
    ).toThrow('the scale and pitch range together allow no pitch at all');
    expect(() =>
      generate(new UniformModel(), seed, { bars: 2, range: { min: 60, max: 60 }, maxRepeats: 3 }),
    ).toThrow(
      'the scale and pitch range allow a single pitch, which cannot be repeated at most 3 times in a row',
    );
  });

  it('does not modify the seed melody or the options (both frozen here)', () => {
    const opts = deepFreeze({
      ...base,
      variations: 2,
      scale: { tonic: 7, name: 'major' as const },
      range: { min: 55, max: 79 },
    });
    expect(() => generate(new UniformModel(), seed, opts)).not.toThrow();
  });
});
