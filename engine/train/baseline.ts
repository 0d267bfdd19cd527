/**
 * The note-frequency baseline: every token predicted from how often it occurs in the training
 * melodies, with no context at all (add-one smoothing over the vocabulary). Scored like the LSTM —
 * each validation melody from its start (leading rest, notes, END) in bits per note — it is the
 * level of chance a trained model has to beat before it has learned anything about melodies, so
 * early stopping waits for it (./trainer.ts) and the app draws it as a reference line.
 */
import type { Melody } from '../midi/types.js';
import { VOCAB_SIZE, countNotes, encode } from '../tokens/index.js';

/** Bits per note of the token-frequency model of `train` over `validation` (NaN without notes). */
export function noteFrequencyBitsPerNote(train: readonly Melody[], validation: readonly Melody[]): number {
  const counts = new Float64Array(VOCAB_SIZE).fill(1);
  let total = VOCAB_SIZE;
  for (const m of train)
    for (const t of encode(m)) {
      counts[t]++;
      total++;
    }
  let bits = 0;
  let notes = 0;
  for (const m of validation) {
    const tokens = encode(m);
    notes += countNotes(tokens);
    for (const t of tokens) bits -= Math.log2(counts[t] / total);
  }
  return notes > 0 ? bits / notes : NaN;
}
