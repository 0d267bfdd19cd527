/**
 * The recipe of the bundled default model (`npm run train:default`, models/MODEL.md). Fixed here so
 * the command is reproducible: same data, split, preset, steps and seed give the same weights.
 * 32 epochs: validation bits/note of the LSTM alone was 3.287 after a 16-epoch run and 3.076 after
 * this one (8 min 44 s of training on the quiet 2-core machine), see models/MODEL.md.
 */
import type { ModelConfig, PresetName } from '../nn/index.js';

export interface ModelRecipe {
  /** Training data, relative to the repository root. */
  data: string;
  /** Output, relative to the repository root. */
  out: string;
  preset: PresetName;
  overrides: Partial<ModelConfig>;
  /** The step budget: 32 passes of the 149 steps one pass over the 808 training tunes takes. */
  steps: number;
  /** Steps between validations: one pass. */
  validateEvery: number;
  seed: number;
  patience: number;
  maxTranspose: number;
  minLearningRateFraction: number;
}

export const DEFAULT_MODEL: ModelRecipe = {
  data: '../shared/corpus/nottingham',
  out: 'models/default.continuo',
  preset: 'standard',
  overrides: { layers: 1, dropout: 0.1 },
  steps: 32 * 149,
  validateEvery: 149,
  seed: 1,
  patience: 4,
  maxTranspose: 6,
  minLearningRateFraction: 0.1,
};
