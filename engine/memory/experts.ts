/**
 * Two more short-term "experts" on the piece so far, used by the learned gate (./gate.ts):
 *
 *  - IntervalMemory: the piece memory over a transposition-invariant alphabet, in which each PITCH
 *    token is replaced by its interval from the previous pitch. It recognises a phrase repeated a
 *    step higher (a melodic sequence), which the plain piece memory cannot.
 *  - BarCopy: "this bar goes like the bar 1, 2, 4, 8 or 16 bars ago": at each token it looks at what
 *    happened at the same place that many bars earlier and proposes the same token, using the lag
 *    that has been right for the most tokens in a row. Folk tunes repeat whole sections (AABB), so
 *    the copy knows the first note of a repeat before any context has matched; in the first bar of
 *    an 8-bar part it proposes the restatement of the part before (lag 8) until another lag is right.
 *    While generating, a part the plan (./form.ts) restates copies only the part before (lag 8).
 */
import {
  DUR_BASE,
  MAX_DURATION,
  MAX_REST,
  PITCH_BASE,
  REST_BASE,
  VOCAB_SIZE,
  tokenKind,
} from '../tokens/index.js';
import { RESTATE_FROM_BAR, partUniform, rateOfPart } from './form.js';
import { PIECE_CAPACITY, PpmCounts } from './ppm.js';

/** Interval of a pitch from the previous one, as a token of the interval alphabet. */
const INTERVAL_ZERO = PITCH_BASE + 64; // interval 0; the alphabet covers −64..+63
const FIRST_REFERENCE = 60; // the first pitch of a piece is taken relative to middle C

function grow(a: Int32Array, n: number): Int32Array {
  if (n <= a.length) return a;
  const g = new Int32Array(Math.max(n, a.length * 2));
  g.set(a);
  return g;
}

export class IntervalMemory {
  private counts: PpmCounts;
  private seq: Int32Array;
  private length: number;
  private previousPitch: number;
  private readonly intervals = new Float64Array(VOCAB_SIZE);
  private readonly baseIntervals = new Float64Array(VOCAB_SIZE);

  constructor(
    readonly order: number,
    from?: IntervalMemory,
  ) {
    this.counts = from ? from.counts.clone() : new PpmCounts(VOCAB_SIZE, order, PIECE_CAPACITY);
    this.seq = from ? from.seq.slice() : new Int32Array(256);
    this.length = from ? from.length : 0;
    this.previousPitch = from ? from.previousPitch : FIRST_REFERENCE;
  }

  clone(): IntervalMemory {
    return new IntervalMemory(this.order, this);
  }

  /**
   * Writes the next-token distribution in the ordinary alphabet into `out` and returns the relative
   * entropy of the interval distribution it came from. Intervals that would leave 0..127 are dropped
   * and the rest renormalised. What escapes every order goes to `base` (a distribution in the
   * ordinary alphabet, e.g. the long-term model's) when given, else uniformly to every interval.
   */
  distribution(out: Float64Array, base?: ArrayLike<number>): number {
    let intervalBase: Float64Array | undefined;
    if (base) {
      intervalBase = this.baseIntervals;
      for (let t = 0; t < VOCAB_SIZE; t++) {
        if (t >= PITCH_BASE && t < PITCH_BASE + 128) {
          const pitch = this.previousPitch + t - INTERVAL_ZERO;
          intervalBase[t] = pitch >= 0 && pitch < 128 ? base[PITCH_BASE + pitch] : 0;
        } else intervalBase[t] = base[t];
      }
    }
    const p = this.counts.distribution(this.seq, this.length, this.intervals, intervalBase);
    let h = 0;
    for (let i = 0; i < VOCAB_SIZE; i++) {
      const x = p[i];
      if (x > 0) h -= x * Math.log(x);
    }
    out.fill(0);
    let sum = 0;
    for (let t = 0; t < VOCAB_SIZE; t++) {
      if (t >= PITCH_BASE && t < PITCH_BASE + 128) {
        const iv = t - PITCH_BASE - this.previousPitch;
        out[t] = iv >= -64 && iv <= 63 ? p[INTERVAL_ZERO + iv] : 0;
      } else out[t] = p[t];
      sum += out[t];
    }
    for (let t = 0; t < VOCAB_SIZE; t++) out[t] /= sum;
    return Math.max(h / Math.log(VOCAB_SIZE), 1e-12);
  }

  /** Length of the longest interval context matched earlier in the piece. */
  matchedOrder(): number {
    return this.counts.matchedOrder(this.seq, this.length);
  }

  /** Reads `token` and learns it at once. */
  advance(token: number): void {
    this.read(token);
    this.learn(this.length - 1);
  }

  /** Reads `token` as context without learning it (see ./learning.ts). */
  read(token: number): void {
    let symbol = token;
    if (tokenKind(token) === 'pitch') {
      const pitch = token - PITCH_BASE;
      symbol = INTERVAL_ZERO + Math.max(-64, Math.min(63, pitch - this.previousPitch));
      this.previousPitch = pitch;
    }
    this.seq = grow(this.seq, this.length + 1);
    this.seq[this.length++] = symbol;
  }

  /** Counts the token read at `position` after its context. */
  learn(position: number): void {
    this.counts.add(this.seq, position);
  }
}

export const COPY_LAGS_IN_BARS = [1, 2, 4, 8, 16] as const;
/** Bars of a part of a folk tune: most are 8 bars long, played twice (AABB). */
export const PART_BARS = 8;
export const COPY_MAX_RUN = 24;
const PART_LAG = COPY_LAGS_IN_BARS.indexOf(PART_BARS);

/** What happened at each step of the piece: a note onset (pitch, duration so far) or a rest start. */
const NONE = 0;
const NOTE = 1;
const REST = 2;

export class BarCopy {
  private kind: Int32Array;
  private value: Int32Array; // pitch of a note, 0 for a rest
  private span: Int32Array; // duration of the note / length of the rest, in steps
  private time = 0;
  private lastKind: 'start' | 'rest' | 'pitch' | 'duration' | 'end' = 'start';
  private eventStart = -1;
  /** Step from which the piece is generated (−1: none) and how old generated material must be to copy. */
  private generatedFrom = -1;
  private delay = 0;
  /** The part plan (./form.ts): its seed (−1: none) and each pair's probability that its second part restates. */
  private planSeed = -1;
  private restateChances: readonly number[] = [];
  private readonly runs: Int32Array;
  private readonly proposals: Int32Array;

  constructor(
    private readonly bar: number,
    from?: BarCopy,
  ) {
    this.kind = from ? from.kind.slice() : new Int32Array(256);
    this.value = from ? from.value.slice() : new Int32Array(256);
    this.span = from ? from.span.slice() : new Int32Array(256);
    this.runs = from ? from.runs.slice() : new Int32Array(COPY_LAGS_IN_BARS.length);
    this.proposals = from ? from.proposals.slice() : new Int32Array(COPY_LAGS_IN_BARS.length).fill(-1);
    if (from) {
      this.time = from.time;
      this.lastKind = from.lastKind;
      this.eventStart = from.eventStart;
      this.generatedFrom = from.generatedFrom;
      this.delay = from.delay;
      this.planSeed = from.planSeed;
      this.restateChances = from.restateChances;
    } else this.propose();
  }

  clone(): BarCopy {
    return new BarCopy(this.bar, this);
  }

  /**
   * The proposed next token (−1 when no lag has one), the run of the lag proposing it and that lag in
   * bars (0 when none). The longest run wins; on a tie the shortest lag, except in the first bar of
   * an 8-bar part (bar 9, 17, …), where folk tunes restate their parts: there the part's lag (8 bars).
   */
  proposal(): { token: number; run: number; lag: number } {
    if (this.restating()) {
      const token = this.proposals[PART_LAG];
      return token < 0 ? { token: -1, run: 0, lag: 0 } : { token, run: this.runs[PART_LAG], lag: PART_BARS };
    }
    const partStart = this.atPartStart();
    let best = -1;
    for (let l = 0; l < COPY_LAGS_IN_BARS.length; l++) {
      if (this.proposals[l] < 0) continue;
      const better =
        best < 0 ||
        this.runs[l] > this.runs[best] ||
        (partStart && this.runs[l] === this.runs[best] && COPY_LAGS_IN_BARS[l] === PART_BARS);
      if (better) best = l;
    }
    return best < 0
      ? { token: -1, run: 0, lag: 0 }
      : { token: this.proposals[best], run: this.runs[best], lag: COPY_LAGS_IN_BARS[best] };
  }

  /** Where the next token belongs: the start of its note or rest (a duration's is its pitch's). */
  private nextStep(): number {
    return this.lastKind === 'pitch' ? this.eventStart : this.time;
  }

  /** Whether the next token belongs to the first bar of an 8-bar part after the first part. */
  atPartStart(): boolean {
    const barIndex = Math.floor(this.nextStep() / this.bar);
    return barIndex >= PART_BARS && barIndex % PART_BARS === 0;
  }

  /**
   * Plans the form of what is generated (./form.ts): each odd part of the 8-bar grid that starts at
   * or after the generation's start restates the part before with its pair's probability of
   * `restateChances` (the last for all later pairs), decided by `seed` (a uint32).
   */
  planParts(seed: number, restateChances: readonly number[]): void {
    this.planSeed = seed >>> 0;
    this.restateChances = restateChances.slice();
  }

  /** Whether the next token is generated in a part the plan restates, from its bar RESTATE_FROM_BAR on. */
  restating(): boolean {
    if (this.planSeed < 0 || this.generatedFrom < 0) return false;
    const barIndex = Math.floor(this.nextStep() / this.bar);
    const part = Math.floor(barIndex / PART_BARS);
    if (part % 2 !== 1 || part * this.bar * PART_BARS < this.generatedFrom) return false;
    if (barIndex % PART_BARS < RESTATE_FROM_BAR) return false;
    return partUniform(this.planSeed, part) < rateOfPart(this.restateChances, part);
  }

  /** From now on the piece is generated: its own bars are copied only once `delay` steps old. */
  startGenerating(delay: number): void {
    if (this.generatedFrom >= 0) return;
    this.generatedFrom = this.time;
    this.delay = delay;
    this.propose();
  }

  private eventAt(step: number): number {
    if (this.generatedFrom >= 0 && step >= this.generatedFrom && step > this.time - this.delay) return NONE;
    return step >= 0 && step < this.kind.length ? this.kind[step] : NONE;
  }

  private propose(): void {
    COPY_LAGS_IN_BARS.forEach((lagBars, l) => {
      const lag = lagBars * this.bar;
      let token = -1;
      if (this.lastKind === 'pitch') {
        const src = this.eventStart - lag;
        if (this.eventAt(src) === NOTE) token = DUR_BASE + Math.min(this.span[src], MAX_DURATION);
      } else if (this.lastKind !== 'end') {
        const src = this.time - lag;
        const k = this.eventAt(src);
        if (k === NOTE) token = PITCH_BASE + this.value[src];
        else if (k === REST && this.lastKind !== 'rest')
          token = REST_BASE + Math.min(this.span[src], MAX_REST);
      }
      this.proposals[l] = token;
    });
  }

  private ensure(step: number): void {
    if (step < this.kind.length) return;
    const n = Math.max(step + 1, this.kind.length * 2);
    for (const key of ['kind', 'value', 'span'] as const) {
      const g = new Int32Array(n);
      g.set(this[key]);
      this[key] = g;
    }
  }

  advance(token: number): void {
    for (let l = 0; l < COPY_LAGS_IN_BARS.length; l++) {
      if (this.proposals[l] >= 0)
        this.runs[l] = this.proposals[l] === token ? Math.min(this.runs[l] + 1, COPY_MAX_RUN) : 0;
    }
    const kind = tokenKind(token);
    if (kind === 'rest') {
      if (this.lastKind !== 'rest') {
        this.eventStart = this.time;
        this.ensure(this.time);
        this.kind[this.time] = REST;
        this.value[this.time] = 0;
        this.span[this.time] = 0;
      }
      this.span[this.eventStart] += token - REST_BASE;
      this.time += token - REST_BASE;
    } else if (kind === 'pitch') {
      this.eventStart = this.time;
      this.ensure(this.time);
      this.kind[this.time] = NOTE;
      this.value[this.time] = token - PITCH_BASE;
      this.span[this.time] = 0;
    } else if (kind === 'duration') {
      this.span[this.eventStart] += token - DUR_BASE;
      this.time += token - DUR_BASE;
    }
    this.lastKind = kind;
    this.propose();
  }
}

/** Longest figure, in tokens, that `TailLoop` watches: 8 notes of one token each for pitch and duration. */
export const TAIL_MAX_PERIOD = 16;
/**
 * Tokens of back-to-back repetition after which the memories stop proposing more of it: about 20
 * notes. None of the 4,148 eight-bar stretches of the 879 corpus tunes repeats a figure of ≤ 8 notes
 * over 24 notes (engine/eval/generation-check.ts's loop), so no real tune needs the memories there.
 */
export const TAIL_LOOP_TOKENS = 40;

/**
 * Watches whether the piece ends in a figure (a period of at most TAIL_MAX_PERIOD tokens) played
 * back to back for TAIL_LOOP_TOKENS tokens or more, and which token would go on with it. A memory
 * knows the figure from the piece and proposes it again with confidence; it cannot know that tunes
 * move on, which the long-term model does: the memories leave that token to it.
 */
export class TailLoop {
  private runs: Int32Array; // runs[p]: trailing tokens equal to the token p before them
  private recent: Int32Array; // the last TAIL_MAX_PERIOD tokens, ring buffer
  private length = 0;

  constructor(from?: TailLoop) {
    this.runs = from ? from.runs.slice() : new Int32Array(TAIL_MAX_PERIOD + 1);
    this.recent = from ? from.recent.slice() : new Int32Array(TAIL_MAX_PERIOD);
    if (from) this.length = from.length;
  }

  clone(): TailLoop {
    return new TailLoop(this);
  }

  advance(token: number): void {
    for (let p = 1; p <= TAIL_MAX_PERIOD; p++) {
      const same = this.length >= p && this.recent[(this.length - p) % TAIL_MAX_PERIOD] === token;
      this.runs[p] = same ? this.runs[p] + 1 : 0;
    }
    this.recent[this.length % TAIL_MAX_PERIOD] = token;
    this.length++;
  }

  /** The token that would extend a repetition of TAIL_LOOP_TOKENS tokens or more, else −1. */
  continuation(): number {
    for (let p = 1; p <= TAIL_MAX_PERIOD; p++)
      if (this.runs[p] + p >= TAIL_LOOP_TOKENS) return this.recent[(this.length - p) % TAIL_MAX_PERIOD];
    return -1;
  }
}
