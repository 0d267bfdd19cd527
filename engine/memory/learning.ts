/**
 * When an in-piece memory may learn what the piece just did.
 *
 * Scoring a tune, every token is the tune's own and is learned at once. Generating, the sampled
 * tokens are the model's own output: a memory that learned them at once finds the bar it is in
 * confirmed by itself, grows surer and makes the next bar the same again. That feedback, not the
 * memories' knowledge of real tunes, made the mechanical loops engine/eval/generation-check.ts
 * counts (a figure of a few notes repeated for bars on end; the LSTM alone never does it). So after
 * `startGenerating` a token is learned only once the piece has moved GENERATED_DELAY_BARS bars past
 * it: the continuation restates the seed at once and a part it made itself a part later, as tunes
 * do, but it never reinforces the part it is in. Scoring never calls `startGenerating`, so bits/note are
 * untouched.
 */
import { DUR_BASE, REST_BASE, tokenKind } from '../tokens/index.js';
import { PART_BARS } from './experts.js';

/**
 * Bars a generated token waits before the memories learn it: a part (PART_BARS). Measured on half
 * of the validation tunes (engine/eval/generation-check.ts, 8 bars continued, 128 continuations at
 * temperature 0.8 / top-p 0.95): loops 34 when learning at once, 2 with a 2-bar wait, 0 from 3 bars
 * on; the continuations restated the seed more often the longer the wait (47 % at 2 bars, 53 % at
 * 4, 64 % at 6 or 8), since the seed's memory is not drowned by the model's own first bars.
 */
export const GENERATED_DELAY_BARS = PART_BARS;

/** The time cursor after reading `token` at `time`. */
export function timeAfter(token: number, time: number): number {
  const kind = tokenKind(token);
  return kind === 'rest' ? time + token - REST_BASE : kind === 'duration' ? time + token - DUR_BASE : time;
}

export class LearningClock {
  /** Time cursor (steps) after the tokens read. */
  time = 0;
  /** Step from which the piece is the model's own output, or −1 while it is the user's. */
  generatedFrom = -1;
  private ends: Int32Array;
  private length = 0;
  private learned = 0;

  constructor(
    readonly bar: number,
    from?: LearningClock,
  ) {
    this.ends = from ? from.ends.slice() : new Int32Array(256);
    if (from) {
      this.time = from.time;
      this.generatedFrom = from.generatedFrom;
      this.length = from.length;
      this.learned = from.learned;
    }
  }

  clone(): LearningClock {
    return new LearningClock(this.bar, this);
  }

  get delaySteps(): number {
    return GENERATED_DELAY_BARS * this.bar;
  }

  /** What is read from now on is generated. */
  startGenerating(): void {
    if (this.generatedFrom < 0) this.generatedFrom = this.time;
  }

  /** Reads one token and calls `learn(j)` for each token position j that may be learned now, in order. */
  advance(token: number, learn: (position: number) => void): void {
    this.time = timeAfter(token, this.time);
    if (this.length === this.ends.length) {
      const g = new Int32Array(this.ends.length * 2);
      g.set(this.ends);
      this.ends = g;
    }
    this.ends[this.length++] = this.time;
    const ripe = this.generatedFrom < 0 ? Infinity : this.time - this.delaySteps;
    while (this.learned < this.length && (this.ends[this.learned] <= ripe || ripe === Infinity))
      learn(this.learned++);
  }
}
