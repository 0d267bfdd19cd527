import { describe, expect, it } from 'vitest';
import { generate, generateOptionsProblem } from '../../../engine/sample/index.js';
import type { PieceContext, TokenModel, TokenStream } from '../../../engine/tokens/index.js';
import { VOCAB_SIZE } from '../../../engine/tokens/index.js';

/** Uniform, and records what the sampler told it: the context and when generation started. */
class RecordingModel implements TokenModel {
  readonly name = 'recording';
  readonly vocabSize = VOCAB_SIZE;
  contexts: PieceContext[] = [];
  startedAfter: number[] = [];

  begin(context: PieceContext): TokenStream {
    this.contexts.push(context);
    const probs = new Float64Array(VOCAB_SIZE).fill(1 / VOCAB_SIZE);
    const make = (read: number): TokenStream & { startGenerating(): void } => ({
      probabilities: () => probs,
      advance: () => void (read += 1),
      clone: () => make(read),
      startGenerating: () => void this.startedAfter.push(read),
    });
    return make(0);
  }
}

const seed = {
  bpm: 120,
  timeSignature: [4, 4] as [number, number],
  notes: [
    { pitch: 60, start: 0, duration: 4, velocity: 80 },
    { pitch: 62, start: 4, duration: 4, velocity: 80 },
  ],
};

describe('generate: what the model is told', () => {
  it('says once, after the seed and before the first draw, that what follows is generated', () => {
    const model = new RecordingModel();
    generate(model, seed, { bars: 1, variations: 3, randomSeed: 1 });
    expect(model.startedAfter).toEqual([4]); // PITCH DUR PITCH DUR of the seed
  });

  it('passes the novelty asked for in the piece context, and none when it is not asked for', () => {
    const model = new RecordingModel();
    generate(model, seed, { bars: 1, novelty: 0.2 });
    generate(model, seed, { bars: 1 });
    expect(model.contexts).toEqual([{ timeSignature: [4, 4], novelty: 0.2 }, { timeSignature: [4, 4] }]);
  });

  it('refuses a novelty outside 0..1', () => {
    expect(generateOptionsProblem({ bars: 1, novelty: 2 })).toBe(
      "novelty 2 must be a number from 0 (develop the seed's motifs) to 1 (new ideas)",
    );
  });
});
