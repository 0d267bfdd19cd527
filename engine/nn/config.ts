/**
 * One configuration type for the network and its training shape, and the presets.
 *
 * Sizes are in units (floats per vector). `seqLen`, `batchSize`, `learningRate` and `clipNorm` are
 * the training defaults that go with a preset; the network itself accepts any batch shape.
 */
export interface ModelConfig {
  /** Number of token ids; inputs and targets are 0..vocabSize-1. */
  vocabSize: number;
  /** Width of the token embedding. */
  embedSize: number;
  /** Optional second categorical input (e.g. position in bar); 0 = none. */
  extraVocabSize: number;
  /** Width of its embedding, concatenated after the token embedding; 0 when extraVocabSize is 0. */
  extraEmbedSize: number;
  /** LSTM units per layer. */
  hiddenSize: number;
  /** Stacked LSTM layers (≥ 1). */
  layers: number;
  /** Dropout probability on every LSTM layer's output (inputs of the next layer and of the softmax). */
  dropout: number;
  /** Training window length in tokens. */
  seqLen: number;
  /** Training windows per batch. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Global-norm gradient clipping threshold; 0 = no clipping. */
  clipNorm: number;
}

export type PresetName = 'quick' | 'standard' | 'large' | 'reference';

type PresetShape = Omit<ModelConfig, 'vocabSize' | 'extraVocabSize' | 'extraEmbedSize'> & {
  extraEmbedSize: number;
};

/**
 * Training sizes (`continuo bench` measures each; numbers from this project's 2-core machine, one thread):
 * - quick: 1×128 LSTM, embed 32. For trying things out: ~60k tokens/s, a pass over the folk corpus
 *   (~150k tokens) in seconds.
 * - standard: 2×256 LSTM, embed 64, dropout 0.2. The default size: ~7k tokens/s with the WebAssembly
 *   kernels, a pass over ~150k tokens in about 20 s.
 * - large: 3×512 LSTM, embed 128, seq 96, dropout 0.3. For larger corpora: ~7× the arithmetic of
 *   standard per token.
 * - reference: exactly `../shared/bench/torch_lstm.py` (vocab 130, embed 64, 2×256, seq 64, batch 32).
 */
const PRESETS: Record<PresetName, PresetShape> = {
  quick: {
    embedSize: 32,
    extraEmbedSize: 4,
    hiddenSize: 128,
    layers: 1,
    dropout: 0,
    seqLen: 64,
    batchSize: 32,
    learningRate: 3e-3,
    clipNorm: 5,
  },
  standard: {
    embedSize: 64,
    extraEmbedSize: 8,
    hiddenSize: 256,
    layers: 2,
    dropout: 0.2,
    seqLen: 64,
    batchSize: 32,
    learningRate: 2e-3,
    clipNorm: 5,
  },
  large: {
    embedSize: 128,
    extraEmbedSize: 16,
    hiddenSize: 512,
    layers: 3,
    dropout: 0.3,
    seqLen: 96,
    batchSize: 32,
    learningRate: 1e-3,
    clipNorm: 5,
  },
  reference: {
    embedSize: 64,
    extraEmbedSize: 0,
    hiddenSize: 256,
    layers: 2,
    dropout: 0,
    seqLen: 64,
    batchSize: 32,
    learningRate: 1e-3,
    clipNorm: 0,
  },
};

export const PRESET_NAMES: readonly PresetName[] = ['quick', 'standard', 'large', 'reference'];

/**
 * The configuration of a preset for a vocabulary. `extraVocabSize` > 0 turns on the second input with
 * the preset's extra embedding width. The 'reference' preset defaults to vocabulary 130 and no extra input.
 */
export function presetConfig(name: PresetName, vocabSize = 130, extraVocabSize = 0): ModelConfig {
  const p = PRESETS[name];
  const config: ModelConfig = {
    ...p,
    vocabSize,
    extraVocabSize,
    extraEmbedSize: extraVocabSize > 0 ? p.extraEmbedSize || 8 : 0,
  };
  validateConfig(config);
  return config;
}

/** Throws a one-line Error naming the first field that is out of range. */
export function validateConfig(c: ModelConfig): void {
  const positiveInts: (keyof ModelConfig)[] = [
    'vocabSize',
    'embedSize',
    'hiddenSize',
    'layers',
    'seqLen',
    'batchSize',
  ];
  for (const k of positiveInts) {
    const v = c[k];
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`model config: ${k} must be a positive integer, got ${String(v)}`);
  }
  for (const k of ['extraVocabSize', 'extraEmbedSize'] as const) {
    const v = c[k];
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`model config: ${k} must be a non-negative integer, got ${String(v)}`);
  }
  if (c.extraVocabSize > 0 !== c.extraEmbedSize > 0) {
    throw new Error('model config: extraVocabSize and extraEmbedSize must both be 0 or both be positive');
  }
  if (!(c.dropout >= 0 && c.dropout < 1))
    throw new Error(`model config: dropout must be in [0, 1), got ${c.dropout}`);
  if (!(c.learningRate > 0))
    throw new Error(`model config: learningRate must be positive, got ${c.learningRate}`);
  if (!(c.clipNorm >= 0)) throw new Error(`model config: clipNorm must be ≥ 0, got ${c.clipNorm}`);
}

/** Width of the first LSTM layer's input: token embedding plus the optional extra embedding. */
export function inputSize(c: ModelConfig): number {
  return c.embedSize + c.extraEmbedSize;
}
