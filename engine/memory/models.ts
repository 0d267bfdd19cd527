/**
 * Count-based token models behind the TokenModel interface:
 *  - NGramModel: a corpus ("long-term") model, PPM-C counts over many pieces; the stand-in long-term
 *    model used to develop the mixture before an LSTM existed, and the Markov reference.
 *  - PieceMemoryModel: the in-piece ("short-term") model of IDyOM: PPM-C counts of the piece read so
 *    far, starting empty for every piece and updated after every token. It knows nothing at the start
 *    of a piece and becomes sharp once the tune repeats itself, which folk tunes do constantly.
 */
import type { Melody } from '../midi/types.js';
import { VOCAB_SIZE, encode, type PieceContext, type TokenModel, type TokenStream } from '../tokens/index.js';
import { PIECE_CAPACITY, PpmCounts } from './ppm.js';

/** A growable token history shared by the count models' streams and the gate's expert panel. */
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

export interface NGramTraining {
  /** Longest context in tokens. */
  maxOrder: number;
  /** Semitone shifts applied to every training piece (0 = as is); shifts leaving 0..127 are dropped. */
  transpositions?: readonly number[];
}

export class NGramModel implements TokenModel {
  readonly vocabSize = VOCAB_SIZE;
  readonly name: string;

  /** `order` ≤ counts.maxOrder: the context length used when predicting. */
  constructor(
    readonly counts: PpmCounts,
    readonly order: number,
  ) {
    this.name = `ppm-c order ${order}`;
  }

  static train(melodies: readonly Melody[], training: NGramTraining): PpmCounts {
    const counts = new PpmCounts(VOCAB_SIZE, training.maxOrder, 1 << 16);
    for (const m of melodies) {
      for (const shift of training.transpositions ?? [0]) {
        if (m.notes.some((n) => n.pitch + shift < 0 || n.pitch + shift > 127)) continue;
        counts.addSequence(encode({ ...m, notes: m.notes.map((n) => ({ ...n, pitch: n.pitch + shift })) }));
      }
    }
    return counts;
  }

  begin(_context: PieceContext): TokenStream {
    return new NGramStream(this.counts, this.order, new History());
  }
}

class NGramStream implements TokenStream {
  private readonly probs = new Float64Array(VOCAB_SIZE);
  private fresh = false;

  constructor(
    private readonly counts: PpmCounts,
    private readonly order: number,
    private readonly history: History,
  ) {}

  probabilities(): Float64Array {
    if (!this.fresh) {
      this.counts.distribution(this.history.tokens, this.history.length, this.probs, this.order);
      this.fresh = true;
    }
    return this.probs;
  }

  advance(token: number): void {
    this.history.push(token);
    this.fresh = false;
  }

  clone(): TokenStream {
    return new NGramStream(this.counts, this.order, this.history.clone());
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

  begin(_context: PieceContext): TokenStream {
    return new PieceMemoryStream(new PpmCounts(VOCAB_SIZE, this.order, PIECE_CAPACITY), new History());
  }
}

class PieceMemoryStream implements TokenStream {
  private readonly probs = new Float64Array(VOCAB_SIZE);
  private fresh = false;

  constructor(
    private readonly counts: PpmCounts,
    private readonly history: History,
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
    this.counts.add(this.history.tokens, this.history.length - 1);
    this.fresh = false;
  }

  clone(): TokenStream {
    return new PieceMemoryStream(this.counts.clone(), this.history.clone());
  }
}
