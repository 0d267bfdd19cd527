/**
 * The in-piece memory: the way past 2 bits/note. A long-term model (the LSTM) knows the style; the
 * piece memory knows this tune so far. `withPieceMemory` mixes the two, by entropy weighting (./mixture.ts) or by a learned gate (./gate.ts); the result is the engine's
 * scoring and sampling model.
 */
import type { TokenModel } from '../tokens/index.js';
import { GATE_SIZE, GATE_SIZE_V1, GatedMixture, gateFromFile, type PitchRange } from './gate.js';
import { noveltyProblem } from './novelty.js';
import { EntropyMixture } from './mixture.js';
import { PieceMemoryModel } from './models.js';

export interface MemorySettings {
  /** Longest context of the piece memory, in tokens. */
  order: number;
  /** Entropy weighting (arithmetic mean, exponent b) or the learned gate. */
  method: 'arithmetic' | 'gated';
  /** Entropy exponent (unused by the gate, kept ≥ 0). */
  b: number;
  /** The gate's θ (GATE_SIZE numbers, see ./gate.ts) when method is 'gated'. */
  gate?: number[];
  /** The model's default novelty (./novelty.ts); unset: 0.5, the mixture as fitted. */
  novelty?: number;
  /**
   * How often the training tunes restate a part, per pair of 8-bar parts (./form.ts
   * `styleRestateRates`): the learned gate's part plan restates generated parts this often at
   * novelty 0.5. Unset (files from before the plan): no plan.
   */
  restate?: number[];
}

/**
 * Used when a model file carries no settings of its own. Measured on the validation split of
 * engine/eval/split.ts (71 tunes, 15 489 notes; studies/memory-study.ts), bits/note:
 *
 *   long-term model                   alone   entropy weighting (best)   4-expert gate (cross-fitted)
 *   PPM-C n-gram, order 4, 12 keys    4.105   1.704 (order 32, b=0.25)   1.537
 *   LSTM 1x256 (early snapshot)       3.639   1.650 (order 24, b=0.25)   1.463
 *   LSTM 1x256 (models/default)       3.282   1.567 (order 24, b=0.25)   1.389 (order 16)
 *   Markov baseline (../shared/bench) on the same split: 3.658 without memory, 1.833 LTM+STM.
 *
 * The gate's θ depends on the long-term model, so it cannot be a default: `tuneMemory` fits it for
 * a model and `recommended` says what to store in its file. Entropy weighting needs no fitting and is
 * the default here.
 */
export const DEFAULT_MEMORY: MemorySettings = { order: 24, method: 'arithmetic', b: 0.25 };

/** One line saying what is wrong with memory settings read from a file, or null. */
export function memorySettingsProblem(s: unknown): string | null {
  if (typeof s !== 'object' || s === null) return 'memory settings are missing';
  const o = s as Record<string, unknown>;
  if (!Number.isInteger(o.order) || (o.order as number) < 0 || (o.order as number) > 64)
    return `memory order ${String(o.order)} must be 0..64`;
  if (o.method !== 'arithmetic' && o.method !== 'gated') {
    return `memory mixing method ${String(o.method)} must be arithmetic or gated`;
  }
  if (typeof o.b !== 'number' || !(o.b >= 0) || !Number.isFinite(o.b))
    return `memory entropy exponent ${String(o.b)} must be ≥ 0`;
  if (o.novelty !== undefined) {
    const problem = noveltyProblem(o.novelty);
    if (problem !== null) return `memory ${problem}`;
  }
  if (
    o.restate !== undefined &&
    !(Array.isArray(o.restate) && o.restate.every((r) => typeof r === 'number' && r >= 0 && r <= 1))
  )
    return `memory restatement rates ${JSON.stringify(o.restate)} must be numbers from 0 to 1`;
  if (o.method === 'gated' && gateFromFile(o.gate) === null)
    return `memory gate must be ${GATE_SIZE} finite numbers (or ${GATE_SIZE_V1}, from before the part features)`;
  return null;
}

/**
 * `longTerm` combined with a memory of the piece being read. `pitchRange`: the pitches the learned
 * gate's memories may propose (the long-term model's training range; null: any).
 */
export function withPieceMemory(
  longTerm: TokenModel,
  settings: MemorySettings = DEFAULT_MEMORY,
  pitchRange: PitchRange = null,
): TokenModel {
  if (settings.method === 'gated') {
    if (!settings.gate) throw new RangeError('gated memory settings without a gate');
    const gate = gateFromFile(settings.gate);
    if (gate === null) throw new RangeError(memorySettingsProblem(settings) ?? 'bad gate');
    return new GatedMixture(longTerm, settings.order, gate, {
      pitchRange,
      ...(settings.novelty !== undefined ? { novelty: settings.novelty } : {}),
      ...(settings.restate !== undefined ? { restate: settings.restate } : {}),
    });
  }
  return new EntropyMixture([longTerm, new PieceMemoryModel(settings.order)], {
    b: settings.b,
    ...(settings.novelty !== undefined ? { novelty: settings.novelty } : {}),
  });
}

export {
  ExpertPanel,
  GATE_EXPERTS,
  GATE_FEATURES,
  GATE_FEATURES_V1,
  GATE_SIZE,
  GATE_SIZE_V1,
  GatedMixture,
  fitGate,
  gateFromFile,
  gateBits,
  gateFeatures,
  gateWeights,
  keepInRange,
  type GateOptions,
  type GateRows,
  type PitchRange,
} from './gate.js';
export {
  RESTATED_SHARE,
  RESTATE_WEIGHT,
  partPlanSeed,
  restateProbability,
  restatedShare,
  rateOfPart,
  styleRestateRates,
} from './form.js';
export { GENERATED_DELAY_BARS, LearningClock } from './learning.js';
export { DEFAULT_NOVELTY, NOVELTY_SCALE, noveltyBias, noveltyProblem } from './novelty.js';
export {
  BarCopy,
  COPY_LAGS_IN_BARS,
  IntervalMemory,
  PART_BARS,
  TAIL_LOOP_TOKENS,
  TailLoop,
} from './experts.js';
export { EntropyMixture, mixDistributions, relativeEntropy, type MixSettings } from './mixture.js';
export { PieceMemoryModel } from './models.js';
export { PpmCounts } from './ppm.js';
export { DEFAULT_GRID, tuneMemory, type MemoryGrid, type MemoryTuning } from './tune.js';
