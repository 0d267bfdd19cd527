/**
 * Two more short-term "experts" on the piece so far, used by the learned gate (./gate.ts):
 *
 *  - IntervalMemory: the piece memory over a transposition-invariant alphabet, in which each PITCH
 *    token is replaced by its interval from the previous pitch. It recognises a phrase repeated a
 *    step higher (a melodic sequence), which the plain piece memory cannot.
 *  - BarCopy: "this bar goes like the bar 1, 2, 4, 8 or 16 bars ago": at each token it looks at what
 *    happened at the same place that many bars earlier and proposes the same token, using the lag
 *    that has been right for the most tokens in a row. Folk tunes repeat whole sections (AABB), so
 *    the copy knows the first note of a repeat before any context has matched.
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
   * and the rest renormalised.
   */
  distribution(out: Float64Array): number {
    const p = this.counts.distribution(this.seq, this.length, this.intervals);
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

  advance(token: number): void {
    let symbol = token;
    if (tokenKind(token) === 'pitch') {
      const pitch = token - PITCH_BASE;
      symbol = INTERVAL_ZERO + Math.max(-64, Math.min(63, pitch - this.previousPitch));
      this.previousPitch = pitch;
    }
    this.seq = grow(this.seq, this.length + 1);
    this.seq[this.length++] = symbol;
    this.counts.add(this.seq, this.length - 1);
  }
}

export const COPY_LAGS_IN_BARS = [1, 2, 4, 8, 16] as const;
export const COPY_MAX_RUN = 24;

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
    } else this.propose();
  }

  clone(): BarCopy {
    return new BarCopy(this.bar, this);
  }

  /** The proposed next token (−1 when no lag has one) and the run of the lag proposing it. */
  proposal(): { token: number; run: number } {
    let best = -1;
    for (let l = 0; l < COPY_LAGS_IN_BARS.length; l++) {
      if (this.proposals[l] >= 0 && (best < 0 || this.runs[l] > this.runs[best])) best = l;
    }
    return best < 0 ? { token: -1, run: 0 } : { token: this.proposals[best], run: this.runs[best] };
  }

  private eventAt(step: number): number {
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
