import fs from 'node:fs';
import path from 'node:path';
import { mulberry32, type Batch, type LstmState, type ModelConfig } from '../../../engine/nn/index.js';
import { repoRoot } from '../../helpers/shared.js';

/**
 * The compiled GEMM helper thread (made by `npm run build`, which `npm test` runs first): tests run
 * the TypeScript sources, but a worker thread runs JavaScript.
 */
export function builtGemmHelper(): string {
  const script = path.join(repoRoot, 'dist/engine/nn/gemm-helper.js');
  if (!fs.existsSync(script))
    throw new Error(
      `${path.relative(repoRoot, script)} is missing: run "npm run build" first (npm test does)`,
    );
  return script;
}

/** A small config with every optional part switched on (second input, two layers, dropout). */
export function smallConfig(over: Partial<ModelConfig> = {}): ModelConfig {
  return {
    vocabSize: 7,
    embedSize: 3,
    extraVocabSize: 4,
    extraEmbedSize: 2,
    hiddenSize: 5,
    layers: 2,
    dropout: 0.25,
    seqLen: 4,
    batchSize: 2,
    learningRate: 1e-3,
    clipNorm: 5,
    ...over,
  };
}

/** A random batch; every `padEvery`-th target is -1 so ignored positions are exercised. */
export function randomBatch(c: ModelConfig, B: number, T: number, seed: number, padEvery = 5): Batch {
  const u = mulberry32(seed);
  const n = B * T;
  const tokens = new Int32Array(n),
    targets = new Int32Array(n),
    extras = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    tokens[i] = Math.floor(u() * c.vocabSize);
    targets[i] = i % padEvery === padEvery - 1 ? -1 : Math.floor(u() * c.vocabSize);
    extras[i] = Math.floor(u() * Math.max(1, c.extraVocabSize));
  }
  return { batchSize: B, seqLen: T, tokens, targets, extras: c.extraVocabSize > 0 ? extras : undefined };
}

export function randomState(c: ModelConfig, B: number, seed: number): LstmState {
  const u = mulberry32(seed);
  const n = c.layers * B * c.hiddenSize;
  const h = new Float32Array(n),
    cs = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    h[i] = u() * 1.6 - 0.8;
    cs[i] = u() * 4 - 2;
  }
  return { batchSize: B, h, c: cs };
}

/** Largest |a − b| relative to the largest |b| (so tolerances read as a fraction of the values' scale). */
export function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0,
    scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}
