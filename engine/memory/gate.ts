/**
 * A learned gate over four next-token distributions: the long-term model (the LSTM), the piece
 * memory, the interval memory and the bar copy (./experts.ts). The mixture is arithmetic with
 * weights from a softmax of linear functions of what the experts know at this token:
 *
 *   p(t) = Σ_k π_k p_k(t),   π = softmax(0, θ_1 · x, θ_2 · x, θ_3 · x)
 *   x = [1, ln h_long, ln h_memory, m / order, min(m, 4) / 4,
 *        ln h_interval, mi / order, min(mi, 4) / 4, copy?, run / 24, min(run, 4) / 4,
 *        long copy?, part restatement?]
 *
 * h = relative entropy of an expert's distribution; m, mi = length of the longest context of the
 * piece memory / interval memory seen earlier in the piece (it grows token by token inside a
 * repeat); copy? = 1 when the bar copy proposes a token, run = how many tokens in a row its lag has
 * been right; long copy? = 1 when it copies from 8 or 16 bars back (a part, not a bar), part
 * restatement? = 1 when it proposes the part before in the first bar of an 8-bar part (bar 9, 17 …),
 * where folk tunes restate their parts. The copy expert is 0.95 on its proposal plus 0.05 × the
 * long-term distribution.
 * IDyOM's entropy weighting is the special case θ_1 = [0, b, −b, 0, …] with the other two experts
 * switched off. θ (39 numbers; files from before the two part features hold 33, read with 0 for
 * them, see `gateFromFile`) is fitted by maximum likelihood on validation tunes (`fitGate`); the
 * numbers are in DEFAULT_MEMORY's comment and tuneMemory reports a cross-fitted estimate.
 */
import { startGenerating, type GenerationAware, type PartPlanning } from '../sample/generating.js';
import { forkLanes, type LaneForking } from '../sample/lanes.js';
import {
  PITCH_BASE,
  VOCAB_SIZE,
  barSteps,
  type PieceContext,
  type TokenModel,
  type TokenStream,
} from '../tokens/index.js';
import { BarCopy, COPY_MAX_RUN, IntervalMemory, PART_BARS, TailLoop } from './experts.js';
import { RESTATE_WEIGHT, restateProbability } from './form.js';
import { relativeEntropy } from './mixture.js';
import { LearningClock } from './learning.js';
import { History } from './models.js';
import { DEFAULT_NOVELTY, noveltyBias, noveltyProblem } from './novelty.js';
import { PIECE_CAPACITY, PpmCounts } from './ppm.js';

const GATE_EXPERTS_CONST = 4; // long-term, piece memory, interval memory, bar copy
export const GATE_FEATURES = 13;
/** Features of the first gates (files before the part features): their θ reads as 0 for the new ones. */
export const GATE_FEATURES_V1 = 11;
export const GATE_SIZE_V1 = (GATE_EXPERTS_CONST - 1) * GATE_FEATURES_V1;
export const GATE_EXPERTS = GATE_EXPERTS_CONST;
export const GATE_SIZE = (GATE_EXPERTS - 1) * GATE_FEATURES;
const COPY_CONFIDENCE = 0.95;

export interface ExpertState {
  hLong: number;
  hMemory: number;
  matched: number;
  hInterval: number;
  matchedInterval: number;
  copyAvailable: boolean;
  copyRun: number;
  /** Bars back the copy copies from (0: no proposal). */
  copyLag: number;
  /** The next token is in the first bar of an 8-bar part after the first (bar 9, 17, …). */
  partStart: boolean;
}

export function gateFeatures(e: ExpertState, order: number, out: Float64Array): Float64Array {
  out[0] = 1;
  out[1] = Math.log(e.hLong);
  out[2] = Math.log(e.hMemory);
  out[3] = order > 0 ? e.matched / order : 0;
  out[4] = Math.min(e.matched, 4) / 4;
  out[5] = Math.log(e.hInterval);
  out[6] = order > 0 ? e.matchedInterval / order : 0;
  out[7] = Math.min(e.matchedInterval, 4) / 4;
  out[8] = e.copyAvailable ? 1 : 0;
  out[9] = e.copyAvailable ? e.copyRun / COPY_MAX_RUN : 0;
  out[10] = e.copyAvailable ? Math.min(e.copyRun, 4) / 4 : 0;
  out[11] = e.copyAvailable && e.copyLag >= PART_BARS ? 1 : 0;
  out[12] = e.copyAvailable && e.partStart && e.copyLag === PART_BARS ? 1 : 0;
  return out;
}

/**
 * The experts' weights π (length GATE_EXPERTS) for features x. `bias` is added to the memories'
 * logits (engine/memory/novelty.ts): −∞ leaves the long-term model alone, +∞ the memories alone.
 */
export function gateWeights(
  theta: ArrayLike<number>,
  x: ArrayLike<number>,
  out: Float64Array,
  bias = 0,
): Float64Array {
  if (bias === -Infinity) {
    out.fill(0);
    out[0] = 1;
    return out;
  }
  const memoriesOnly = bias === Infinity;
  out[0] = memoriesOnly ? -Infinity : 0;
  let max = memoriesOnly ? -Infinity : 0;
  for (let k = 1; k < GATE_EXPERTS; k++) {
    let z = memoriesOnly ? 0 : bias;
    for (let j = 0; j < GATE_FEATURES; j++) z += theta[(k - 1) * GATE_FEATURES + j] * x[j];
    out[k] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let k = 0; k < GATE_EXPERTS; k++) sum += out[k] = Math.exp(out[k] - max);
  for (let k = 0; k < GATE_EXPERTS; k++) out[k] /= sum;
  return out;
}

/** Takes `token` out of a memory's distribution (renormalised; the long-term one when nothing is left). */
function leaveToLongTerm(dist: Float64Array, token: number, longTerm: ArrayLike<number>): void {
  const rest = 1 - dist[token];
  if (rest <= 1e-12) {
    dist.set(longTerm);
    return;
  }
  dist[token] = 0;
  for (let t = 0; t < dist.length; t++) dist[t] /= rest;
}

/**
 * A gate as stored in a model file: GATE_SIZE numbers, or GATE_SIZE_V1 from before the part
 * features, which read as weight 0 for them (the gate those files were fitted as). Null otherwise.
 */
export function gateFromFile(stored: unknown): number[] | null {
  if (!Array.isArray(stored) || !stored.every((x) => typeof x === 'number' && Number.isFinite(x)))
    return null;
  if (stored.length === GATE_SIZE) return stored.slice();
  if (stored.length !== GATE_SIZE_V1) return null;
  const theta: number[] = [];
  for (let k = 0; k < GATE_EXPERTS - 1; k++) {
    theta.push(...stored.slice(k * GATE_FEATURES_V1, (k + 1) * GATE_FEATURES_V1));
    for (let j = GATE_FEATURES_V1; j < GATE_FEATURES; j++) theta.push(0);
  }
  return theta;
}

/** The pitches the memories may propose (MIDI numbers, inclusive); null: any. */
export type PitchRange = { min: number; max: number } | null;

/**
 * Zeroes `dist`'s PITCH tokens outside `range` and renormalises, or copies `fallback` when nothing
 * is left. A memory follows the piece anywhere (a sequence repeated a step lower keeps descending),
 * so left alone it proposes notes the long-term model never learned; the long-term model still
 * gives them its own (tiny) probability, so no real tune is ever impossible.
 */
export function keepInRange(dist: Float64Array, range: PitchRange, fallback: ArrayLike<number>): void {
  if (range === null) return;
  let sum = 0;
  for (let t = 0; t < dist.length; t++) {
    const p = t - PITCH_BASE;
    if (p >= 0 && p < 128 && (p < range.min || p > range.max)) dist[t] = 0;
    sum += dist[t];
  }
  if (sum > 0) for (let t = 0; t < dist.length; t++) dist[t] /= sum;
  else dist.set(fallback);
}

/** Training rows for the gate: per token, each expert's probability of the actual token and x. */
export interface GateRows {
  /** Row-major [n, GATE_EXPERTS]. */
  experts: Float64Array;
  /** Row-major [n, GATE_FEATURES]. */
  features: Float64Array;
  length: number;
}

function rowBits(theta: ArrayLike<number>, rows: GateRows, i: number, pi: Float64Array): number {
  gateWeights(theta, rows.features.subarray(i * GATE_FEATURES, (i + 1) * GATE_FEATURES), pi);
  let p = 0;
  for (let k = 0; k < GATE_EXPERTS; k++) p += pi[k] * rows.experts[i * GATE_EXPERTS + k];
  return -Math.log2(p);
}

/** −Σ log2 p over the rows (optionally only those with include[i]). */
export function gateBits(theta: ArrayLike<number>, rows: GateRows, include?: (i: number) => boolean): number {
  const pi = new Float64Array(GATE_EXPERTS);
  let bits = 0;
  for (let i = 0; i < rows.length; i++) if (!include || include(i)) bits += rowBits(theta, rows, i, pi);
  return bits;
}

/**
 * Maximum-likelihood θ by gradient ascent with a growing/backtracking step (deterministic). Starts
 * from entropy weighting with b = 0.25 for the piece memory and equal footing for the others.
 */
export function fitGate(rows: GateRows, include?: (i: number) => boolean, iterations = 300): number[] {
  let theta = new Array<number>(GATE_SIZE).fill(0);
  theta[1] = 0.25;
  theta[2] = -0.25;
  let current = gateBits(theta, rows, include);
  let step = 1;
  const g = new Float64Array(GATE_SIZE);
  const pi = new Float64Array(GATE_EXPERTS);
  for (let it = 0; it < iterations && step > 1e-6; it++) {
    g.fill(0);
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      if (include && !include(i)) continue;
      const x = rows.features.subarray(i * GATE_FEATURES, (i + 1) * GATE_FEATURES);
      gateWeights(theta, x, pi);
      let p = 0;
      for (let k = 0; k < GATE_EXPERTS; k++) p += pi[k] * rows.experts[i * GATE_EXPERTS + k];
      for (let k = 1; k < GATE_EXPERTS; k++) {
        const d = (pi[k] * (rows.experts[i * GATE_EXPERTS + k] - p)) / p; // ∂ ln p / ∂ z_k
        for (let j = 0; j < GATE_FEATURES; j++) g[(k - 1) * GATE_FEATURES + j] += d * x[j];
      }
      n++;
    }
    for (;;) {
      const next = theta.map((t, q) => t + (step * g[q]) / n);
      const bits = gateBits(next, rows, include);
      if (bits < current) {
        theta = next;
        current = bits;
        step *= 1.5;
        break;
      }
      step /= 4;
      if (step < 1e-6) break;
    }
  }
  return theta;
}

/** Reads one piece with all four experts; shared by the mixture's streams and by tuneMemory. */
export class ExpertPanel {
  readonly memoryDist = new Float64Array(VOCAB_SIZE);
  readonly intervalDist = new Float64Array(VOCAB_SIZE);
  readonly x = new Float64Array(GATE_FEATURES);
  copyToken = -1;
  private readonly state: ExpertState = {
    hLong: 1,
    hMemory: 1,
    matched: 0,
    hInterval: 1,
    matchedInterval: 0,
    copyAvailable: false,
    copyRun: 0,
    copyLag: 0,
    partStart: false,
  };

  private readonly learn = (position: number): void => {
    this.counts.add(this.history.tokens, position);
    this.interval.learn(position);
  };

  constructor(
    readonly order: number,
    private readonly counts: PpmCounts,
    private readonly history: History,
    private readonly interval: IntervalMemory,
    private readonly copy: BarCopy,
    private readonly clock: LearningClock,
    readonly range: PitchRange,
    private readonly tail: TailLoop,
  ) {}

  /**
   * The experts before the first token of a piece. `range`: the pitches the memories may propose
   * (the long-term model's training range); null lets them propose any.
   */
  static start(order: number, context: PieceContext, range: PitchRange = null): ExpertPanel {
    const bar = barSteps(context.timeSignature);
    return new ExpertPanel(
      order,
      new PpmCounts(VOCAB_SIZE, order, PIECE_CAPACITY),
      new History(),
      new IntervalMemory(order),
      new BarCopy(bar),
      new LearningClock(bar),
      range,
      new TailLoop(),
    );
  }

  clone(): ExpertPanel {
    return new ExpertPanel(
      this.order,
      this.counts.clone(),
      this.history.clone(),
      this.interval.clone(),
      this.copy.clone(),
      this.clock.clone(),
      this.range,
      this.tail.clone(),
    );
  }

  /**
   * Computes the short-term experts' distributions and the gate's features, given the long-term one.
   * The memories escape to the long-term distribution (not to a uniform one, which gave every
   * pitch 0..127 a share), propose only pitches in the range, and do not go on with a figure the
   * piece has already played back to back for TAIL_LOOP_TOKENS tokens (./experts.ts TailLoop).
   */
  read(longTerm: Float64Array): Float64Array {
    const e = this.state;
    e.hLong = relativeEntropy(longTerm);
    this.counts.distribution(this.history.tokens, this.history.length, this.memoryDist, longTerm);
    keepInRange(this.memoryDist, this.range, longTerm);
    e.hMemory = relativeEntropy(this.memoryDist);
    e.matched = this.counts.matchedOrder(this.history.tokens, this.history.length);
    e.hInterval = this.interval.distribution(this.intervalDist, longTerm);
    keepInRange(this.intervalDist, this.range, longTerm);
    const loop = this.tail.continuation();
    if (loop >= 0) {
      leaveToLongTerm(this.memoryDist, loop, longTerm);
      leaveToLongTerm(this.intervalDist, loop, longTerm);
    }
    e.matchedInterval = this.interval.matchedOrder();
    const c = this.copy.proposal();
    const p = c.token - PITCH_BASE;
    const outside =
      (this.range !== null && p >= 0 && p < 128 && (p < this.range.min || p > this.range.max)) ||
      (loop >= 0 && c.token === loop);
    this.copyToken = outside ? -1 : c.token;
    e.copyAvailable = this.copyToken >= 0;
    e.copyRun = outside ? 0 : c.run;
    e.copyLag = outside ? 0 : c.lag;
    e.partStart = this.copy.atPartStart();

    return gateFeatures(e, this.order, this.x);
  }

  /** What is read from now on is generated (./learning.ts). */
  startGenerating(): void {
    this.clock.startGenerating();
    this.copy.startGenerating(this.clock.delaySteps);
  }

  /** Plans which generated parts restate the part before (./form.ts). */
  planParts(seed: number, restateChances: readonly number[]): void {
    this.copy.planParts(seed, restateChances);
  }

  /** Whether the next token is generated in a part the plan restates (and the copy proposes it). */
  get restating(): boolean {
    return this.copyToken >= 0 && this.copy.restating();
  }

  /** The copy expert's probability of `token`. */
  copyProbability(longTerm: Float64Array, token: number): number {
    return this.copyToken < 0
      ? longTerm[token]
      : (token === this.copyToken ? COPY_CONFIDENCE : 0) + (1 - COPY_CONFIDENCE) * longTerm[token];
  }

  advance(token: number): void {
    this.history.push(token);
    this.interval.read(token);
    this.copy.advance(token);
    this.tail.advance(token);
    this.clock.advance(token, this.learn);
  }
}

export interface GateOptions {
  /** The pitches the memories may propose (the long-term model's training range); default any. */
  pitchRange?: PitchRange;
  /** Default novelty of the model's streams (./novelty.ts); a piece's context may ask for another. */
  novelty?: number;
  /**
   * How often the training tunes restate a part, per pair of parts (./form.ts `styleRestateRates`):
   * the part plan's rates at novelty 0.5. Unset: no plan (files from before it).
   */
  restate?: readonly number[];
}

export class GatedMixture implements TokenModel {
  readonly vocabSize: number;
  readonly name: string;
  readonly pitchRange: PitchRange;
  readonly novelty: number;
  readonly restate: readonly number[];

  constructor(
    readonly longTerm: TokenModel,
    readonly order: number,
    readonly theta: readonly number[],
    options: GateOptions = {},
  ) {
    if (theta.length !== GATE_SIZE || !theta.every(Number.isFinite))
      throw new RangeError(`a gate needs ${GATE_SIZE} finite numbers`);
    const novelty = options.novelty ?? DEFAULT_NOVELTY;
    const problem = noveltyProblem(novelty);
    if (problem !== null) throw new RangeError(problem);
    this.vocabSize = longTerm.vocabSize;
    this.pitchRange = options.pitchRange ?? null;
    this.novelty = novelty;
    this.restate = (options.restate ?? []).slice();
    if (!this.restate.every((r) => r >= 0 && r <= 1))
      throw new RangeError(`restatement rates ${this.restate.join(', ')} must be numbers from 0 to 1`);
    this.name = `${longTerm.name} + piece memory order ${order}, interval memory, bar copy (learned gate)`;
  }

  begin(context: PieceContext): TokenStream {
    const novelty = context.novelty ?? this.novelty;
    const problem = noveltyProblem(novelty);
    if (problem !== null) throw new RangeError(problem);
    const bias = noveltyBias(novelty);
    return new GatedStream(
      this,
      this.longTerm.begin(context),
      ExpertPanel.start(this.order, context, this.pitchRange),
      bias,
      this.restate.map((r) => restateProbability(r, bias)),
    );
  }
}

class GatedStream implements TokenStream, LaneForking, GenerationAware, PartPlanning {
  private readonly probs: Float64Array;
  private readonly pi = new Float64Array(GATE_EXPERTS);
  private fresh = false;

  constructor(
    private readonly model: GatedMixture,
    private readonly longTerm: TokenStream,
    private readonly panel: ExpertPanel,
    private readonly bias: number,
    private readonly restateChances: readonly number[],
  ) {
    this.probs = new Float64Array(model.vocabSize);
  }

  probabilities(): Float64Array {
    if (!this.fresh) {
      const pl = this.longTerm.probabilities();
      const pi = gateWeights(this.model.theta, this.panel.read(pl), this.pi, this.bias);
      const pm = this.panel.memoryDist;
      const pv = this.panel.intervalDist;
      const lc = pi[0] + pi[3] * (1 - COPY_CONFIDENCE * (this.panel.copyToken >= 0 ? 1 : 0));
      for (let i = 0; i < this.probs.length; i++) this.probs[i] = lc * pl[i] + pi[1] * pm[i] + pi[2] * pv[i];
      if (this.panel.copyToken >= 0) this.probs[this.panel.copyToken] += pi[3] * COPY_CONFIDENCE;
      if (this.panel.restating) {
        // a part the plan restates (./form.ts): the part before's token has RESTATE_WEIGHT more
        for (let i = 0; i < this.probs.length; i++) this.probs[i] *= 1 - RESTATE_WEIGHT;
        this.probs[this.panel.copyToken] += RESTATE_WEIGHT;
      }
      this.fresh = true;
    }
    return this.probs;
  }

  advance(token: number): void {
    this.panel.advance(token);
    this.longTerm.advance(token);
    this.fresh = false;
  }

  startGenerating(): void {
    this.panel.startGenerating();
    startGenerating(this.longTerm);
  }

  planParts(seed: number): void {
    this.panel.planParts(seed, this.restateChances);
    this.fresh = false;
  }

  clone(): TokenStream {
    return new GatedStream(
      this.model,
      this.longTerm.clone(),
      this.panel.clone(),
      this.bias,
      this.restateChances,
    );
  }

  /** Each lane has its own experts; the long-term model's lanes may step in lockstep. */
  forkLanes(count: number): TokenStream[] {
    return forkLanes(this.longTerm, count).map(
      (lane) => new GatedStream(this.model, lane, this.panel.clone(), this.bias, this.restateChances),
    );
  }
}
