/**
 * Sampling: seeded RNG, temperature / top-k / top-p, constraint masks and melody continuation, all
 * written against the TokenModel interface of engine/tokens, so they work with any model.
 */
export { Rng, type RngState } from './rng.js';
export { forkLanes, type LaneForking } from './lanes.js';
export { startGenerating, type GenerationAware } from './generating.js';
export { GENERATION_DEFAULTS } from './defaults.js';
export {
  drawToken,
  samplingSettingsProblem,
  shapeDistribution,
  type SamplingSettings,
} from './distribution.js';
export {
  SCALES,
  SCALE_NAMES,
  allowedPitches,
  constraintsProblem,
  maskPitches,
  parseScale,
  parseTonic,
  type Constraints,
  type ScaleName,
} from './constraints.js';
export {
  MAX_BARS,
  MAX_VARIATIONS,
  generate,
  generateOptionsProblem,
  type GenerateOptions,
  type Variation,
} from './generate.js';
export {
  regenerateBars,
  regenerateOptionsProblem,
  type RegenerateCandidate,
  type RegenerateOptions,
  type RegenerateResult,
} from './regenerate.js';
export { generateInRounds, type RoundOptions } from './rounds.js';
export { detectKey, type DetectedKey } from './key.js';
