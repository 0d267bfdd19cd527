/**
 * The in-piece ("short-term") model of IDyOM behind the TokenModel interface: PPM-C counts of the
 * piece read so far, starting empty for every piece and updated after every token. It knows nothing
 * at the start of a piece and becomes sharp once the tune repeats itself, which folk tunes do
 * constantly. (The corpus n-gram that stood in for the LSTM while the mixture was developed is
 * gone; studies/memory-study.ts keeps its own copy.)
 */
import type { GenerationAware } from '../sample/generating.js';
import {
  VOCAB_SIZE,
  barSteps,
  type PieceContext,
  type TokenModel,
  type TokenStream,
} from '../tokens/index.js';
import { LearningClock } from './learning.js';
import { PIECE_CAPACITY, PpmCounts } from './ppm.js';

/** A growable token history shared by the piece memory's streams and the gate's expert panel. */
export class History {
  constructor(
    public tokens = new Int32Array(256),
    public length = 0,
  ) {}

  push(t: number): void {
    if (this.length === this.tokens.length) {
      const g = new Int32Array(this.tokens.length * 2);
      g.set(this.tokens);
      this.tokens = g;
    }
    this.tokens[this.length++] = t;
  }

  clone(): History {
    return new History(this.tokens.slice(), this.length);
  }
}

export class PieceMemoryModel implements TokenModel {
  readonly vocabSize = VOCAB_SIZE;
  readonly name: string;

  constructor(readonly order: number) {
    if (!Number.isInteger(order) || order < 0 || order > 64)
      throw new RangeError(`piece memory order ${order} must be 0..64`);
    this.name = `piece memory ppm-c order ${order}`;
  }

  begin(context: PieceContext): TokenStream {
    return new PieceMemoryStream(
      new PpmCounts(VOCAB_SIZE, this.order, PIECE_CAPACITY),
      new History(),
      new LearningClock(barSteps(context.timeSignature)),
    );
  }
}

class PieceMemoryStream implements TokenStream, GenerationAware {
  private readonly probs = new Float64Array(VOCAB_SIZE);
  private fresh = false;
  private readonly learn = (position: number): void => this.counts.add(this.history.tokens, position);

  constructor(
    private readonly counts: PpmCounts,
    private readonly history: History,
    private readonly clock: LearningClock,
  ) {}

  probabilities(): Float64Array {
    if (!this.fresh) {
      this.counts.distribution(this.history.tokens, this.history.length, this.probs);
      this.fresh = true;
    }
    return this.probs;
  }

  advance(token: number): void {
    this.history.push(token);
    this.clock.advance(token, this.learn);
    this.fresh = false;
  }

  /** Generated tokens are learned a part later (./learning.ts). */
  startGenerating(): void {
    this.clock.startGenerating();
  }

  clone(): TokenStream {
    return new PieceMemoryStream(this.counts.clone(), this.history.clone(), this.clock.clone());
  }
}
