import { describe, expect, it } from 'vitest';
import {
  GATE_SIZE,
  GatedMixture,
  RESTATED_SHARE,
  memorySettingsProblem,
  partPlanSeed,
  rateOfPart,
  restateProbability,
  restatedShare,
  styleRestateRates,
} from '../../../engine/memory/index.js';
import type { Melody, Note } from '../../../engine/midi/types.js';
import { generate } from '../../../engine/sample/generate.js';
import { encode } from '../../../engine/tokens/index.js';
import { UniformModel } from '../sample/fake-models.js';

const n = (pitch: number, start: number, duration: number): Note => ({
  pitch,
  start,
  duration,
  velocity: 80,
});
/** Eighth notes (2 steps each) from step `from`. */
const eighths = (pitches: readonly number[], from = 0) => pitches.map((p, i) => n(p, from + 2 * i, 2));
const BAR = 16; // 4/4
/** Eight bars of a tune in 4/4: a rising and falling figure, a different one per bar. */
const PART_A = Array.from({ length: 8 }, (_, bar) =>
  [60, 62, 64, 65, 67, 65, 64, 62].map((p) => p + bar),
).flat();
const PART_B = PART_A.map((p) => p + 7);
const melody = (notes: Note[]): Melody => ({ notes, bpm: 120, timeSignature: [4, 4] });

describe('engine/memory/form: how often the style restates a part', () => {
  it('counts the second part of each pair that restates the first, pair by pair', () => {
    // AABB, AAB (third part new, no fourth), AB: the first pair restates in 2 of 3, the second in 1 of 1
    const aabb = melody(eighths([...PART_A, ...PART_A, ...PART_B, ...PART_B]));
    const aab = melody(eighths([...PART_A, ...PART_A, ...PART_B]));
    const ab = melody(eighths([...PART_A, ...PART_B]));
    const rates = styleRestateRates([aabb, aab, ab], () => BAR);
    // fewer than 100 melodies per pair: everything is pooled into one rate
    expect(rates).toEqual([3 / 4]);
  });

  it('keeps a rate per pair when a pair has at least 100 parts', () => {
    const aabb = melody(eighths([...PART_A, ...PART_A, ...PART_B, ...PART_B]));
    const aabc = melody(eighths([...PART_A, ...PART_A, ...PART_B, ...PART_B.map((p) => p - 12)]));
    const tunes = [...Array<Melody>(60).fill(aabb), ...Array<Melody>(40).fill(aabc)];
    expect(styleRestateRates(tunes, () => BAR)).toEqual([1, 0.6]);
  });

  it('a varied restatement still restates: half the notes at the same place is enough', () => {
    const varied = PART_A.map((p, i) => (i % 2 === 0 ? p : p + 1));
    expect(restatedShare(eighths(PART_A), eighths(varied, 8 * BAR), 8 * BAR)).toBe(RESTATED_SHARE);
    expect(styleRestateRates([melody(eighths([...PART_A, ...varied]))], () => BAR)).toEqual([1]);
  });

  it('the rate of a part is its pair’s, the last one for later pairs', () => {
    expect(rateOfPart([0.8, 0.7, 0.5], 1)).toBe(0.8);
    expect(rateOfPart([0.8, 0.7, 0.5], 3)).toBe(0.7);
    expect(rateOfPart([0.8, 0.7, 0.5], 11)).toBe(0.5);
    expect(rateOfPart([], 1)).toBe(0);
  });

  it('novelty shifts the style’s rate: 0.5 keeps it, 0 always restates, 1 never', () => {
    expect(restateProbability(0.8, 0)).toBeCloseTo(0.8, 12);
    expect(restateProbability(0.8, Infinity)).toBe(1);
    expect(restateProbability(0.8, -Infinity)).toBe(0);
    expect(restateProbability(0.8, 3)).toBeGreaterThan(0.98);
    expect(restateProbability(0.8, -3)).toBeLessThan(0.2);
  });

  it('model files may carry the rates; a rate outside 0..1 is named', () => {
    const gate = Array<number>(GATE_SIZE).fill(0);
    expect(memorySettingsProblem({ order: 8, method: 'gated', b: 0, gate, restate: [0.8, 0.7] })).toBeNull();
    expect(memorySettingsProblem({ order: 8, method: 'gated', b: 0, gate, restate: [1.5] })).toMatch(
      /restatement rates \[1\.5\] must be numbers from 0 to 1/,
    );
  });
});

describe('engine/memory/form: the part plan while generating', () => {
  // a long-term model that knows nothing (uniform), memories that know the seed, the gate at 0
  const gate = Array<number>(GATE_SIZE).fill(0);
  const seed = melody(eighths(PART_A));
  const restated = (model: GatedMixture, novelty: number) => {
    const out = generate(model, seed, { bars: 8, variations: 24, randomSeed: 3, novelty });
    return out.filter(
      (v) => restatedShare(seed.notes, v.melody.notes.slice(v.seedNotes), 8 * BAR) >= RESTATED_SHARE,
    ).length;
  };

  it('lower novelty restates the seed more often than higher novelty', () => {
    const model = new GatedMixture(new UniformModel(), 8, gate, { restate: [0.8] });
    const low = restated(model, 0.2);
    const middle = restated(model, 0.5);
    const high = restated(model, 0.8);
    expect(low).toBeGreaterThan(middle);
    expect(middle).toBeGreaterThan(high);
    expect(low).toBeGreaterThanOrEqual(16); // of 24
    expect(restated(model, 1)).toBe(0); // the long-term model alone: uniform notes
  });

  it('at novelty 0.5 restates about as often as the style says', () => {
    const rare = restated(new GatedMixture(new UniformModel(), 8, gate, { restate: [0.2] }), 0.5);
    const often = restated(new GatedMixture(new UniformModel(), 8, gate, { restate: [0.9] }), 0.5);
    expect(often).toBeGreaterThan(rare + 8);
  });

  it('a file without rates plans nothing, and scoring is the same with or without them', () => {
    const planned = new GatedMixture(new UniformModel(), 8, gate, { restate: [0.9] });
    const unplanned = new GatedMixture(new UniformModel(), 8, gate);
    expect(restated(unplanned, 0.5)).toBeLessThan(restated(planned, 0.5));
    const tokens = encode(generate(planned, seed, { bars: 8, randomSeed: 1 })[0].melody);
    const read = (model: GatedMixture) => {
      const s = model.begin({ timeSignature: [4, 4] });
      return Array.from(tokens, (t) => {
        const p = s.probabilities()[t];
        s.advance(t);
        return p;
      });
    };
    expect(read(planned)).toEqual(read(unplanned));
  });

  it('each variation has its own plan, the same on every run', () => {
    expect(partPlanSeed(7, 0)).toBe(partPlanSeed(7, 0));
    expect(partPlanSeed(7, 0)).not.toBe(partPlanSeed(7, 1));
    expect(partPlanSeed(7, 0)).not.toBe(partPlanSeed(8, 0));
    const model = new GatedMixture(new UniformModel(), 8, gate, { restate: [0.5] });
    const once = generate(model, seed, { bars: 8, variations: 6, randomSeed: 5 });
    const again = generate(model, seed, { bars: 8, variations: 6, randomSeed: 5 });
    expect(again).toEqual(once);
    const shares = once.map((v) => restatedShare(seed.notes, v.melody.notes.slice(v.seedNotes), 8 * BAR));
    expect(shares.some((s) => s >= RESTATED_SHARE)).toBe(true);
    expect(shares.some((s) => s < RESTATED_SHARE)).toBe(true);
  });
});
