/**
 * How a melody is fed to the LSTM. The tokens (engine/tokens) have no start token, so the network
 * reads END as "start of piece": END never occurs inside a piece, so the two meanings cannot clash.
 * The second input is the position in the bar of the token about to be predicted.
 *
 *   melody tokens   t0 t1 … t(n-1)          (t(n-1) = END)
 *   inputs          END t0 … t(n-2)
 *   conditions      p0  p1 … p(n-1)          pi = positionsInBar(tokens)[i], the bar position before ti
 *   targets         t0  t1 … t(n-1)
 *
 * Training (engine/train), evaluation and generation (the LSTM token model) all use this one
 * convention, so a model is always read the way it was trained.
 */
import type { Melody } from '../midi/types.js';
import { END, POSITION_CLASSES, VOCAB_SIZE, encode, positionsInBar } from '../tokens/index.js';

export const START_INPUT = END;
export const CONDITION_CLASSES = POSITION_CLASSES;

/** `tokens` = [START_INPUT, t0 … t(n-1)]; `conditions[i]` goes with reading tokens[i]. */
export function lstmSequence(melody: Melody): { tokens: Int32Array; conditions: Int32Array } {
  const body = encode(melody);
  const positions = positionsInBar(body, melody.timeSignature);
  const tokens = new Int32Array(body.length + 1);
  tokens[0] = START_INPUT;
  tokens.set(body, 1);
  const conditions = new Int32Array(body.length + 1);
  conditions.set(positions, 0);
  return { tokens, conditions };
}

export const LSTM_VOCAB_SIZE = VOCAB_SIZE;
