/**
 * The plain-TypeScript reference of the network's math: embedding(s) → stacked LSTM → linear →
 * softmax cross-entropy, forward and backward. It computes in float64 throughout, so it doubles as
 * the ground truth for finite-difference checks and for the WebAssembly kernels. It favours clarity
 * over speed; the fast path lives in wasm-backend.ts.
 *
 * Internal activations are time-major: row r = t·B + b of a [T·B, ·] matrix is step t of sequence b.
 */
import { validateConfig, type ModelConfig } from './config.js';
import { paramViews, type FloatArray } from './params.js';
import {
  checkBatch,
  checkState,
  dims,
  dropoutMask,
  zeroState,
  type Batch,
  type EvalResult,
  type LstmState,
  type Network,
  type Stream,
  type TrainOptions,
  type TrainStepResult,
} from './types.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface LayerCache {
  x: Float64Array; // [T·B, in] the layer's input (after dropout of the layer below)
  gates: Float64Array; // [T·B, 4H] activated gates i, f, g, o
  h: Float64Array; // [(T+1)·B, H] h_{-1} (the state in) then h_0 … h_{T-1}
  c: Float64Array; // [(T+1)·B, H]
  mask: Float32Array | null; // [T·B, H] dropout mask on this layer's output
}

interface ForwardResult {
  caches: LayerCache[];
  top: Float64Array; // [T·B, H] input of the output layer (after dropout)
  probs: Float64Array; // [T·B, V] softmax
  lossSum: number;
  count: number;
  state: LstmState;
}

function forward(
  c: ModelConfig,
  params: FloatArray,
  batch: Batch,
  stateIn: LstmState | null,
  dropoutSeed: number | null,
  logitsOut?: Float32Array,
): ForwardResult {
  const { B, T, H, H4, V, N, E, E2, In0 } = dims(c, batch.batchSize, batch.seqLen);
  const p = paramViews(c, params);
  const state = stateIn ?? zeroState(c, B);
  let x = new Float64Array(N * In0);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const r = t * B + b,
        tok = batch.tokens[b * T + t]!;
      for (let k = 0; k < E; k++) x[r * In0 + k] = p.embed[tok * E + k]!;
      if (p.extraEmbed) {
        const e = batch.extras![b * T + t]!;
        for (let k = 0; k < E2; k++) x[r * In0 + E + k] = p.extraEmbed[e * E2 + k]!;
      }
    }
  }
  const caches: LayerCache[] = [];
  const stateOut = zeroState(c, B);
  for (let l = 0; l < c.layers; l++) {
    const In = l === 0 ? In0 : H;
    const { wx, wh, b: bias } = p.layers[l]!;
    const hs = new Float64Array((T + 1) * B * H),
      cs = new Float64Array((T + 1) * B * H),
      gates = new Float64Array(N * H4);
    for (let i = 0; i < B * H; i++) {
      hs[i] = state.h[l * B * H + i]!;
      cs[i] = state.c[l * B * H + i]!;
    }
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const r = t * B + b,
          g = r * H4;
        for (let j = 0; j < H4; j++) gates[g + j] = bias[j]!;
        for (let k = 0; k < In; k++) {
          const xv = x[r * In + k]!;
          for (let j = 0; j < H4; j++) gates[g + j]! += xv * wx[k * H4 + j]!;
        }
        // h_{t-1} of sequence b is row r of hs (hs is shifted by one step).
        for (let k = 0; k < H; k++) {
          const hv = hs[r * H + k]!;
          for (let j = 0; j < H4; j++) gates[g + j]! += hv * wh[k * H4 + j]!;
        }
        for (let u = 0; u < H; u++) {
          const i = sigmoid(gates[g + u]!),
            f = sigmoid(gates[g + H + u]!),
            gg = Math.tanh(gates[g + 2 * H + u]!),
            o = sigmoid(gates[g + 3 * H + u]!);
          gates[g + u] = i;
          gates[g + H + u] = f;
          gates[g + 2 * H + u] = gg;
          gates[g + 3 * H + u] = o;
          const cn = f * cs[r * H + u]! + i * gg;
          cs[(r + B) * H + u] = cn;
          hs[(r + B) * H + u] = o * Math.tanh(cn);
        }
      }
    }
    for (let i = 0; i < B * H; i++) {
      stateOut.h[l * B * H + i] = hs[T * B * H + i]!;
      stateOut.c[l * B * H + i] = cs[T * B * H + i]!;
    }
    let mask: Float32Array | null = null;
    const y = hs.slice(B * H);
    if (dropoutSeed !== null && c.dropout > 0) {
      mask = dropoutMask(dropoutSeed, l, N * H, c.dropout, new Float32Array(N * H));
      for (let i = 0; i < N * H; i++) y[i]! *= mask[i]!;
    }
    caches.push({ x, gates, h: hs, c: cs, mask });
    x = y;
  }
  const probs = new Float64Array(N * V);
  let lossSum = 0,
    count = 0;
  for (let r = 0; r < N; r++) {
    const row = probs.subarray(r * V, (r + 1) * V);
    for (let j = 0; j < V; j++) row[j] = p.outB[j]!;
    for (let k = 0; k < H; k++) {
      const yv = x[r * H + k]!;
      for (let j = 0; j < V; j++) row[j]! += yv * p.outW[k * V + j]!;
    }
    const t = Math.floor(r / B),
      b = r % B;
    if (logitsOut) for (let j = 0; j < V; j++) logitsOut[(b * T + t) * V + j] = row[j]!;
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, row[j]!);
    let sum = 0;
    for (let j = 0; j < V; j++) sum += row[j] = Math.exp(row[j]! - max);
    for (let j = 0; j < V; j++) row[j]! /= sum;
    const target = batch.targets[b * T + t]!;
    if (target >= 0) {
      lossSum -= Math.log(row[target]!);
      count++;
    }
  }
  return { caches, top: x, probs, lossSum, count, state: stateOut };
}

function backward(
  c: ModelConfig,
  params: FloatArray,
  batch: Batch,
  fw: ForwardResult,
  grads: FloatArray,
): void {
  const { B, T, H, H4, V, N, E, E2, In0 } = dims(c, batch.batchSize, batch.seqLen);
  const p = paramViews(c, params);
  const g = paramViews(c, grads);
  grads.fill(0);
  if (fw.count === 0) return;
  const scale = 1 / fw.count;
  // d(mean loss)/d(logits) = (softmax − onehot) / count on rows that have a target.
  const dLogits = new Float64Array(N * V);
  for (let r = 0; r < N; r++) {
    const t = Math.floor(r / B),
      b = r % B,
      target = batch.targets[b * T + t]!;
    if (target < 0) continue;
    for (let j = 0; j < V; j++) dLogits[r * V + j] = fw.probs[r * V + j]! * scale;
    dLogits[r * V + target]! -= scale;
  }
  let dy = new Float64Array(N * H);
  for (let r = 0; r < N; r++) {
    for (let j = 0; j < V; j++) {
      const d = dLogits[r * V + j]!;
      if (d === 0) continue;
      g.outB[j]! += d;
      for (let k = 0; k < H; k++) {
        g.outW[k * V + j]! += fw.top[r * H + k]! * d;
        dy[r * H + k]! += d * p.outW[k * V + j]!;
      }
    }
  }
  for (let l = c.layers - 1; l >= 0; l--) {
    const cache = fw.caches[l]!;
    const In = l === 0 ? In0 : H;
    const { wx, wh } = p.layers[l]!;
    const gl = g.layers[l]!;
    if (cache.mask) for (let i = 0; i < N * H; i++) dy[i]! *= cache.mask[i]!;
    const dG = new Float64Array(N * H4);
    const dhNext = new Float64Array(B * H),
      dcNext = new Float64Array(B * H);
    for (let t = T - 1; t >= 0; t--) {
      for (let b = 0; b < B; b++) {
        const r = t * B + b,
          go = r * H4;
        for (let u = 0; u < H; u++) {
          const i = cache.gates[go + u]!,
            f = cache.gates[go + H + u]!,
            gg = cache.gates[go + 2 * H + u]!,
            o = cache.gates[go + 3 * H + u]!;
          const cn = cache.c[(r + B) * H + u]!,
            cPrev = cache.c[r * H + u]!,
            tc = Math.tanh(cn);
          const dh = dy[r * H + u]! + dhNext[b * H + u]!;
          const dc = dcNext[b * H + u]! + dh * o * (1 - tc * tc);
          dcNext[b * H + u] = dc * f;
          dG[go + u] = dc * gg * i * (1 - i);
          dG[go + H + u] = dc * cPrev * f * (1 - f);
          dG[go + 2 * H + u] = dc * i * (1 - gg * gg);
          dG[go + 3 * H + u] = dh * tc * o * (1 - o);
        }
        for (let k = 0; k < H; k++) {
          let s = 0;
          for (let j = 0; j < H4; j++) s += dG[go + j]! * wh[k * H4 + j]!;
          dhNext[b * H + k] = s;
        }
      }
    }
    const dx = new Float64Array(N * In);
    for (let r = 0; r < N; r++) {
      const go = r * H4;
      for (let j = 0; j < H4; j++) gl.b[j]! += dG[go + j]!;
      for (let k = 0; k < H; k++) {
        const hv = cache.h[r * H + k]!;
        for (let j = 0; j < H4; j++) gl.wh[k * H4 + j]! += hv * dG[go + j]!;
      }
      for (let k = 0; k < In; k++) {
        const xv = cache.x[r * In + k]!;
        let s = 0;
        for (let j = 0; j < H4; j++) {
          gl.wx[k * H4 + j]! += xv * dG[go + j]!;
          s += dG[go + j]! * wx[k * H4 + j]!;
        }
        dx[r * In + k] = s;
      }
    }
    dy = dx;
  }
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const r = t * B + b,
        tok = batch.tokens[b * T + t]!;
      for (let k = 0; k < E; k++) g.embed[tok * E + k]! += dy[r * In0 + k]!;
      if (g.extraEmbed) {
        const e = batch.extras![b * T + t]!;
        for (let k = 0; k < E2; k++) g.extraEmbed[e * E2 + k]! += dy[r * In0 + E + k]!;
      }
    }
  }
}

export class ReferenceNetwork implements Network {
  readonly backend = 'reference' as const;
  constructor(readonly config: ModelConfig) {
    validateConfig(config);
  }

  trainStep(
    params: FloatArray,
    batch: Batch,
    state: LstmState | null,
    grads: FloatArray,
    options: TrainOptions = {},
  ): TrainStepResult {
    checkBatch(this.config, batch, state);
    const fw = forward(this.config, params, batch, state, options.dropoutSeed ?? 0);
    backward(this.config, params, batch, fw, grads);
    return {
      loss: fw.count > 0 ? fw.lossSum / fw.count : 0,
      lossSum: fw.lossSum,
      count: fw.count,
      state: fw.state,
    };
  }

  evaluate(params: FloatArray, batch: Batch, state: LstmState | null, logits?: Float32Array): EvalResult {
    checkBatch(this.config, batch, state, logits);
    const fw = forward(this.config, params, batch, state, null, logits);
    return { lossSum: fw.lossSum, count: fw.count, state: fw.state };
  }

  dispose(): void {}
}

/** Streams by running the reference forward on windows of length 1: simple, and slow. */
export class ReferenceStream implements Stream {
  readonly backend = 'reference' as const;
  private readonly params: Float64Array;
  private state: LstmState;
  private readonly logits: Float32Array;
  private readonly targets: Int32Array;

  constructor(
    readonly config: ModelConfig,
    params: FloatArray,
    readonly batchSize = 1,
  ) {
    validateConfig(config);
    this.params = Float64Array.from(params);
    paramViews(config, this.params);
    this.state = zeroState(config, batchSize);
    this.logits = new Float32Array(batchSize * config.vocabSize);
    this.targets = new Int32Array(batchSize).fill(-1);
  }

  step(tokens: ArrayLike<number>, extras?: ArrayLike<number>): Float32Array {
    const batch: Batch = { batchSize: this.batchSize, seqLen: 1, tokens, extras, targets: this.targets };
    checkBatch(this.config, batch, this.state);
    this.state = forward(this.config, this.params, batch, this.state, null, this.logits).state;
    return this.logits;
  }

  getState(): LstmState {
    return { batchSize: this.batchSize, h: this.state.h.slice(), c: this.state.c.slice() };
  }

  setState(state: LstmState): void {
    checkState(this.config, state, this.batchSize);
    this.state = { batchSize: this.batchSize, h: state.h.slice(), c: state.c.slice() };
  }

  reset(): void {
    this.state = zeroState(this.config, this.batchSize);
  }
}
