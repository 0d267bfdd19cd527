/**
 * The batch stream's random numbers: the engine's one generator (engine/sample/rng.ts) seeded the way
 * the sfc32 reference expands a 32-bit seed (three fixed words, the seed, 15 numbers of warm-up). The
 * default model's recipe was trained with this derivation; changing it changes its weights.
 */
import { Rng } from '../sample/rng.js';

export function trainingRng(seed: number): Rng {
  const rng = Rng.fromState([0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0]);
  rng.discard(15);
  return rng;
}
