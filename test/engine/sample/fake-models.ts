/**
 * Tiny deterministic models behind the TokenModel interface, for sampling and evaluation tests.
 */
import {
  VOCAB_SIZE,
  type PieceContext,
  type TokenModel,
  type TokenStream,
} from '../../../engine/tokens/index.js';

/** Every token equally likely whatever was read; remembers what each stream read. */
export class UniformModel implements TokenModel {
  readonly name = 'uniform';
  readonly vocabSize = VOCAB_SIZE;
  readonly streams: { context: PieceContext; read: number[] }[] = [];

  begin(context: PieceContext): TokenStream {
    const record = { context, read: [] as number[] };
    this.streams.push(record);
    const probs = new Float64Array(VOCAB_SIZE).fill(1 / VOCAB_SIZE);
    const make = (read: number[]): TokenStream => ({
      probabilities: () => probs,
      advance: (t: number) => void read.push(t),
      clone: () => {
        const copy = { context, read: [...read] };
        this.streams.push(copy);
        return make(copy.read);
      },
    });
    return make(record.read);
  }
}

/** The same fixed distribution at every step (weights by token id; the rest share `floor`). */
export class FixedModel implements TokenModel {
  readonly name = 'fixed';
  readonly vocabSize = VOCAB_SIZE;
  private readonly probs: Float64Array;

  constructor(weights: Record<number, number>, floor = 1e-6) {
    const p = new Float64Array(VOCAB_SIZE).fill(floor);
    for (const [t, w] of Object.entries(weights)) p[Number(t)] = w;
    const sum = p.reduce((a, b) => a + b, 0);
    this.probs = p.map((x) => x / sum);
  }

  begin(): TokenStream {
    const stream: TokenStream = { probabilities: () => this.probs, advance: () => {}, clone: () => stream };
    return stream;
  }
}
