/**
 * Measurements behind `continuo bench`: training throughput on the workload of
 * ../shared/bench/torch_lstm.py and generation latency. Pure engine code (no Node APIs), so the same
 * numbers can be taken in a worker or a page.
 */
import { validateConfig, type ModelConfig } from './config.js';
import { createNetwork, createStream, type BackendChoice } from './index.js';
import { Adam, clipGradNorm } from './optim.js';
import { initParams } from './params.js';
import { mulberry32 } from './rng.js';
import type { Batch, BackendName, LstmState } from './types.js';
import { timeGemm } from './wasm-backend.js';

/**
 * The synthetic melodies of torch_lstm.py: small random steps with occasional rests (token 128),
 * targets shifted by one. With a second input, its ids cycle through the bar like positions would.
 */
export function syntheticBatch(config: ModelConfig, random: () => number): Batch {
  const B = config.batchSize,
    T = config.seqLen;
  const tokens = new Int32Array(B * T),
    targets = new Int32Array(B * T);
  const moves = [-2, -1, 0, 1, 2, 4];
  const cap = (x: number) => Math.min(x, config.vocabSize - 1);
  for (let b = 0; b < B; b++) {
    let p = 60 + Math.floor(random() * 12);
    const seq: number[] = [];
    for (let t = 0; t <= T; t++) {
      if (t % 8 === 0 && random() < 0.3) seq.push(cap(128));
      else {
        p = Math.max(36, Math.min(96, p + moves[Math.floor(random() * moves.length)]!));
        seq.push(cap(p));
      }
    }
    for (let t = 0; t < T; t++) {
      tokens[b * T + t] = seq[t]!;
      targets[b * T + t] = seq[t + 1]!;
    }
  }
  const extras =
    config.extraVocabSize > 0
      ? Int32Array.from({ length: B * T }, (_, i) => (i % T) % config.extraVocabSize)
      : undefined;
  return { batchSize: B, seqLen: T, tokens, targets, extras };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface TrainMeasurement {
  backend: BackendName;
  trainTokensPerSec: number;
  stepMs: number; // median
  steps: number;
  lossFirst: number;
  lossLast: number;
}

/**
 * Trains `steps` batches after `warmup` and reports the median step time (forward, backward,
 * clipping when the config asks for it, Adam), like torch_lstm.py does.
 */
export function measureTraining(
  config: ModelConfig,
  steps: number,
  warmup = 2,
  backend: BackendChoice = 'auto',
  now: () => number = () => performance.now(),
): TrainMeasurement {
  validateConfig(config);
  const params = initParams(config, 1);
  const net = createNetwork(config, backend);
  const grads = new Float32Array(params.length);
  const adam = new Adam(params.length, { learningRate: config.learningRate });
  const random = mulberry32(1234);
  const times: number[] = [];
  const losses: number[] = [];
  let state: LstmState | null = null;
  for (let s = 0; s < warmup + steps; s++) {
    const batch = syntheticBatch(config, random);
    const t0 = now();
    const r = net.trainStep(params, batch, state, grads, { dropoutSeed: s });
    if (config.clipNorm > 0) clipGradNorm(grads, config.clipNorm);
    adam.step(params, grads);
    const dt = now() - t0;
    state = null; // independent windows, as in torch_lstm.py
    losses.push(r.loss);
    if (s >= warmup) times.push(dt);
  }
  net.dispose();
  const stepMs = median(times);
  return {
    backend: net.backend,
    trainTokensPerSec: Math.round((config.batchSize * config.seqLen * 1000) / stepMs),
    stepMs: Number(stepMs.toFixed(2)),
    steps,
    lossFirst: Number(losses[0]!.toFixed(3)),
    lossLast: Number(losses[losses.length - 1]!.toFixed(3)),
  };
}

/** Samples a token from logits (softmax at temperature 1) with a seeded source. */
function sample(logits: Float32Array, V: number, random: () => number): number {
  let max = -Infinity;
  for (let j = 0; j < V; j++) max = Math.max(max, logits[j]!);
  let sum = 0;
  for (let j = 0; j < V; j++) sum += Math.exp(logits[j]! - max);
  let u = random() * sum;
  for (let j = 0; j < V; j++) {
    u -= Math.exp(logits[j]! - max);
    if (u <= 0) return j;
  }
  return V - 1;
}

export interface GenerateMeasurement {
  backend: BackendName;
  msPerToken: number; // median over `tokens` steps, sampling included
  totalMs: number;
  tokens: number;
}

/**
 * Streaming generation at batch 1: each step feeds the previous sample, like torch_lstm.py's loop
 * (20 warm-up steps, then `tokens` timed steps; sampling is included in each step's time).
 * `sequences` > 1 runs that many independent sequences one after another from a reset state.
 */
export function measureGeneration(
  config: ModelConfig,
  tokens: number,
  sequences = 1,
  backend: BackendChoice = 'auto',
  now: () => number = () => performance.now(),
): GenerateMeasurement {
  validateConfig(config);
  const params = initParams(config, 1);
  const stream = createStream(config, params, 1, backend);
  const random = mulberry32(7);
  const V = config.vocabSize;
  const extra = [0];
  let tok = Math.min(60, V - 1);
  for (let s = 0; s < 20; s++)
    tok = sample(stream.step([tok], config.extraVocabSize > 0 ? extra : undefined), V, random);
  const times: number[] = [];
  const start = now();
  for (let q = 0; q < sequences; q++) {
    stream.reset();
    for (let s = 0; s < tokens; s++) {
      const t0 = now();
      if (config.extraVocabSize > 0) extra[0] = s % config.extraVocabSize;
      tok = sample(stream.step([tok], config.extraVocabSize > 0 ? extra : undefined), V, random);
      times.push(now() - t0);
    }
  }
  const totalMs = now() - start;
  return {
    backend: stream.backend,
    msPerToken: Number(median(times).toFixed(4)),
    totalMs: Number(totalMs.toFixed(1)),
    tokens: tokens * sequences,
  };
}

export interface GemmMeasurement {
  shape: string;
  gflops: number; // best of the rounds, wall clock
}

/**
 * GFLOP/s of the GEMM kernel on the two shapes that dominate training: the recurrent step (batch 32
 * × 4·256 gates × 256) and the input projection of all time steps at once (2048 × 1024 × 256).
 */
export function measureGemm(now: () => number = () => performance.now()): GemmMeasurement[] {
  return [
    [32, 1024, 256, 200],
    [2048, 1024, 256, 10],
  ].map(([M, N, K, rounds]) => {
    const ms = timeGemm(M!, N!, K!, rounds!, now);
    return { shape: `${M}×${N}×${K}`, gflops: Number(((2 * M! * N! * K!) / ms / 1e6).toFixed(1)) };
  });
}
