/**
 * Generation in rounds, for a worker that streams variations to the window and may be told to stop:
 * the variations are made `roundSize` at a time (each round one lockstep `generate` call), every
 * round's variations are handed over as soon as they exist, and between rounds the event loop gets a
 * turn, so a cancel message (an AbortSignal) is seen within one round.
 *
 * Variation i is the same as in one `generate` call for all of them: it draws from
 * Rng(randomSeed, i) whichever round makes it (engine/sample/generate.ts). Each round reads the seed
 * again; that costs one LSTM step per seed token, small beside the round's sampling.
 */
import type { Melody } from '../midi/types.js';
import type { TokenModel } from '../tokens/index.js';
import { generate, generateOptionsProblem, type GenerateOptions, type Variation } from './generate.js';

export interface RoundOptions {
  /** Variations per round (default 4). */
  roundSize?: number;
  /** Stops before the next round when aborted; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Each round's variations, in index order, as soon as the round is done. */
  onRound?: (variations: Variation[], done: number, total: number) => void;
}

const nextTurn = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('generation was cancelled', 'AbortError');
}

/** All `options.variations` variations, made in rounds (see the module comment). */
export async function generateInRounds(
  model: TokenModel,
  seed: Melody | null,
  options: GenerateOptions,
  rounds: RoundOptions = {},
): Promise<Variation[]> {
  const problem = generateOptionsProblem(options);
  if (problem !== null) throw new RangeError(problem);
  const size = rounds.roundSize ?? 4;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`round size ${size} must be a whole number ≥ 1`);
  const total = options.variations ?? 1;
  const first = options.firstVariation ?? 0;
  const all: Variation[] = [];
  for (let done = 0; done < total; done += size) {
    if (rounds.signal?.aborted) throw abortReason(rounds.signal);
    const round = generate(model, seed, {
      ...options,
      variations: Math.min(size, total - done),
      firstVariation: first + done,
    });
    all.push(...round);
    rounds.onRound?.(round, all.length, total);
    if (all.length < total) await nextTurn();
  }
  return all;
}
