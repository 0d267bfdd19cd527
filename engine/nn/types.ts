/**
 * Shapes shared by both backends. B = batch size, T = sequence length, L = layers, H = hidden size,
 * V = vocabulary size. All arrays are row-major.
 */
import { inputSize, type ModelConfig } from './config.js';
import type { FloatArray } from './params.js';
import { mixSeed, mulberry32 } from './rng.js';

export type BackendName = 'wasm-simd' | 'reference';

/** One batch of training windows. */
export interface Batch {
  batchSize: number; // B
  seqLen: number; // T
  /** [B, T] input token ids, 0..V-1. */
  tokens: ArrayLike<number>;
  /** [B, T] ids of the second input, 0..extraVocabSize-1; required iff config.extraVocabSize > 0. */
  extras?: ArrayLike<number>;
  /** [B, T] the token that follows each input; -1 = no loss at that position (padding). */
  targets: ArrayLike<number>;
}

/**
 * Recurrent state between windows (training) or tokens (generation).
 * `h` and `c` are [L, B, H]: layer l, row b starts at (l·B + b)·H.
 */
export interface LstmState {
  batchSize: number;
  h: Float32Array;
  c: Float32Array;
}

export interface TrainOptions {
  /** Seed of this step's dropout masks (ignored when config.dropout is 0). Same seed, same masks. */
  dropoutSeed?: number;
}

export interface TrainStepResult {
  /** Mean cross-entropy (nats) over positions with a target ≥ 0; 0 when there are none. */
  loss: number;
  /** Summed cross-entropy and the number of positions it covers. */
  lossSum: number;
  count: number;
  /** State after the last step of the window, to feed to the next window of the same tunes. */
  state: LstmState;
}

export interface EvalResult {
  lossSum: number;
  count: number;
  state: LstmState;
}

/**
 * A network bound to one config. Methods take the parameters on every call, so one network can serve
 * training, evaluation and checkpoints without owning the weights.
 */
export interface Network {
  readonly config: ModelConfig;
  readonly backend: BackendName;
  /**
   * Forward and backward over a batch, with dropout. `grads` (same layout as params) is overwritten
   * with d(mean loss)/d(params). `state` null = zeros. Gradients do not flow into `state`
   * (truncated backpropagation through time).
   */
  trainStep(
    params: FloatArray,
    batch: Batch,
    state: LstmState | null,
    grads: FloatArray,
    options?: TrainOptions,
  ): TrainStepResult;
  /** Forward only, no dropout. `logits`, when given, receives [B, T, V] pre-softmax scores. */
  evaluate(params: FloatArray, batch: Batch, state: LstmState | null, logits?: Float32Array): EvalResult;
  /** Releases memory held for this network (WebAssembly memory is returned on garbage collection). */
  dispose(): void;
}

/**
 * Streaming generation: one LSTM step per token for a small batch of independent sequences. The
 * weights are copied when the stream is created; later changes to the params do not affect it.
 */
export interface Stream {
  readonly config: ModelConfig;
  readonly backend: BackendName;
  readonly batchSize: number;
  /**
   * Feeds one token per sequence (`tokens` and `extras` have batchSize entries) and returns the
   * logits [B, V] for the next token. The returned array is reused by the next call: copy to keep it.
   */
  step(tokens: ArrayLike<number>, extras?: ArrayLike<number>): Float32Array;
  /** A copy of the current state. */
  getState(): LstmState;
  /** Continues from a state saved with getState (same batch size). */
  setState(state: LstmState): void;
  /** Back to the zero state. */
  reset(): void;
}

export function zeroState(config: ModelConfig, batchSize: number): LstmState {
  const n = config.layers * batchSize * config.hiddenSize;
  return { batchSize, h: new Float32Array(n), c: new Float32Array(n) };
}

/** The sizes both backends' passes are written in; the letters are those of the shapes above. */
export interface Dims {
  B: number;
  T: number;
  /** T·B: rows of the time-major activations. */
  N: number;
  H: number;
  /** 4H: the four gates side by side. */
  H4: number;
  V: number;
  E: number;
  /** Vocabulary of the second input (0 = none). */
  V2: number;
  E2: number;
  /** E + E2: width of the first layer's input. */
  In0: number;
}

export function dims(c: ModelConfig, B: number, T: number): Dims {
  const H = c.hiddenSize;
  return {
    B,
    T,
    N: T * B,
    H,
    H4: 4 * H,
    V: c.vocabSize,
    E: c.embedSize,
    V2: c.extraVocabSize,
    E2: c.extraEmbedSize,
    In0: inputSize(c),
  };
}

/**
 * Throws a one-line Error when a batch, the state it starts from, or the array that is to receive
 * its logits does not fit the config.
 */
export function checkBatch(
  c: ModelConfig,
  batch: Batch,
  state: LstmState | null,
  logits?: Float32Array,
): void {
  const { batchSize: B, seqLen: T } = batch;
  if (!Number.isInteger(B) || B < 1 || !Number.isInteger(T) || T < 1)
    throw new Error(`batch: batchSize and seqLen must be positive integers, got ${B}×${T}`);
  const n = B * T;
  if (logits && logits.length !== n * c.vocabSize)
    throw new Error(`evaluate: logits must have B·T·V = ${n * c.vocabSize} entries, got ${logits.length}`);
  if (batch.tokens.length !== n)
    throw new Error(`batch: tokens has ${batch.tokens.length} entries, expected B·T = ${n}`);
  if (batch.targets.length !== n)
    throw new Error(`batch: targets has ${batch.targets.length} entries, expected B·T = ${n}`);
  for (let i = 0; i < n; i++) {
    const x = batch.tokens[i]!;
    if (!(x >= 0 && x < c.vocabSize && Number.isInteger(x)))
      throw new Error(`batch: token ${x} at index ${i} is outside the vocabulary 0..${c.vocabSize - 1}`);
    const y = batch.targets[i]!;
    if (!(y >= -1 && y < c.vocabSize && Number.isInteger(y)))
      throw new Error(`batch: target ${y} at index ${i} is outside -1..${c.vocabSize - 1}`);
  }
  if (c.extraVocabSize > 0) {
    if (!batch.extras || batch.extras.length !== n)
      throw new Error(`batch: extras must have B·T = ${n} entries for a model with a second input`);
    for (let i = 0; i < n; i++) {
      const e = batch.extras[i]!;
      if (!(e >= 0 && e < c.extraVocabSize && Number.isInteger(e)))
        throw new Error(`batch: extra ${e} at index ${i} is outside 0..${c.extraVocabSize - 1}`);
    }
  }
  if (state) checkState(c, state, B);
}

export function checkState(c: ModelConfig, state: LstmState, batchSize: number): void {
  const n = c.layers * batchSize * c.hiddenSize;
  if (state.batchSize !== batchSize || state.h.length !== n || state.c.length !== n) {
    throw new Error(
      `state: expected batch ${batchSize} with ${n} values per h and c, got batch ${state.batchSize} with ${state.h.length}/${state.c.length}`,
    );
  }
}

/**
 * Copies sequence `fromRow` of `from` (its h and c in every layer) into row `toRow` of `to`; the two
 * states may have different batch sizes. This is how a sampler moves one lane between its own
 * batch-1 state and a row of a shared batch stream.
 */
export function copyStateRow(
  c: ModelConfig,
  from: LstmState,
  fromRow: number,
  to: LstmState,
  toRow: number,
): void {
  if (!(fromRow >= 0 && fromRow < from.batchSize && toRow >= 0 && toRow < to.batchSize))
    throw new RangeError(
      `state: cannot copy row ${fromRow} of a batch of ${from.batchSize} to row ${toRow} of a batch of ${to.batchSize}`,
    );
  const H = c.hiddenSize;
  for (let l = 0; l < c.layers; l++) {
    const src = (l * from.batchSize + fromRow) * H,
      dst = (l * to.batchSize + toRow) * H;
    to.h.set(from.h.subarray(src, src + H), dst);
    to.c.set(from.c.subarray(src, src + H), dst);
  }
}

/**
 * Inverted-dropout mask for one layer's output, [T, B, H] time-major, values 0 or 1/(1-p). Both
 * backends draw masks here so they agree exactly for the same seed.
 */
export function dropoutMask(
  seed: number,
  layer: number,
  size: number,
  p: number,
  out: Float32Array,
): Float32Array {
  const u = mulberry32(mixSeed(seed, 1000 + layer));
  const keep = 1 / (1 - p);
  for (let i = 0; i < size; i++) out[i] = u() < p ? 0 : keep;
  return out;
}
