/**
 * engine/nn — the LSTM language model: config and presets, flat parameters, training and evaluation
 * over batches, Adam, clipping, and streaming generation.
 *
 * Shapes (B = batch, T = window length, L = layers, H = hidden size, V = vocabulary size):
 *   Batch.tokens / extras / targets   [B, T] row-major; targets −1 = no loss at that position
 *   LstmState.h / .c                  [L, B, H]
 *   evaluate(…, logits)               [B, T, V]
 *   Stream.step(tokens[B]) → logits   [B, V]
 *   params / grads / Adam m, v        one flat Float32Array, layout in params.ts (paramLayout)
 *
 * Typical training loop (state carried across consecutive windows of the same tunes):
 *
 *   const config = presetConfig('standard', vocabSize, extraVocabSize);
 *   const params = initParams(config, seed);
 *   const net = createNetwork(config);                 // fastest available backend
 *   const grads = new Float32Array(params.length);
 *   const adam = new Adam(params.length, { learningRate: config.learningRate });
 *   let state = null;
 *   for (const batch of windows) {
 *     const r = net.trainStep(params, batch, state, grads, { dropoutSeed: step });
 *     const norm = clipGradNorm(grads, config.clipNorm);
 *     adam.step(params, grads);
 *     state = r.state;                                 // or null at the start of new tunes
 *   }
 *   const { lossSum, count } = net.evaluate(params, validBatch, null);
 *
 * Generation, one step per token (no re-reading of the prefix):
 *
 *   const stream = createStream(config, params, 1);
 *   for (const t of prefix) logits = stream.step([t]);
 *   // sample from logits, feed the sample back with stream.step([sample]) …
 *
 * Backends: 'wasm-simd' (WebAssembly SIMD kernels compiled from engine/nn/assembly) is chosen when it
 * loads; 'reference' (plain TypeScript, float64) is always available and is the ground truth in tests.
 * Node (≥ 20.16) and workers load the fastest build (relaxed-SIMD fused multiply-add) on first use.
 * In a browser page call `await loadKernels()` first: pages may not compile WebAssembly synchronously.
 * In Node, `await enableThreads()` adds a helper thread for the big GEMMs of networks created
 * afterwards, only if a calibration measures it faster on this machine now (a busy 2-core machine
 * usually says no); `dispose()` networks you are done with so the helper lets go of their memory.
 */
import { validateConfig, type ModelConfig } from './config.js';
import type { FloatArray } from './params.js';
import { ReferenceNetwork, ReferenceStream } from './reference.js';
import type { BackendName, Network, Stream } from './types.js';
import { kernelsAvailable, kernelVariant, loadKernels, WasmNetwork, WasmStream } from './wasm-backend.js';

export {
  PRESET_NAMES,
  presetConfig,
  validateConfig,
  inputSize,
  type ModelConfig,
  type PresetName,
} from './config.js';
export {
  initParams,
  paramCount,
  paramLayout,
  paramViews,
  type FloatArray,
  type ParamTensor,
  type ParamViews,
  type LayerViews,
} from './params.js';
export { Adam, clipGradNorm, type AdamOptions, type AdamState } from './optim.js';
// Every shape type (Batch, LstmState, Network, Stream, …) is public, without a second list of them.
export type * from './types.js';
export { copyStateRow, zeroState } from './types.js';
export { mulberry32, mixSeed } from './rng.js';
export { loadKernels, kernelsAvailable, kernelVariant };
export { enableThreads, disableThreads, threadsEnabled, type ThreadStatus } from './threads.js';

export type BackendChoice = BackendName | 'auto';

/** Which backend 'auto' picks here: the WebAssembly kernels when they load, else the reference. */
export function defaultBackend(): BackendName {
  return kernelsAvailable() ? 'wasm-simd' : 'reference';
}

/** A network for training and evaluation. 'wasm-simd' throws a one-line Error when the kernels cannot load. */
export function createNetwork(config: ModelConfig, backend: BackendChoice = 'auto'): Network {
  validateConfig(config);
  const chosen = backend === 'auto' ? defaultBackend() : backend;
  return chosen === 'wasm-simd' ? new WasmNetwork(config) : new ReferenceNetwork(config);
}

/** A stream of `batchSize` independent sequences for generation; copies `params`. */
export function createStream(
  config: ModelConfig,
  params: FloatArray,
  batchSize = 1,
  backend: BackendChoice = 'auto',
): Stream {
  validateConfig(config);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`stream: batchSize must be a positive integer, got ${batchSize}`);
  const chosen = backend === 'auto' ? defaultBackend() : backend;
  return chosen === 'wasm-simd'
    ? new WasmStream(config, params, batchSize)
    : new ReferenceStream(config, params, batchSize);
}

/**
 * The smallest stream batch from which one sequence's (lane's) logits are bit-identical whatever the
 * batch size and the lane's position in it. The WebAssembly GEMM uses a one-row kernel with two
 * interleaved accumulators below 4 rows and a 4-row kernel with one accumulator per element from 4
 * rows on, so batches of 1–3 and batches of ≥ 4 round differently in the last bits; the reference
 * backend computes every row alike at any batch. A sampler that promises "variation i does not depend
 * on how many variations were asked for" steps its lanes in batches of at least this many.
 */
export const LANE_STABLE_BATCH = 4;
