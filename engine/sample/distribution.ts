/**
 * Turning a model's next-token probabilities into one token: a mask of allowed tokens (grammar and
 * the user's constraints), then temperature, top-k and top-p, then one draw from the RNG.
 *
 * Order and meaning (the usual ones):
 *   1. mask       tokens whose mask is 0 get probability 0
 *   2. temperature  p_i ∝ p_i^(1/T)  (= softmax(logits / T)); T = 0 means "always the most likely"
 *   3. top-k      keep the k most likely tokens (0 = off)
 *   4. top-p      keep the smallest set of most likely tokens whose probability adds up to ≥ p (1 = off)
 *   5. draw       inverse CDF over token ids in ascending order, one uniform number
 * Ties in ranking go to the lower token id, so the result never depends on sort stability.
 */

export interface SamplingSettings {
  /** > 0, or 0 for greedy. Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 or undefined = off. */
  topK?: number;
  /** Nucleus mass in (0, 1]; 1 or undefined = off. */
  topP?: number;
}

/** Checks settings; returns null when they are fine, else one line saying what is wrong. */
export function samplingSettingsProblem(s: SamplingSettings): string | null {
  const t = s.temperature ?? 1;
  if (!Number.isFinite(t) || t < 0) return `temperature ${t} must be a number ≥ 0`;
  const k = s.topK ?? 0;
  if (!Number.isInteger(k) || k < 0) return `top-k ${k} must be a whole number ≥ 0 (0 = off)`;
  const p = s.topP ?? 1;
  if (!Number.isFinite(p) || p <= 0 || p > 1) return `top-p ${p} must be in (0, 1]`;
  return null;
}

/**
 * Writes the final sampling distribution into `out` (same length as `probs`) and returns it.
 * When every allowed token has probability 0 under the model, the allowed tokens share it equally
 * (the user's constraints win over the model). Throws when the mask allows nothing.
 */
export function shapeDistribution(
  probs: ArrayLike<number>,
  mask: ArrayLike<number> | null,
  settings: SamplingSettings,
  out: Float64Array,
): Float64Array {
  const n = probs.length;
  const t = settings.temperature ?? 1;
  const k = settings.topK ?? 0;
  const p = settings.topP ?? 1;
  if (t === 1 && !(k > 0 && k < n) && p >= 1) {
    // the common case needs no logarithms: mask and renormalise
    let mass = 0;
    let allowedCount = 0;
    for (let i = 0; i < n; i++) {
      const keep = !mask || mask[i];
      out[i] = keep ? probs[i] : 0;
      if (keep) allowedCount++;
      mass += out[i];
    }
    if (allowedCount === 0)
      throw new RangeError('no token is allowed here (the constraints exclude every choice)');
    if (mass > 0) for (let i = 0; i < n; i++) out[i] /= mass;
    else for (let i = 0; i < n; i++) out[i] = !mask || mask[i] ? 1 / allowedCount : 0;
    return out;
  }
  let allowed = 0;
  let maxLog = -Infinity;
  // log domain: p^(1/T) of tiny p underflows long before the ratio between tokens does
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) {
      out[i] = -Infinity;
      continue;
    }
    allowed++;
    const l = Math.log(probs[i]);
    out[i] = l;
    if (l > maxLog) maxLog = l;
  }
  if (allowed === 0) throw new RangeError('no token is allowed here (the constraints exclude every choice)');
  if (maxLog === -Infinity) {
    for (let i = 0; i < n; i++) out[i] = mask && !mask[i] ? 0 : 1 / allowed;
  } else if (t === 0) {
    let best = -1;
    for (let i = 0; i < n; i++) if (out[i] === maxLog && best < 0) best = i;
    out.fill(0);
    out[best] = 1;
    return out;
  } else {
    for (let i = 0; i < n; i++) out[i] = out[i] === -Infinity ? 0 : Math.exp((out[i] - maxLog) / t);
  }
  if ((k > 0 && k < n) || p < 1) {
    const order = rankDescending(out);
    let total = 0;
    for (let i = 0; i < n; i++) total += out[i];
    let kept = 0;
    let mass = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r];
      const keep = out[i] > 0 && (k <= 0 || kept < k) && (p >= 1 || mass < p * total);
      if (keep) {
        kept++;
        mass += out[i];
      } else out[i] = 0;
    }
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += out[i];
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

function rankDescending(w: Float64Array): Int32Array {
  const idx = Int32Array.from({ length: w.length }, (_, i) => i);
  idx.sort((x, y) => w[y] - w[x] || x - y);
  return idx;
}

/** One draw from a normalised distribution: the first id whose cumulative probability exceeds u. */
export function drawToken(dist: ArrayLike<number>, rng: { nextFloat(): number }): number {
  const u = rng.nextFloat();
  let acc = 0;
  let last = -1;
  for (let i = 0; i < dist.length; i++) {
    if (dist[i] <= 0) continue;
    acc += dist[i];
    last = i;
    if (u < acc) return i;
  }
  return last; // u above a cumulative sum that rounding left just below 1
}
