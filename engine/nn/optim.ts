/**
 * Adam (PyTorch's formulation, no weight decay) and global-norm gradient clipping, over flat arrays
 * laid out like the parameters.
 */
import type { FloatArray } from './params.js';

export interface AdamOptions {
  learningRate: number;
  beta1?: number; // default 0.9
  beta2?: number; // default 0.999
  eps?: number; // default 1e-8
}

/** Optimizer state: plain data, so a checkpoint can store and restore it. */
export interface AdamState {
  step: number;
  m: Float32Array;
  v: Float32Array;
}

export class Adam {
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  state: AdamState;

  constructor(paramCount: number, options: AdamOptions) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.state = { step: 0, m: new Float32Array(paramCount), v: new Float32Array(paramCount) };
  }

  /** One update of `params` in place from `grads`. */
  step(params: FloatArray, grads: FloatArray): void {
    const { m, v } = this.state;
    if (params.length !== m.length || grads.length !== m.length) {
      throw new Error(
        `adam: expected ${m.length} params and grads, got ${params.length} and ${grads.length}`,
      );
    }
    const t = ++this.state.step;
    const b1 = this.beta1,
      b2 = this.beta2,
      eps = this.eps;
    const stepSize = this.learningRate / (1 - Math.pow(b1, t));
    const rootCorrection2 = Math.sqrt(1 - Math.pow(b2, t));
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const mi = (m[i] = b1 * m[i]! + (1 - b1) * g);
      const vi = (v[i] = b2 * v[i]! + (1 - b2) * g * g);
      params[i]! -= (stepSize * mi) / (Math.sqrt(vi) / rootCorrection2 + eps);
    }
  }
}

/**
 * Scales `grads` in place so their global L2 norm is at most `maxNorm` (when maxNorm > 0), and returns
 * the norm before clipping, which training reports. A non-finite norm leaves grads untouched so the
 * caller can see and skip the step.
 */
export function clipGradNorm(grads: FloatArray, maxNorm: number): number {
  let sum = 0;
  for (let i = 0; i < grads.length; i++) sum += grads[i]! * grads[i]!;
  const norm = Math.sqrt(sum);
  if (maxNorm > 0 && Number.isFinite(norm) && norm > maxNorm) {
    const s = maxNorm / (norm + 1e-6);
    for (let i = 0; i < grads.length; i++) grads[i]! *= s;
  }
  return norm;
}
