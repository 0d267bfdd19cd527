/**
 * Novelty: one number from 0 ("develop the seed's motifs") to 1 ("new ideas") that sets how much
 * the in-piece memories weigh against the long-term model (the LSTM). 0.5 is the mixture as it was
 * fitted on real tunes; each step of NOVELTY_SCALE · ln((1 − ν) / ν) moves the memories' log-odds:
 *
 *   novelty   0      0.1     0.25    0.5    0.75    0.9     1
 *   bias      +∞     +6.6    +3.3    0      −3.3    −6.6    −∞       (added to the memories' logits)
 *             memories alone (they still escape to the LSTM)   ·   LSTM alone
 *
 * A model file may store its own default (`memory.novelty`); without one it is 0.5.
 */
export const DEFAULT_NOVELTY = 0.5;
export const NOVELTY_SCALE = 1.5;

/** The bias on the memories' logits (or log-weights) for a novelty in [0, 1]. */
export function noveltyBias(novelty: number): number {
  if (novelty <= 0) return Infinity;
  if (novelty >= 1) return -Infinity;
  return NOVELTY_SCALE * Math.log((1 - novelty) / novelty);
}

/** One line saying what is wrong with a novelty, or null. */
export function noveltyProblem(novelty: unknown): string | null {
  return typeof novelty === 'number' && novelty >= 0 && novelty <= 1
    ? null
    : `novelty ${String(novelty)} must be a number from 0 (develop the seed's motifs) to 1 (new ideas)`;
}
