/**
 * Metre: folk tunes almost never hold a note across a bar line (0.03 % of the training notes; a tie
 * over the bar is written as two notes in this corpus), but the LSTM does not know how long a bar is:
 * it sees the position in the bar (engine/model/encoding.ts), not the time signature, and at beat 3
 * of a 3/4 bar a half note is as good as in 4/4. Continuing 3/4 and 2/4 tunes it held 4–5 % of its
 * notes across a bar line (engine/eval/generation-check.ts).
 *
 * `MetreModel` corrects that where the duration is chosen: the first DUR token after a PITCH.
 * A duration that would carry the note over the bar line has its probability multiplied by κ
 * (`crossing`), and the distribution is renormalised:
 *
 *   p'(DUR_d) ∝ p(DUR_d) · (κ if position_in_bar + d > bar else 1)
 *
 * (DUR_32 stands for every note of 32 steps or more.) κ is fitted by maximum likelihood on
 * validation tunes (`fitMetre`), so it lowers bits/note rather than hiding anything: the rare real
 * crossings stay possible at κ's price.
 */
import { planParts, startGenerating, type GenerationAware, type PartPlanning } from '../sample/generating.js';
import { forkLanes, type LaneForking } from '../sample/lanes.js';
import {
  DUR_BASE,
  END,
  MAX_DURATION,
  PITCH_BASE,
  REST_BASE,
  barSteps,
  countNotes,
  encode,
  tokenKind,
  type PieceContext,
  type TokenModel,
  type TokenStream,
} from '../tokens/index.js';
import type { Melody } from '../midi/types.js';

export interface MetreSettings {
  /** κ: factor on the probability of a duration that carries a note over a bar line, in (0, e²]. */
  crossing: number;
}

/** One line saying what is wrong with metre settings read from a file, or null. */
export function metreSettingsProblem(s: unknown): string | null {
  const k = (s as { crossing?: unknown } | null)?.crossing;
  return typeof k === 'number' && k > 0 && k <= Math.exp(2)
    ? null
    : `metre crossing factor ${String(k)} must be a number in (0, 7.39]`;
}

/** Whether DUR token `token` at a note starting `position` steps into a bar of `bar` steps crosses it. */
export function crossesBarLine(token: number, position: number, bar: number): boolean {
  return position + (token - DUR_BASE) > bar;
}

export class MetreModel implements TokenModel {
  readonly vocabSize: number;
  readonly name: string;

  constructor(
    readonly inner: TokenModel,
    readonly settings: MetreSettings,
  ) {
    const problem = metreSettingsProblem(settings);
    if (problem !== null) throw new RangeError(problem);
    this.vocabSize = inner.vocabSize;
    this.name = `${inner.name}, metre κ=${settings.crossing.toPrecision(3)}`;
  }

  begin(context: PieceContext): TokenStream {
    return new MetreStream(
      this.inner.begin(context),
      this.settings.crossing,
      barSteps(context.timeSignature),
      this.vocabSize,
    );
  }
}

class MetreStream implements TokenStream, LaneForking, GenerationAware, PartPlanning {
  private readonly probs: Float64Array;
  private fresh = false;

  constructor(
    private readonly inner: TokenStream,
    private readonly crossing: number,
    private readonly bar: number,
    vocabSize: number,
    /** Time cursor after the tokens read, and whether the last token was a PITCH. */
    private time = 0,
    private afterPitch = false,
  ) {
    this.probs = new Float64Array(vocabSize);
  }

  probabilities(): Float64Array {
    const p = this.inner.probabilities();
    if (!this.afterPitch) return p;
    if (!this.fresh) {
      const position = this.time % this.bar;
      let sum = 0;
      for (let t = 0; t < p.length; t++) {
        const isDur = t > DUR_BASE && t <= DUR_BASE + MAX_DURATION;
        this.probs[t] = isDur && crossesBarLine(t, position, this.bar) ? p[t] * this.crossing : p[t];
        sum += this.probs[t];
      }
      for (let t = 0; t < p.length; t++) this.probs[t] /= sum;
      this.fresh = true;
    }
    return this.probs;
  }

  advance(token: number): void {
    this.inner.advance(token);
    const kind = tokenKind(token);
    if (kind === 'rest') this.time += token - REST_BASE;
    else if (kind === 'duration') this.time += token - DUR_BASE;
    this.afterPitch = kind === 'pitch';
    this.fresh = false;
  }

  startGenerating(): void {
    startGenerating(this.inner);
  }

  planParts(seed: number): void {
    planParts(this.inner, seed);
    this.fresh = false;
  }

  clone(): TokenStream {
    return new MetreStream(
      this.inner.clone(),
      this.crossing,
      this.bar,
      this.probs.length,
      this.time,
      this.afterPitch,
    );
  }

  forkLanes(count: number): TokenStream[] {
    return forkLanes(this.inner, count).map(
      (lane) => new MetreStream(lane, this.crossing, this.bar, this.probs.length, this.time, this.afterPitch),
    );
  }
}

export interface MetreFit {
  settings: MetreSettings;
  /** Bits/note of `model` on the melodies without and with the correction. */
  bitsPerNoteBefore: number;
  bitsPerNoteAfter: number;
  /** Notes, and notes held over a bar line, in the melodies. */
  notes: number;
  crossings: number;
}

/**
 * The maximum-likelihood κ for `model` on `melodies` (one pass: per note, the model's probability
 * mass on crossing durations and whether the real duration crosses), by golden-section search on
 * ln κ in [−12, 2].
 */
export function fitMetre(model: TokenModel, melodies: readonly Melody[]): MetreFit {
  const mass: number[] = []; // per note: crossing mass M of the duration distribution
  const crossed: boolean[] = [];
  let bits = 0;
  let notes = 0;
  for (const melody of melodies) {
    const tokens = encode(melody);
    notes += countNotes(tokens);
    const bar = barSteps(melody.timeSignature);
    const stream = model.begin({ timeSignature: melody.timeSignature });
    let time = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const p = stream.probabilities();
      bits -= Math.log2(p[t]);
      if (i > 0 && tokens[i - 1] >= PITCH_BASE && tokens[i - 1] < PITCH_BASE + 128) {
        let m = 0;
        for (let d = DUR_BASE + 1; d <= DUR_BASE + MAX_DURATION; d++)
          if (crossesBarLine(d, time % bar, bar)) m += p[d];
        mass.push(m);
        // the note crosses when its whole duration does; its first DUR token says so unless it is DUR_32
        crossed.push(crossesBarLine(t, time % bar, bar));
      }
      if (t === END) break;
      stream.advance(t);
      const kind = tokenKind(t);
      if (kind === 'rest') time += t - REST_BASE;
      else if (kind === 'duration') time += t - DUR_BASE;
    }
  }
  // log-likelihood gain of κ = e^a over κ = 1, in nats: Σ [c · a − ln(1 − M + e^a M)]
  const gain = (a: number) => {
    const k = Math.exp(a);
    let g = 0;
    for (let j = 0; j < mass.length; j++) g += (crossed[j] ? a : 0) - Math.log(1 - mass[j] + k * mass[j]);
    return g;
  };
  let lo = -12;
  let hi = 2;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 80; it++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (gain(a) > gain(b)) hi = b;
    else lo = a;
  }
  const best = (lo + hi) / 2;
  return {
    settings: { crossing: Math.exp(best) },
    bitsPerNoteBefore: bits / notes,
    bitsPerNoteAfter: (bits - gain(best) / Math.LN2) / notes,
    notes,
    crossings: crossed.filter(Boolean).length,
  };
}
