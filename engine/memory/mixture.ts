/**
 * Combining models' next-token distributions by entropy weighting, as IDyOM combines its long- and
 * short-term models (Pearce, Conklin & Witten 2005; Pearce 2005, ch. 6):
 *
 *   relative entropy  h_m = H(p_m) / log2 |V|            (0 = certain, 1 = uniform)
 *   weight            w_m = h_m^(−b)                      (b = 0: equal weights; larger b trusts the
 *                                                          more certain model more)
 *   mixture           p(t) = Σ_m w_m p_m(t) / Σ_m w_m      (the arithmetic mean; IDyOM's geometric
 *                                                          mean never won here, see ./tune.ts)
 *
 * The weights change at every token, so the in-piece memory takes over exactly where the tune
 * repeats itself (its distribution is sharp) and the corpus model where it does not.
 */
import { planParts, startGenerating, type GenerationAware, type PartPlanning } from '../sample/generating.js';
import { forkLanes, type LaneForking } from '../sample/lanes.js';
import type { PieceContext, TokenModel, TokenStream } from '../tokens/index.js';
import { DEFAULT_NOVELTY, noveltyBias, noveltyProblem } from './novelty.js';

export interface MixSettings {
  /** Entropy exponent b ≥ 0. */
  b: number;
  /** Default novelty (./novelty.ts) of the streams; a piece's context may ask for another. */
  novelty?: number;
}

/** Relative entropy of a distribution over `p.length` tokens, in (0, 1]; clamped away from 0. */
export function relativeEntropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (x > 0) h -= x * Math.log(x);
  }
  return Math.max(h / Math.log(p.length), 1e-12);
}

/**
 * Writes the mixture of `dists` into `out`. Weights are computed in the log domain, so a nearly
 * certain model (h → 0) with a large b cannot overflow.
 */
export function mixDistributions(
  dists: readonly ArrayLike<number>[],
  settings: MixSettings,
  out: Float64Array,
  memoryBias = 0,
): Float64Array {
  const m = dists.length;
  // the novelty's bias (./novelty.ts) on every model but the first, the long-term one
  const logW = dists.map((d, k) =>
    memoryBias === -Infinity && k > 0
      ? -Infinity
      : memoryBias === Infinity && k === 0 && m > 1
        ? -Infinity
        : -settings.b * Math.log(relativeEntropy(d)) +
          (k > 0 && Number.isFinite(memoryBias) ? memoryBias : 0),
  );
  const maxLogW = Math.max(...logW);
  const w = logW.map((l) => Math.exp(l - maxLogW));
  const wSum = w.reduce((a, b) => a + b, 0);
  const n = out.length;
  out.fill(0);
  for (let k = 0; k < m; k++) {
    const d = dists[k];
    const wk = w[k] / wSum;
    for (let i = 0; i < n; i++) out[i] += wk * d[i];
  }
  return out;
}

export class EntropyMixture implements TokenModel {
  readonly vocabSize: number;
  readonly name: string;

  constructor(
    readonly models: readonly TokenModel[],
    readonly settings: MixSettings,
  ) {
    if (models.length === 0) throw new RangeError('a mixture needs at least one model');
    if (!(settings.b >= 0 && Number.isFinite(settings.b)))
      throw new RangeError(`entropy exponent b ${settings.b} must be ≥ 0`);
    this.vocabSize = models[0].vocabSize;
    for (const mdl of models) {
      if (mdl.vocabSize !== this.vocabSize)
        throw new RangeError(`${mdl.name} has ${mdl.vocabSize} tokens, ${models[0].name} ${this.vocabSize}`);
    }
    this.name = `${models.map((x) => x.name).join(' + ')} (entropy-weighted arithmetic, b=${settings.b})`;
  }

  begin(context: PieceContext): TokenStream {
    const novelty = context.novelty ?? this.settings.novelty ?? DEFAULT_NOVELTY;
    const problem = noveltyProblem(novelty);
    if (problem !== null) throw new RangeError(problem);
    return new MixtureStream(
      this.models.map((m) => m.begin(context)),
      this.settings,
      this.vocabSize,
      noveltyBias(novelty),
    );
  }
}

class MixtureStream implements TokenStream, LaneForking, GenerationAware, PartPlanning {
  private readonly probs: Float64Array;
  private fresh = false;

  constructor(
    private readonly streams: TokenStream[],
    private readonly settings: MixSettings,
    vocabSize: number,
    private readonly bias: number,
  ) {
    this.probs = new Float64Array(vocabSize);
  }

  probabilities(): Float64Array {
    if (!this.fresh) {
      mixDistributions(
        this.streams.map((s) => s.probabilities()),
        this.settings,
        this.probs,
        this.bias,
      );
      this.fresh = true;
    }
    return this.probs;
  }

  advance(token: number): void {
    for (const s of this.streams) s.advance(token);
    this.fresh = false;
  }

  startGenerating(): void {
    for (const s of this.streams) startGenerating(s);
  }

  planParts(seed: number): void {
    for (const s of this.streams) planParts(s, seed);
    this.fresh = false;
  }

  clone(): TokenStream {
    return new MixtureStream(
      this.streams.map((s) => s.clone()),
      this.settings,
      this.probs.length,
      this.bias,
    );
  }

  /** Lane i mixes lane i of every part, so a part that steps its lanes in lockstep still can. */
  forkLanes(count: number): TokenStream[] {
    const parts = this.streams.map((s) => forkLanes(s, count));
    return Array.from(
      { length: count },
      (_, i) =>
        new MixtureStream(
          parts.map((p) => p[i]),
          this.settings,
          this.probs.length,
          this.bias,
        ),
    );
  }
}
