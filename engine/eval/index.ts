/**
 * Bits per note: how surprised a model is by melodies, per note (lower is better).
 *
 *   bits/note = Σ_pieces Σ_tokens −log2 p(token | the piece's earlier tokens)  /  Σ_pieces notes
 *
 * The model reads each piece from its start to its end through the TokenModel interface (a fresh
 * stream per piece, so nothing carries over between pieces); every token counts: the leading rest,
 * each note's rest, pitch and duration tokens, and END. Because the token encoding is lossless, this
 * is the cost of the whole melody (up to velocity and tempo), comparable with any other lossless
 * encoding of the same notes (../shared/bench/markov-baseline reports the same quantity).
 * Pieces without notes are skipped (they have no notes to divide by) and counted in `skipped`.
 */
import type { Melody } from '../midi/types.js';
import { END, countNotes, encode, tokenName, type TokenModel } from '../tokens/index.js';

export interface EvalPiece {
  name: string;
  melody: Melody;
}

export interface PieceScore {
  name: string;
  notes: number;
  tokens: number;
  bits: number;
}

export interface EvalResult {
  bitsPerNote: number;
  notes: number;
  /** Pieces scored (with at least one note). */
  pieces: number;
  skipped: number;
  totalBits: number;
  perPiece: PieceScore[];
}

/** −log2 p of every token of one piece, read from its start. Throws if the model gives a token p = 0. */
export function tokenBits(
  model: TokenModel,
  tokens: Int32Array,
  timeSignature: [number, number],
  name = 'piece',
): Float64Array {
  const stream = model.begin({ timeSignature });
  const bits = new Float64Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const p = stream.probabilities()[tokens[i]];
    if (!(p > 0)) {
      throw new RangeError(
        `${name}: ${model.name} gives ${tokenName(tokens[i])} (token ${i}) probability ${p}, so bits/note would be infinite`,
      );
    }
    bits[i] = -Math.log2(p);
    if (tokens[i] !== END) stream.advance(tokens[i]);
  }
  return bits;
}

/** Bits per note of `model` on `pieces` (see the module comment). */
export function evaluateBitsPerNote(
  model: TokenModel,
  pieces: readonly EvalPiece[],
  onPiece?: (done: number, total: number) => void,
): EvalResult {
  const perPiece: PieceScore[] = [];
  let skipped = 0;
  let totalBits = 0;
  let notes = 0;
  pieces.forEach((piece, k) => {
    let tokens: Int32Array;
    try {
      tokens = encode(piece.melody);
    } catch (e) {
      throw new RangeError(`${piece.name}: ${(e as Error).message}`, { cause: e });
    }
    const n = countNotes(tokens);
    if (n === 0) {
      skipped++;
    } else {
      const bits = tokenBits(model, tokens, piece.melody.timeSignature, piece.name).reduce(
        (a, b) => a + b,
        0,
      );
      perPiece.push({ name: piece.name, notes: n, tokens: tokens.length, bits });
      totalBits += bits;
      notes += n;
    }
    onPiece?.(k + 1, pieces.length);
  });
  return {
    bitsPerNote: notes > 0 ? totalBits / notes : NaN,
    notes,
    pieces: perPiece.length,
    skipped,
    totalBits,
    perPiece,
  };
}

export {
  isValidationFile,
  splitByFile,
  splitOffsetOf,
  fnv1a32,
  DEFAULT_VALIDATION_FRACTION,
} from './split.js';
export {
  analyseMelody,
  nextNoteAt,
  type MelodyAnalysis,
  type NextNote,
  type NoteSurprise,
} from './analysis.js';
