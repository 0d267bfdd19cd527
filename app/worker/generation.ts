/**
 * The generation jobs of the model worker (app/contract/worker.ts): model cards, continuations in
 * rounds, bar-range regeneration and analysis, each against a model file loaded once per session.
 *
 * No Node imports: the file is read through the `read` function the cache is given (the worker
 * passes engine/model-file/node.ts `loadModel`), so the renderer tests' in-memory API runs exactly
 * these jobs in-process.
 */
import type { ModelContents } from '../../engine/model-file/index.js';
import type { Melody } from '../../engine/midi/types.js';
import { analyseMelody, nextNoteAt } from '../../engine/eval/analysis.js';
import { DEFAULT_NOVELTY } from '../../engine/memory/novelty.js';
import { engineModelFromFile, pitchRangeOf } from '../../engine/model/lstm-model.js';
import {
  MEMO_WARNING_NOTES,
  memorisationOf,
  type MemorisationIndex,
} from '../../engine/model/memorisation.js';
import {
  detectKey,
  generateInRounds,
  generateOptionsProblem,
  regenerateBars,
  regenerateOptionsProblem,
  type GenerateOptions,
  type Variation,
} from '../../engine/sample/index.js';
import type { TokenModel } from '../../engine/tokens/index.js';
import type {
  GeneratedVariation,
  GenerateProgress,
  GenerateResult,
  GenerationSettings,
  MelodyAnalysis,
  Memorisation,
  ModelInfo,
  RegenerateResult,
  SamplingSettings,
  ScaleChoice,
} from '../contract/api.js';
import type { JobArgs, ModelRef } from '../contract/worker.js';

/** What the worker keeps of a model file: its sampling model, its index and its card. */
export interface LoadedModel {
  ref: ModelRef;
  info: ModelInfo;
  model: TokenModel;
  memorisation: { index: MemorisationIndex } | { missing: string };
}

/** A name fit for the model picker: the file's own, the default model's, or the file's base name. */
function modelName(ref: ModelRef, contents: ModelContents): string {
  if (ref.name !== undefined && ref.name.trim() !== '') return ref.name.trim().slice(0, 80);
  const named = contents.header.training.name;
  if (typeof named === 'string' && named.trim() !== '') return named.trim().slice(0, 80);
  if (ref.builtIn && ref.id === 'default') return 'Default model (folk tunes)';
  const base = ref.path.split(/[\\/]/).pop() ?? ref.id;
  return base.replace(/\.continuo$/i, '');
}

const numberOr = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** The card fields that come from the ref (main's models folder index), not from the file. */
function refFields(ref: ModelRef): Pick<ModelInfo, 'id' | 'builtIn' | 'origin' | 'addedAt'> {
  return {
    id: ref.id,
    builtIn: ref.builtIn,
    origin: ref.builtIn ? 'bundled' : (ref.origin ?? 'imported'),
    addedAt: ref.addedAt ?? null,
  };
}

function cardOf(ref: ModelRef, contents: ModelContents, hasIndex: boolean): ModelInfo {
  const { training, metrics } = contents.header;
  const memory = contents.header.extra?.memory as { novelty?: unknown } | undefined;
  const data = Array.isArray(training.data) ? training.data.filter((d) => typeof d === 'string') : [];
  const from = training.from;
  return {
    ...refFields(ref),
    name: modelName(ref, contents),
    trainingSeconds: numberOr(training.trainingSeconds),
    trainedFrom: typeof from === 'string' ? from.slice(0, 80) : null,
    bitsPerNote: numberOr(metrics.validationBitsPerNoteWithMemory) ?? numberOr(metrics.validationBitsPerNote),
    bitsPerNoteLstm: numberOr(metrics.validationBitsPerNoteLstm),
    training: {
      // The data's folder names, never the machine's absolute paths.
      data: data.map((d: string) => d.replace(/^.*[\\/](?=[^\\/]+[\\/]?$)/, '')),
      trainTunes: numberOr(training.trainFiles),
      validationTunes: numberOr(training.validationFiles),
      epochs: numberOr(training.epochs),
      steps: numberOr(training.steps),
      parameters: numberOr(training.parameters),
    },
    novelty: numberOr(memory?.novelty) ?? DEFAULT_NOVELTY,
    pitchRange: pitchRangeOf(contents),
    memorisationIndex: hasIndex,
    problem: null,
  };
}

/** Model files loaded once each and kept for the session (the worker's lifetime). */
export class ModelCache {
  readonly #loaded = new Map<string, LoadedModel>();

  /** `read`: a model file's path → its contents; throws one line naming the file on a bad one. */
  constructor(private readonly read: (path: string) => ModelContents) {}

  /** The loaded model of `ref`; throws a one-line Error naming the file when it cannot be used. */
  get(ref: ModelRef): LoadedModel {
    const key = `${ref.id}\u0000${ref.path}`;
    const cached = this.#loaded.get(key);
    // A renamed model keeps its loaded weights; its card takes the new name.
    if (cached) return ref.name === cached.ref.name ? cached : this.#renamed(key, cached, ref);
    const contents = this.read(ref.path);
    const { model } = engineModelFromFile(contents, ref.path);
    const memorisation = memorisationOf(contents, modelName(ref, contents));
    const loaded: LoadedModel = {
      ref,
      info: cardOf(ref, contents, 'index' in memorisation),
      model,
      memorisation,
    };
    this.#loaded.set(key, loaded);
    return loaded;
  }

  #renamed(key: string, cached: LoadedModel, ref: ModelRef): LoadedModel {
    const loaded = {
      ...cached,
      ref,
      info: { ...cached.info, ...refFields(ref), name: ref.name ?? cached.info.name },
    };
    this.#loaded.set(key, loaded);
    return loaded;
  }

  /** Forgets a model file (deleted, or replaced under the same path). */
  forget(ref: ModelRef): void {
    this.#loaded.delete(`${ref.id}\u0000${ref.path}`);
  }

  /** The card of `ref`, or a card saying why the model cannot be used. */
  describe(ref: ModelRef): ModelInfo {
    try {
      return this.get(ref).info;
    } catch (error) {
      const base = ref.path.split(/[\\/]/).pop() ?? ref.id;
      return {
        ...refFields(ref),
        name: ref.name ?? base.replace(/\.continuo$/i, ''),
        trainingSeconds: null,
        trainedFrom: null,
        bitsPerNote: null,
        bitsPerNoteLstm: null,
        training: {
          data: [],
          trainTunes: null,
          validationTunes: null,
          epochs: null,
          steps: null,
          parameters: null,
        },
        novelty: DEFAULT_NOVELTY,
        pitchRange: null,
        memorisationIndex: false,
        problem: error instanceof Error ? error.message.split('\n')[0] : String(error),
      };
    }
  }
}

function memorisationOfResult(loaded: LoadedModel, melody: Melody, from: number): Memorisation {
  if ('missing' in loaded.memorisation) return { missing: loaded.memorisation.missing };
  const longestRun = loaded.memorisation.index.longestRun(melody.notes, from).notes;
  return { longestRun, warning: longestRun >= MEMO_WARNING_NOTES };
}

/** The settings as they will be applied: the key found for 'detect', the model's own novelty for null. */
function resolve<S extends SamplingSettings>(
  settings: S,
  loaded: LoadedModel,
  notes: Melody['notes'],
): S & { scale: ScaleChoice | null; novelty: number } {
  const scale = settings.scale === 'detect' ? detectKey(notes) : settings.scale;
  return { ...settings, scale, novelty: settings.novelty ?? loaded.info.novelty };
}

function engineOptions(settings: SamplingSettings & { scale: ScaleChoice | null; novelty: number }) {
  return {
    temperature: settings.temperature,
    topK: settings.topK,
    topP: settings.topP,
    novelty: settings.novelty,
    randomSeed: settings.randomSeed,
    ...(settings.scale ? { scale: settings.scale } : {}),
    ...(settings.range ? { range: settings.range } : {}),
    ...(settings.maxRepeats !== null ? { maxRepeats: settings.maxRepeats } : {}),
  };
}

/** `generator.generate`: the variations in rounds of four, each round one progress (see the contract). */
export async function generateJob(
  cache: ModelCache,
  args: JobArgs<'generator.generate'>,
  signal: AbortSignal,
  progress: (p: GenerateProgress) => void,
): Promise<GenerateResult> {
  const loaded = cache.get(args.model);
  const resolved = resolve(args.settings, loaded, args.seed.notes);
  const applied: GenerationSettings = resolved;
  const options: GenerateOptions = {
    ...engineOptions(resolved),
    bars: applied.bars,
    variations: applied.variations,
    firstVariation: args.firstVariation,
  };
  const problem = generateOptionsProblem(options);
  if (problem !== null) throw new Error(problem);
  const toVariation = (v: Variation): GeneratedVariation => ({
    index: v.index,
    melody: v.melody,
    seedNotes: v.seedNotes,
    endStep: v.endStep,
    memorisation: memorisationOfResult(loaded, v.melody, v.seedNotes),
    made: { modelId: loaded.info.id, modelName: loaded.info.name, settings: applied, variation: v.index },
  });
  const made = await generateInRounds(loaded.model, args.seed, options, {
    roundSize: 4,
    signal,
    onRound: (round, done, total) => progress({ done, total, variations: round.map(toVariation) }),
  });
  return { variations: made.length, scale: resolved.scale, detected: args.settings.scale === 'detect' };
}

/** `generator.regenerate`: bars fromBar..toBar sampled again, the candidate that leads best into the kept bars. */
export function regenerateJob(cache: ModelCache, args: JobArgs<'generator.regenerate'>): RegenerateResult {
  const loaded = cache.get(args.model);
  const applied = resolve(args.settings, loaded, args.melody.notes);
  const options = {
    ...engineOptions(applied),
    fromBar: args.fromBar,
    toBar: args.toBar,
    candidates: args.candidates,
  };
  const problem = regenerateOptionsProblem(args.melody, options);
  if (problem !== null) throw new Error(problem);
  const result = regenerateBars(loaded.model, args.melody, options);
  return {
    melody: result.melody,
    fromBar: args.fromBar,
    toBar: args.toBar,
    chosen: result.chosen,
    candidates: result.candidates.map((c) => ({ notes: c.notes, keptBits: c.keptBits })),
    range: result.range,
    memorisation: memorisationOfResult(loaded, result.melody, result.range.first),
    made: {
      modelId: loaded.info.id,
      modelName: loaded.info.name,
      settings: applied,
      candidates: args.candidates,
    },
  };
}

/** `generator.analyse`: each note's surprise and, at `step`, the next-note distribution. */
export function analyseJob(cache: ModelCache, args: JobArgs<'generator.analyse'>): MelodyAnalysis {
  const loaded = cache.get(args.model);
  const novelty = { novelty: args.novelty ?? loaded.info.novelty };
  const analysis = analyseMelody(loaded.model, args.melody, novelty);
  const next = args.step === null ? null : nextNoteAt(loaded.model, args.melody, args.step, novelty);
  return {
    modelId: loaded.info.id,
    notes: analysis.notes.map((n) => ({ index: n.index, bits: n.bits, pitchBits: n.pitchBits })),
    endBits: analysis.endBits,
    totalBits: analysis.totalBits,
    next: next && {
      step: args.step!,
      pitches: Array.from(next.pitches),
      rest: next.rest,
      end: next.end,
    },
  };
}
