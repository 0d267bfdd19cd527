/**
 * The recipe of the bundled default model (`npm run train:default`, models/MODEL.md). Fixed here so
 * the command is reproducible: same data, split, preset, epochs and seed give the same weights.
 */
import type { ModelConfig, PresetName } from '../nn/index.js';

export interface ModelRecipe {
  /** Training data, relative to the repository root. */
  data: string;
  /** Output, relative to the repository root. */
  out: string;
  preset: PresetName;
  overrides: Partial<ModelConfig>;
  epochs: number;
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
  epochs: 16,
  seed: 1,
  patience: 4,
  maxTranspose: 6,
  minLearningRateFraction: 0.1,
};
