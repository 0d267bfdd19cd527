/**
 * The scoring interface every melody model speaks (the LSTM, the in-piece memory model, their
 * mixture, the n-gram stand-in, test fakes): "what is the next-token distribution given what has been
 * read; read one more token". Evaluation (bits/note) and sampling are written against it only.
 *
 * A stream reads one piece from its start: the first `probabilities()` call is the distribution of
 * the piece's first token (its leading REST or first PITCH). Streams are stateful and cheap to
 * clone, so a sampler can branch (variations) without re-reading the prefix.
 */
export interface PieceContext {
  /** The piece's time signature; models with a position-in-bar input derive bar positions from it. */
  timeSignature: [number, number];
  /**
   * How much a model with an in-piece memory leans on it: 0 develops the piece's own motifs, 1 is
   * the long-term model alone (engine/memory/novelty.ts). Unset: the model's own setting.
   */
  novelty?: number;
}

export interface TokenModel {
  /** Short description for reports, e.g. `lstm 2x512 + memory (entropy mix b=2)`. */
  readonly name: string;
  /** Size of the token vocabulary (engine/tokens VOCAB_SIZE for every model of this engine). */
  readonly vocabSize: number;
  /** A stream positioned before the first token of a new piece. */
  begin(context: PieceContext): TokenStream;
}

export interface TokenStream {
  /**
   * Probability of each token being the next one: length `vocabSize`, non-negative, sums to 1.
   * The array belongs to the stream and is only valid until the next `advance`; callers must not
   * modify it (copy it if it is to be kept).
   */
  probabilities(): Float64Array;
  /** Reads `token` as the next token of the piece. */
  advance(token: number): void;
  /** An independent stream in the same state. */
  clone(): TokenStream;
}
