/**
 * Lockstep lanes: n independent copies of a stream that a sampler advances together, one token per
 * lane per round, then reads all their distributions. A model that can do the arithmetic of all
 * lanes at once (the LSTM: one batch step instead of n batch-1 steps) offers `forkLanes`; mixtures
 * pass it on to their parts. Every lane is a complete TokenStream: a caller that advances lanes one
 * at a time, or clones them, gets the right distributions, only without the saving.
 *
 * Protocol for the saving: advance every lane that continues, then read probabilities. A model may
 * defer a lane's arithmetic from `advance` to the first `probabilities` call of any lane.
 */
import type { TokenStream } from '../tokens/index.js';

export interface LaneForking {
  /** `count` independent streams in this stream's state, cheapest when stepped in lockstep. */
  forkLanes(count: number): TokenStream[];
}

function canFork(stream: TokenStream): stream is TokenStream & LaneForking {
  return typeof (stream as Partial<LaneForking>).forkLanes === 'function';
}

/** `count` lanes from `stream`: its own forkLanes when it has one, else `count` clones. */
export function forkLanes(stream: TokenStream, count: number): TokenStream[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`lane count ${count} must be a whole number ≥ 1`);
  if (canFork(stream)) return stream.forkLanes(count);
  return Array.from({ length: count }, () => stream.clone());
}
