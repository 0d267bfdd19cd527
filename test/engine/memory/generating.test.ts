import { describe, expect, it } from 'vitest';
import {
  BarCopy,
  DEFAULT_NOVELTY,
  EntropyMixture,
  GATE_FEATURES,
  GATE_FEATURES_V1,
  GATE_SIZE,
  GATE_SIZE_V1,
  GENERATED_DELAY_BARS,
  GatedMixture,
  IntervalMemory,
  LearningClock,
  PieceMemoryModel,
  PpmCounts,
  TAIL_LOOP_TOKENS,
  TailLoop,
  gateFromFile,
  gateWeights,
  mixDistributions,
  noveltyBias,
  noveltyProblem,
  withPieceMemory,
} from '../../../engine/memory/index.js';
import type { Note } from '../../../engine/midi/types.js';
import { startGenerating } from '../../../engine/sample/generating.js';
import { VOCAB_SIZE, durationToken, encode, pitchToken } from '../../../engine/tokens/index.js';
import { FixedModel, UniformModel } from '../sample/fake-models.js';

const sum = (p: ArrayLike<number>) => Array.from(p).reduce((a, b) => a + b, 0);
const n = (pitch: number, start: number, duration: number): Note => ({
  pitch,
  start,
  duration,
  velocity: 80,
});
/** The tokens of eighth notes (without END), from step 0. */
const eighths = (pitches: number[]) =>
  Array.from(
    encode({ bpm: 120, timeSignature: [4, 4], notes: pitches.map((p, i) => n(p, 2 * i, 2)) }).subarray(0, -1),
  );

describe('engine/memory: the memories fall back on the long-term model', () => {
  it('PPM-C gives what escapes every order to a base distribution when one is given', () => {
    // one count of token 1: order 0 has N = 1, T = 1, so half the mass escapes
    const counts = new PpmCounts(4, 0);
    counts.addSequence([1]);
    const base = [0.7, 0.1, 0.1, 0.1];
    expect(Array.from(counts.distribution([1], 1, new Float64Array(4), base))).toEqual([
      0.35, 0.55, 0.05, 0.05,
    ]);
    expect(Array.from(counts.distribution([1], 1, new Float64Array(4)))).toEqual([
      0.125, 0.625, 0.125, 0.125,
    ]);
  });

  it('the interval memory escapes to the long-term distribution of absolute pitches', () => {
    const memory = new IntervalMemory(4);
    const base = new Float64Array(VOCAB_SIZE);
    base[pitchToken(67)] = 1;
    const p = new Float64Array(VOCAB_SIZE);
    memory.distribution(p, base); // nothing read yet: all of it escapes
    expect(p[pitchToken(67)]).toBeCloseTo(1, 12);
  });

  it('a gated mixture gives a pitch outside the range only the long-term model’s share', () => {
    // the long-term model knows pitches 60 and 100 equally; the piece has played 100 three times
    const longTerm = new FixedModel({ [pitchToken(60)]: 1, [pitchToken(100)]: 1, [durationToken(2)]: 2 }, 0);
    const theta = Array<number>(GATE_SIZE).fill(0); // equal weights for the four experts
    const tokens = eighths([100, 100, 100]);
    const score = (range: { min: number; max: number } | null) => {
      const s = new GatedMixture(longTerm, 4, theta, { pitchRange: range }).begin({ timeSignature: [4, 4] });
      for (const t of tokens) s.advance(t);
      return s.probabilities()[pitchToken(100)];
    };
    const share = longTerm.begin().probabilities()[pitchToken(100)];
    expect(score(null)).toBeGreaterThan(0.5);
    expect(score({ min: 52, max: 91 })).toBeLessThan(share);
    expect(score({ min: 52, max: 91 })).toBeGreaterThan(0);
  });
});

describe('engine/memory: generated tokens are learned a part later', () => {
  it('learns every token at once while reading the user’s melody', () => {
    const clock = new LearningClock(16);
    const learned: number[] = [];
    for (const t of eighths([60, 62])) clock.advance(t, (j) => learned.push(j));
    expect(learned).toEqual([0, 1, 2, 3]);
  });

  it(`after startGenerating, learns a token once the piece is ${GENERATED_DELAY_BARS} bars past it`, () => {
    const clock = new LearningClock(4); // a bar of 4 steps: two eighths
    const learned: number[] = [];
    clock.startGenerating();
    const tokens = eighths(Array.from({ length: 2 * GENERATED_DELAY_BARS + 1 }, () => 60));
    const after = (count: number) => {
      while (read < count) clock.advance(tokens[read++], (j) => learned.push(j));
      return learned.slice();
    };
    let read = 0;
    const bars = GENERATED_DELAY_BARS;
    expect(after(4 * bars - 1)).toEqual([]); // up to step 4·bars − 2
    expect(after(4 * bars)).toEqual([0]); // step 4·bars: the first PITCH (at step 0) is ripe
    expect(after(4 * bars + 2)).toEqual([0, 1, 2]); // step 4·bars + 2: its DUR and the next PITCH
  });

  it('a piece memory does not grow surer of a figure the model generated itself', () => {
    const seed = eighths([60, 64, 67, 64]);
    const figure = eighths([72, 71, 72, 71, 72, 71]);
    const p72 = (generating: boolean) => {
      const memory = new PieceMemoryModel(8).begin({ timeSignature: [4, 4] });
      for (const t of seed) memory.advance(t);
      if (generating) startGenerating(memory);
      for (const t of figure) memory.advance(t);
      return memory.probabilities()[pitchToken(72)];
    };
    expect(p72(false)).toBeGreaterThan(0.5);
    expect(p72(true)).toBeLessThan(0.01);
  });

  it('the bar copy does not copy the bars it generated until they are a part old', () => {
    const bar = encode({ bpm: 120, timeSignature: [4, 4], notes: [n(60, 0, 16)] }).subarray(0, -1);
    const reading = new BarCopy(16);
    const generating = new BarCopy(16);
    generating.startGenerating(GENERATED_DELAY_BARS * 16);
    for (const t of bar) {
      reading.advance(t);
      generating.advance(t);
    }
    expect(reading.proposal().token).toBe(pitchToken(60));
    expect(generating.proposal().token).toBe(-1);
  });

  it('the bar copy proposes the part before in the first bar of a new 8-bar part', () => {
    // bars 1–7 climb C D E F G A B in whole notes, bar 8 is two half-note Cs: at bar 9 no lag has
    // been right lately, and the part's lag (bar 1's C) wins over the one-bar lag (bar 8's high C)
    const notes = [60, 62, 64, 65, 67, 69, 71].map((p, b) => n(p, 16 * b, 16));
    notes.push(n(72, 112, 8), n(72, 120, 8));
    const copy = new BarCopy(16);
    for (const t of encode({ bpm: 120, timeSignature: [4, 4], notes }).subarray(0, -1)) copy.advance(t);
    expect(copy.atPartStart()).toBe(true);
    expect(copy.proposal()).toMatchObject({ token: pitchToken(60), lag: 8 });
  });
});

describe('engine/memory: the memories do not go on with a figure played over and over', () => {
  it(`names the token that would extend a repetition of ${TAIL_LOOP_TOKENS} tokens`, () => {
    const loop = new TailLoop();
    const tokens = eighths(Array.from({ length: TAIL_LOOP_TOKENS / 2 }, (_, i) => [64, 66, 64, 62][i % 4]));
    for (const t of tokens.slice(0, -1)) loop.advance(t);
    expect(loop.continuation()).toBe(-1); // 39 tokens of it
    loop.advance(tokens[tokens.length - 1]);
    expect(loop.continuation()).toBe(pitchToken(64));
  });

  it('notices no repetition in a melody that moves on', () => {
    const loop = new TailLoop();
    for (const t of eighths(Array.from({ length: 30 }, (_, i) => 50 + i))) loop.advance(t);
    expect(loop.continuation()).toBe(-1);
  });
});

describe('engine/memory: gates stored before the part features', () => {
  it(`reads ${GATE_SIZE_V1} numbers as a gate with weight 0 on the new features`, () => {
    const old = Array.from({ length: GATE_SIZE_V1 }, (_, i) => i + 1);
    const theta = gateFromFile(old)!;
    expect(theta).toHaveLength(GATE_SIZE);
    for (let k = 0; k < 3; k++) {
      expect(theta.slice(k * GATE_FEATURES, k * GATE_FEATURES + GATE_FEATURES_V1)).toEqual(
        old.slice(k * GATE_FEATURES_V1, (k + 1) * GATE_FEATURES_V1),
      );
      expect(theta.slice(k * GATE_FEATURES + GATE_FEATURES_V1, (k + 1) * GATE_FEATURES)).toEqual([0, 0]);
    }
    expect(gateFromFile(old.slice(1))).toBeNull();
    expect(gateFromFile([...old.slice(1), Number.NaN])).toBeNull();
  });
});

describe('engine/memory: novelty', () => {
  it('maps 0.5 to the mixture as fitted, 0 and 1 to the memories and the long-term model alone', () => {
    expect(DEFAULT_NOVELTY).toBe(0.5);
    expect(noveltyBias(0.5)).toBe(0);
    expect(noveltyBias(0)).toBe(Infinity);
    expect(noveltyBias(1)).toBe(-Infinity);
    expect(noveltyBias(0.25)).toBeCloseTo(-noveltyBias(0.75), 12);
    expect(noveltyBias(0.25)).toBeGreaterThan(0);
    expect(noveltyProblem(1.5)).toBe(
      "novelty 1.5 must be a number from 0 (develop the seed's motifs) to 1 (new ideas)",
    );
  });

  it('moves the gate’s weight between the long-term model and the memories', () => {
    const theta = Array<number>(GATE_SIZE).fill(0);
    const x = new Float64Array(GATE_FEATURES);
    x[0] = 1;
    const w = (bias: number) => Array.from(gateWeights(theta, x, new Float64Array(4), bias));
    expect(w(0)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(w(-Infinity)).toEqual([1, 0, 0, 0]);
    expect(w(Infinity)).toEqual([0, 1 / 3, 1 / 3, 1 / 3]);
    expect(w(1)[0]).toBeLessThan(0.25);
  });

  it('novelty 1 is the long-term model alone, for the gate and for entropy weighting', () => {
    const longTerm = new FixedModel({ [pitchToken(60)]: 3, [pitchToken(62)]: 1, [durationToken(2)]: 4 });
    const alone = longTerm.begin().probabilities();
    const tokens = eighths([62, 62, 62, 62]);
    for (const model of [
      withPieceMemory(longTerm, { order: 8, method: 'gated', b: 0, gate: Array<number>(GATE_SIZE).fill(0) }),
      withPieceMemory(longTerm, { order: 8, method: 'arithmetic', b: 0.25 }),
    ]) {
      const s = model.begin({ timeSignature: [4, 4], novelty: 1 });
      for (const t of tokens) s.advance(t);
      Array.from(s.probabilities()).forEach((p, t) => expect(p).toBeCloseTo(alone[t], 12));
    }
  });

  it('lower novelty leans on what the piece has played', () => {
    const tokens = eighths([62, 64, 62, 64, 62]);
    const model = new EntropyMixture([new UniformModel(), new PieceMemoryModel(8)], {
      b: 0.25,
    });
    const p64 = (novelty: number) => {
      const s = model.begin({ timeSignature: [4, 4], novelty });
      for (const t of tokens) s.advance(t);
      return s.probabilities()[pitchToken(64)];
    };
    expect(p64(0.2)).toBeGreaterThan(p64(0.5));
    expect(p64(0.5)).toBeGreaterThan(p64(0.8));
    expect(
      sum(
        mixDistributions(
          [
            [0.5, 0.5],
            [1, 0],
          ],
          { b: 0 },
          new Float64Array(2),
          2,
        ),
      ),
    ).toBeCloseTo(1, 12);
  });

  it('refuses a novelty outside 0..1 when a piece begins', () => {
    const model = withPieceMemory(new UniformModel());
    expect(() => model.begin({ timeSignature: [4, 4], novelty: -0.1 })).toThrow(/novelty -0.1 must be/);
  });
});
