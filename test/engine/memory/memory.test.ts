import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateBitsPerNote } from '../../../engine/eval/index.js';
import {
  DEFAULT_MEMORY,
  EntropyMixture,
  BarCopy,
  GATE_FEATURES,
  GATE_SIZE,
  GATE_SIZE_V1,
  GatedMixture,
  IntervalMemory,
  PieceMemoryModel,
  PpmCounts,
  fitGate,
  gateBits,
  memorySettingsProblem,
  mixDistributions,
  relativeEntropy,
  tuneMemory,
  withPieceMemory,
  type GateRows,
} from '../../../engine/memory/index.js';
import { importMidi } from '../../../engine/midi/index.js';
import { VOCAB_SIZE, encode, pitchToken } from '../../../engine/tokens/index.js';
import { fixturesDir } from '../../helpers/shared.js';
import { UniformModel } from '../sample/fake-models.js';

const sum = (p: ArrayLike<number>) => Array.from(p).reduce((a, b) => a + b, 0);
const ashover = () =>
  importMidi(
    new Uint8Array(fs.readFileSync(path.join(fixturesDir, 'nottingham-ashover1.mid'))),
    'ashover1.mid',
  ).melody;

describe('engine/memory: PPM-C counts', () => {
  // Counted on [1, 2, 1, 2, 1] over 4 tokens, predicting what follows a 1 with contexts up to order 1:
  //   order 0: c = {1: 3, 2: 2}, N = 5, T = 2 → p0 = (c + 2 · 1/4) / 7 = [1/14, 1/2, 5/14, 1/14]
  //   order 1 after "1": c = {2: 2}, N = 2, T = 1 → p1 = (c + p0) / 3
  it('blends orders as PPM-C prescribes (a hand-computed example)', () => {
    const counts = new PpmCounts(4, 1);
    counts.addSequence([1, 2, 1, 2, 1]);
    const p = counts.distribution([1, 2, 1, 2, 1], 5, new Float64Array(4));
    const p0 = [1 / 14, 1 / 2, 5 / 14, 1 / 14];
    const expected = [p0[0] / 3, p0[1] / 3, (2 + p0[2]) / 3, p0[3] / 3];
    Array.from(p).forEach((x, i) => expect(x).toBeCloseTo(expected[i], 14));
  });

  it('agrees with its all-orders scorer for the highest order', () => {
    const counts = new PpmCounts(4, 3);
    const seq = [1, 2, 3, 1, 2, 3, 1, 2, 0, 1, 2];
    counts.addSequence(seq);
    const all = new Float64Array(4);
    for (let i = 0; i < seq.length; i++) {
      counts.probabilityAllOrders(seq, i, all);
      const d = counts.distribution(seq, i, new Float64Array(4));
      expect(all[3]).toBeCloseTo(d[seq[i]], 14);
    }
  });

  it('is uniform before anything is counted', () => {
    expect(Array.from(new PpmCounts(4, 2).distribution([], 0, new Float64Array(4)))).toEqual([
      0.25, 0.25, 0.25, 0.25,
    ]);
  });
});

describe('engine/memory: the piece memory model', () => {
  it('knows nothing at the start of a piece', () => {
    const s = new PieceMemoryModel(8).begin({ timeSignature: [4, 4] });
    expect(relativeEntropy(s.probabilities())).toBeCloseTo(1, 12);
  });

  it('predicts the continuation of a phrase it has already heard in this piece', () => {
    const phrase = encode({
      bpm: 120,
      timeSignature: [4, 4],
      notes: [
        { pitch: 60, start: 0, duration: 2, velocity: 80 },
        { pitch: 64, start: 2, duration: 2, velocity: 80 },
        { pitch: 67, start: 4, duration: 4, velocity: 80 },
      ],
    }).subarray(0, -1);
    const s = new PieceMemoryModel(8).begin({ timeSignature: [4, 4] });
    for (const t of phrase) s.advance(t);
    for (const t of phrase.subarray(0, 3)) s.advance(t);
    const p = s.probabilities();
    const best = p.indexOf(Math.max(...p));
    expect(best).toBe(phrase[3]);
    expect(p[phrase[3]]).toBeGreaterThan(0.5);
    expect(sum(p)).toBeCloseTo(1, 12);
  });

  it('clones into independent streams', () => {
    const s = new PieceMemoryModel(4).begin({ timeSignature: [4, 4] });
    for (const t of [100, 164, 100, 164]) s.advance(t);
    const before = Array.from(s.probabilities());
    const c = s.clone();
    for (const t of [102, 162, 102, 162, 102]) c.advance(t);
    expect(Array.from(s.probabilities())).toEqual(before);
    expect(Array.from(c.probabilities())).not.toEqual(before);
  });
});

describe('engine/memory: entropy-weighted mixing', () => {
  const flat = [0.25, 0.25, 0.25, 0.25]; // relative entropy 1
  const sharp = [0.5, 0.5, 0, 0]; // 1 bit of 2: relative entropy 1/2

  it('averages with equal weights when b = 0', () => {
    expect(Array.from(mixDistributions([flat, sharp], { b: 0 }, new Float64Array(4)))).toEqual([
      0.375, 0.375, 0.125, 0.125,
    ]);
  });

  it('weights each model by relative entropy^-b (b = 1: weights 1 and 2)', () => {
    const p = mixDistributions([flat, sharp], { b: 1 }, new Float64Array(4));
    [5 / 12, 5 / 12, 1 / 12, 1 / 12].forEach((x, i) => expect(p[i]).toBeCloseTo(x, 14));
  });

  it('stays finite when one model is certain and b is large', () => {
    const p = mixDistributions([flat, [1, 0, 0, 0]], { b: 8 }, new Float64Array(4));
    expect(sum(p)).toBeCloseTo(1, 12);
    expect(p[0]).toBeGreaterThan(0.999);
  });

  it('refuses models with different vocabularies', () => {
    const other = { ...new UniformModel(), name: 'small', vocabSize: 10, begin: new UniformModel().begin };
    expect(() => new EntropyMixture([new UniformModel(), other], { b: 1 })).toThrow(
      'small has 10 tokens, uniform 193',
    );
  });
});

describe('engine/memory: the learned gate', () => {
  const off = Array<number>(GATE_FEATURES).fill(0);
  const switchedOff = [-200, ...off.slice(1)];

  it('is entropy weighting when only the piece memory is switched on with θ = [0, b, −b, 0, …]', () => {
    const piece = [{ name: 'ashover1.mid', melody: ashover() }];
    const entropy = evaluateBitsPerNote(
      new EntropyMixture([new UniformModel(), new PieceMemoryModel(8)], { b: 0.7 }),
      piece,
    );
    const theta = [0, 0.7, -0.7, ...off.slice(3), ...switchedOff, ...switchedOff];
    const gated = evaluateBitsPerNote(new GatedMixture(new UniformModel(), 8, theta), piece);
    expect(gated.bitsPerNote).toBeCloseTo(entropy.bitsPerNote, 10);
  });

  it('gives distributions that sum to 1 at every token of a real tune, whatever θ', () => {
    const melody = ashover();
    const theta = Array.from({ length: GATE_SIZE }, (_, i) => Math.sin(i) * 2);
    const s = new GatedMixture(new UniformModel(), 12, theta).begin({ timeSignature: melody.timeSignature });
    for (const t of encode(melody).subarray(0, -1)) {
      expect(sum(s.probabilities())).toBeCloseTo(1, 12);
      s.advance(t);
    }
  });

  it('fits θ deterministically and lowers the bits of the rows it is fitted on', () => {
    // the piece memory (expert 1) is right when feature 3 is 1, the long-term model when it is 0
    const features = new Float64Array(2 * GATE_FEATURES);
    features[0] = 1;
    features[3] = 1;
    features[GATE_FEATURES] = 1;
    const rows: GateRows = {
      experts: Float64Array.from([0.1, 0.9, 0.1, 0.1, 0.8, 0.05, 0.05, 0.05]),
      features,
      length: 2,
    };
    const start = gateBits([0, 0.25, -0.25, ...off.slice(3), ...off, ...off], rows);
    const theta = fitGate(rows);
    expect(gateBits(theta, rows)).toBeLessThan(start - 0.5);
    expect(fitGate(rows)).toEqual(theta);
  });

  it('refuses gated settings without a gate of the right size', () => {
    const problem = `memory gate must be ${GATE_SIZE} finite numbers (or ${GATE_SIZE_V1}, from before the part features)`;
    expect(memorySettingsProblem({ order: 8, method: 'gated', b: 0 })).toBe(problem);
    expect(
      memorySettingsProblem({
        order: 8,
        method: 'gated',
        b: 0,
        gate: [...Array<number>(GATE_SIZE - 1).fill(0), Number.NaN],
      }),
    ).toBe(problem);
  });
});

describe('engine/memory: the interval memory and the bar copy', () => {
  const n = (pitch: number, start: number, duration: number) => ({ pitch, start, duration, velocity: 80 });

  it('the interval memory predicts a phrase repeated a tone higher, which the piece memory cannot', () => {
    // C E D F E G, then the same shape from D: D F# E G F# … A, a pitch the piece has not had yet
    const pitches = [60, 64, 62, 65, 64, 67, 62, 66, 64, 67, 66, 69];
    const melody = {
      bpm: 120,
      timeSignature: [4, 4] as [number, number],
      notes: pitches.map((p, i) => n(p, 2 * i, 2)),
    };
    const tokens = encode(melody);
    const beforeA = tokens.length - 3; // the PITCH token of the last note
    expect(tokens[beforeA]).toBe(pitchToken(69));
    const interval = new IntervalMemory(8);
    const memory = new PieceMemoryModel(8).begin({ timeSignature: [4, 4] });
    for (const t of tokens.subarray(0, beforeA)) {
      interval.advance(t);
      memory.advance(t);
    }
    const p = new Float64Array(VOCAB_SIZE);
    interval.distribution(p);
    expect(p[pitchToken(69)]).toBeGreaterThan(0.5);
    expect(sum(p)).toBeCloseTo(1, 12);
    expect(memory.probabilities()[pitchToken(69)]).toBeLessThan(0.01);
  });

  it('the bar copy proposes the note played at the same place one bar earlier, once that lag has proved right', () => {
    // 4/4: bar 1 = C E G C, bar 2 repeats it; at the start of bar 3 the one-bar lag proposes C again
    const bar = [n(60, 0, 4), n(64, 4, 4), n(67, 8, 4), n(72, 12, 4)];
    const melody = {
      bpm: 120,
      timeSignature: [4, 4] as [number, number],
      notes: [...bar, ...bar.map((x) => ({ ...x, start: x.start + 16 }))],
    };
    const copy = new BarCopy(16);
    const tokens = encode(melody);
    for (const t of tokens.subarray(0, -1)) copy.advance(t);
    expect(copy.proposal()).toEqual({ token: tokens[0], run: 8, lag: 1 });
  });

  it('the bar copy proposes nothing in the first bar', () => {
    const copy = new BarCopy(12);
    copy.advance(encode({ bpm: 120, timeSignature: [3, 4], notes: [n(60, 0, 4)] })[0]);
    expect(copy.proposal()).toEqual({ token: -1, run: 0, lag: 0 });
  });
});

describe('engine/memory: a model with piece memory', () => {
  it('scores a real tune (ashover1, which repeats its phrases) far better than the model without memory', () => {
    const piece = [{ name: 'ashover1.mid', melody: ashover() }];
    const alone = evaluateBitsPerNote(new UniformModel(), piece).bitsPerNote;
    const mixed = evaluateBitsPerNote(withPieceMemory(new UniformModel()), piece).bitsPerNote;
    expect(alone).toBeCloseTo(
      (Math.log2(VOCAB_SIZE) * encode(piece[0].melody).length) / piece[0].melody.notes.length,
      10,
    );
    expect(mixed).toBeLessThan(alone / 2);
  });

  it('gives distributions that sum to 1 at every token of a real tune', () => {
    const melody = ashover();
    const s = withPieceMemory(new UniformModel()).begin({ timeSignature: melody.timeSignature });
    for (const t of encode(melody).subarray(0, -1)) {
      expect(sum(s.probabilities())).toBeCloseTo(1, 12);
      s.advance(t);
    }
  });

  it('checks memory settings read from a model file', () => {
    expect(memorySettingsProblem(JSON.parse(JSON.stringify(DEFAULT_MEMORY)))).toBeNull();
    expect(memorySettingsProblem({ ...DEFAULT_MEMORY, method: 'median' })).toBe(
      'memory mixing method median must be arithmetic or gated',
    );
    expect(memorySettingsProblem({ ...DEFAULT_MEMORY, method: 'geometric' })).toBe(
      'memory mixing method geometric must be arithmetic or gated',
    );
    expect(memorySettingsProblem(undefined)).toBe('memory settings are missing');
  });

  it('tunes a learned gate too, whose settings score exactly as reported', () => {
    const melodies = [ashover(), ashover()];
    const t = tuneMemory(new UniformModel(), melodies, { orders: [8], b: [0.25] });
    const pieces = melodies.map((melody, i) => ({ name: `a${i}`, melody }));
    expect(t.gated.settings.method).toBe('gated');
    expect(memorySettingsProblem(JSON.parse(JSON.stringify(t.gated.settings)))).toBeNull();
    expect(
      evaluateBitsPerNote(withPieceMemory(new UniformModel(), t.gated.settings), pieces).bitsPerNote,
    ).toBeCloseTo(t.gated.bitsPerNote, 10);
    expect(t.gated.bitsPerNote).toBeLessThan(t.best.bitsPerNote);
    const better =
      t.gated.crossFittedBitsPerNote < t.best.bitsPerNote
        ? t.gated.settings
        : { order: 8, method: 'arithmetic', b: 0.25 };
    expect(t.recommended.settings).toEqual(better);
  });

  it('tunes its settings on melodies, reporting the winner and the model alone', () => {
    const t = tuneMemory(new UniformModel(), [ashover()], { orders: [4, 8], b: [0, 0.5, 1] });
    expect(t.table.map((r) => [r.order, r.b])).toEqual([
      [4, 0],
      [4, 0.5],
      [4, 1],
      [8, 0],
      [8, 0.5],
      [8, 1],
    ]);
    expect(t.best.bitsPerNote).toBe(Math.min(...t.table.map((r) => r.bitsPerNote)));
    const check = evaluateBitsPerNote(withPieceMemory(new UniformModel(), t.best), [
      { name: 'a', melody: ashover() },
    ]);
    expect(check.bitsPerNote).toBeCloseTo(t.best.bitsPerNote, 10);
    expect(t.longTermBitsPerNote).toBeCloseTo(
      evaluateBitsPerNote(new UniformModel(), [{ name: 'a', melody: ashover() }]).bitsPerNote,
      10,
    );
  });
});
