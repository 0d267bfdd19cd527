/**
 * A learned gate between the long-term model and the piece memory: an arithmetic mixture whose
 * weight comes from a logistic function of what both models know at this token,
 *
 *   p(t) = λ · p_memory(t) + (1 − λ) · p_long(t),    λ = σ(θ · x)
 *   x = [1, ln h_long, ln h_memory, m / order, min(m, 4) / 4]
 *
 * h = relative entropy of each model's distribution (as in entropy weighting) and m = the length of
 * the longest context of the piece memory that has been seen earlier in the piece (it grows token by
 * token inside a passage that repeats earlier material). IDyOM's entropy weighting is the special
 * case θ = [0, b, −b, 0, 0]; the gate adds a bias and the repeat evidence, with θ fitted by maximum
 * likelihood on validation tunes (`fitGate`). Measured on the validation split (2-fold cross-fitted
 * over the validation tunes, so the θ scoring a tune was fitted without it): see DEFAULT_MEMORY.
 */
import type { PieceContext, TokenModel, TokenStream } from '../tokens/index.js';
import { relativeEntropy } from './mixture.js';
import { PpmCounts } from './ppm.js';

export const GATE_FEATURES = 5;

export function gateFeatures(hLong: number, hMemory: number, matched: number, order: number, out: Float64Array): Float64Array {
  out[0] = 1;
  out[1] = Math.log(hLong);
  out[2] = Math.log(hMemory);
  out[3] = order > 0 ? matched / order : 0;
  out[4] = Math.min(matched, 4) / 4;
  return out;
}

export function gateWeight(theta: ArrayLike<number>, x: ArrayLike<number>): number {
  let z = 0;
  for (let k = 0; k < GATE_FEATURES; k++) z += theta[k] * x[k];
  return 1 / (1 + Math.exp(-z));
}

/** Training rows for the gate: per token, both models' probability of the actual token and x. */
export interface GateRows {
  pLong: Float64Array;
  pMemory: Float64Array;
  /** Row-major [n, GATE_FEATURES]. */
  features: Float64Array;
  length: number;
}

/** −Σ log2 p over the rows (optionally only those with include[i]). */
export function gateBits(theta: ArrayLike<number>, rows: GateRows, include?: (i: number) => boolean): number {
  let bits = 0;
  for (let i = 0; i < rows.length; i++) {
    if (include && !include(i)) continue;
    const lam = gateWeight(theta, rows.features.subarray(i * GATE_FEATURES, (i + 1) * GATE_FEATURES));
    bits -= Math.log2(lam * rows.pMemory[i] + (1 - lam) * rows.pLong[i]);
  }
  return bits;
}

/**
 * Maximum-likelihood θ by gradient ascent with a backtracking step (deterministic; a few hundred
 * passes over the rows). Starts from entropy weighting with b = 0.25.
 */
export function fitGate(rows: GateRows, include?: (i: number) => boolean, iterations = 400): number[] {
  let theta = [0, 0.25, -0.25, 0, 0];
  let current = gateBits(theta, rows, include);
  let step = 1;
  const g = new Float64Array(GATE_FEATURES);
  for (let it = 0; it < iterations && step > 1e-6; it++) {
    g.fill(0);
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      if (include && !include(i)) continue;
      const x = rows.features.subarray(i * GATE_FEATURES, (i + 1) * GATE_FEATURES);
      const lam = gateWeight(theta, x);
      const p = lam * rows.pMemory[i] + (1 - lam) * rows.pLong[i];
      const dz = ((rows.pMemory[i] - rows.pLong[i]) * lam * (1 - lam)) / p;
      for (let k = 0; k < GATE_FEATURES; k++) g[k] += dz * x[k];
      n++;
    }
    for (;;) {
      const next = theta.map((t, k) => t + (step * g[k]) / n);
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

export class GatedMixture implements TokenModel {
  readonly vocabSize: number;
  readonly name: string;

  constructor(
    readonly longTerm: TokenModel,
    readonly order: number,
    readonly theta: readonly number[],
  ) {
    if (theta.length !== GATE_FEATURES || !theta.every(Number.isFinite)) throw new RangeError(`a gate needs ${GATE_FEATURES} finite numbers`);
    this.vocabSize = longTerm.vocabSize;
    this.name = `${longTerm.name} + piece memory order ${order} (learned gate)`;
  }

  begin(context: PieceContext): TokenStream {
    return new GatedStream(this, this.longTerm.begin(context), new PpmCounts(this.vocabSize, this.order, 256), new Int32Array(256), 0);
  }
}

class GatedStream implements TokenStream {
  private readonly probs: Float64Array;
  private readonly memory: Float64Array;
  private readonly x = new Float64Array(GATE_FEATURES);
  private fresh = false;

  constructor(
    private readonly model: GatedMixture,
    private readonly longTerm: TokenStream,
    private readonly counts: PpmCounts,
    private history: Int32Array,
    private length: number,
  ) {
    this.probs = new Float64Array(model.vocabSize);
    this.memory = new Float64Array(model.vocabSize);
  }

  probabilities(): Float64Array {
    if (!this.fresh) {
      const pl = this.longTerm.probabilities();
      this.counts.distribution(this.history, this.length, this.memory);
      const matched = this.counts.matchedOrder(this.history, this.length);
      gateFeatures(relativeEntropy(pl), relativeEntropy(this.memory), matched, this.model.order, this.x);
      const lam = gateWeight(this.model.theta, this.x);
      for (let i = 0; i < this.probs.length; i++) this.probs[i] = lam * this.memory[i] + (1 - lam) * pl[i];
      this.fresh = true;
    }
    return this.probs;
  }

  advance(token: number): void {
    if (this.length === this.history.length) {
      const g = new Int32Array(this.history.length * 2);
      g.set(this.history);
      this.history = g;
    }
    this.history[this.length++] = token;
    this.counts.add(this.history, this.length - 1);
    this.longTerm.advance(token);
    this.fresh = false;
  }

  clone(): TokenStream {
    return new GatedStream(this.model, this.longTerm.clone(), this.counts.clone(), this.history.slice(), this.length);
  }
}
