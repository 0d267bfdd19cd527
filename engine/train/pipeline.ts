/**
 * The training pipeline: plan → (timed probe) → train → fit what sits around the LSTM (in-piece
 * memory, metre, memorisation index) → the model file's contents. `continuo train` and the app's
 * training worker run this same code; it touches no file system and imports no node:* module, so
 * it runs in a worker thread or a page. The caller reads files, writes checkpoints and models.
 *
 * Everything the pipeline tells goes through one callback as plain data (`PipelineEvent`), ready to
 * post across a thread. Control: an AbortSignal stops at the next step (a checkpoint of that step is
 * handed to `saveCheckpoint`), `pause` is awaited between steps, `onWeights` gives read access to
 * the current weights (generating from the model while it learns).
 *
 * Decisions made here and said in words in the plan (`TrainingPlan.notes`, `.warnings`):
 *  - the start model: the given one when its vocabulary and configuration fit the engine, else
 *    from scratch, saying why (`startModelProblem`);
 *  - the budget: a preset says how long it trains (seconds) and the most steps it may take; a probe
 *    of a few steps measures this computer, and the step budget is what fits in the time, so the
 *    learning-rate schedule ends when the time does;
 *  - validation: whole files held out, topped up to a minimum on small collections, or the last
 *    quarter of each piece when there are fewer than 3 files (engine/eval/split.ts);
 *  - early stopping counts validations and waits until the model beats the note-frequency
 *    baseline of the same data (./baseline.ts).
 */
import { DEFAULT_VALIDATION_FRACTION, baseName, splitSmallCollection, splitByFile } from '../eval/split.js';
import type { MemorySettings } from '../memory/index.js';
import type { Melody } from '../midi/types.js';
import type { ModelContents } from '../model-file/index.js';
import { CONDITION_CLASSES } from '../model/encoding.js';
import { LSTM_INPUT_CONVENTION, LstmTokenModel } from '../model/lstm-model.js';
import type { MemorisationStored } from '../model/memorisation.js';
import type { MetreSettings } from '../model/metre.js';
import {
  createNetwork,
  paramCount,
  presetConfig,
  validateConfig,
  type ModelConfig,
  type PresetName,
} from '../nn/index.js';
import { barSteps } from '../time/index.js';
import { VOCABULARY, VOCAB_SIZE, countNotes, vocabularyMismatch } from '../tokens/index.js';
import { noteFrequencyBitsPerNote } from './baseline.js';
import { lstmSequence } from '../model/encoding.js';
import { finishModel } from './finish.js';
import {
  lstmBitsPerNote,
  startWeightsProblem,
  train,
  trainingPitchRange,
  type StepReport,
  type TrainerSnapshot,
  type TrainingResult,
  type ValidationReport,
  type WeightAccess,
} from './trainer.js';

export interface TrainingPiece {
  /** The file's name or path; the validation split hashes its base name. */
  file: string;
  melody: Melody;
}

/** How long a preset trains, and the network it builds when training from scratch. */
export interface TrainingPreset {
  /** Wall-clock budget of the training steps, seconds. */
  seconds: number;
  /** The most steps it takes, however fast the computer. */
  maxSteps: number;
  /** Network size when training from scratch (engine/nn presets). */
  network: PresetName;
  /** In words, for a menu: how long it takes. */
  summary: string;
}

export type TrainingPresetName = 'quick' | 'standard' | 'large';

export const TRAINING_PRESETS: Record<TrainingPresetName, TrainingPreset> = {
  quick: { seconds: 45, maxSteps: 1500, network: 'quick', summary: 'about a minute' },
  standard: { seconds: 240, maxSteps: 6000, network: 'standard', summary: 'about 5 minutes' },
  large: { seconds: 1800, maxSteps: 40000, network: 'large', summary: 'about 30 minutes' },
};
export const TRAINING_PRESET_NAMES = Object.keys(TRAINING_PRESETS) as TrainingPresetName[];

/**
 * Fine-tuning starts from weights that already know melodies: a gentler peak learning rate than
 * training from scratch (half the start model's), reached after a short warm-up so the first
 * steps on a new style do not wipe out what the model knew, then the same half-cosine decay.
 */
export const FINE_TUNE_LEARNING_RATE_FRACTION = 0.5;
export const FINE_TUNE_WARMUP_STEPS = 10;
/** From this many files on, the default preset is standard instead of quick when fine-tuning. */
export const LARGE_COLLECTION_FILES = 100;
/** Validations in a row without a new best before early stopping (once the floor is beaten). */
export const DEFAULT_PATIENCE = 8;

export type StartModel = { kind: 'scratch' } | { kind: 'model'; name: string; contents: ModelContents };

export interface TrainingRequest {
  pieces: readonly TrainingPiece[];
  start: StartModel;
  /** When the start model does not fit: true = train from scratch saying so (the default model); false = refuse. */
  fallBackToScratch?: boolean;
  /** Default: quick when fine-tuning on fewer than LARGE_COLLECTION_FILES files, else standard. */
  preset?: TrainingPresetName;
  /** Override the preset's step budget (then the time budget only caps it). */
  steps?: number;
  /** Override the preset's time budget, seconds; null = no time budget. */
  seconds?: number | null;
  seed?: number;
  /** Validations without a new best before stopping; 0 = never stop early. */
  patience?: number;
  /** Steps between validations; default about two per pass over the data, 1..100. */
  validateEvery?: number;
  /** Split window offset (engine/eval/split.ts). */
  splitOffset?: number;
  /** Training from scratch with this network instead of the preset's (the default model's recipe). */
  config?: ModelConfig;
  learningRate?: number;
  warmupSteps?: number;
  minLearningRateFraction?: number;
  maxTranspose?: number;
  /** Measure a few steps first to estimate the time and size the step budget; default true. */
  probe?: boolean;
  /** Continue this checkpoint; its configuration and settings win. */
  resume?: TrainerSnapshot;
  /** Plain data stored in every checkpoint (the CLI's arguments). */
  extra?: Record<string, unknown>;
  /** Milliseconds between time-based checkpoints; default 120 000. */
  checkpointEveryMs?: number;
}

export interface DataStats {
  files: number;
  notes: number;
  pitchMin: number;
  pitchMax: number;
  /** "6/8": number of pieces. */
  timeSignatures: Record<string, number>;
}

export interface TrainingPlan {
  start: { kind: 'scratch' | 'model'; name: string };
  config: ModelConfig;
  parameters: number;
  preset: TrainingPresetName;
  steps: number;
  maxSeconds: number | null;
  validateEvery: number;
  patience: number;
  learningRate: number;
  warmupSteps: number;
  trainFiles: string[];
  validationFiles: string[];
  /** How validation was arranged: the team's split, topped up, the pieces' ends, or none. */
  validation: 'split' | 'topped-up' | 'piece-ends' | 'none';
  trainNotes: number;
  validationNotes: number;
  stats: DataStats;
  /** Bits/note of the note-frequency baseline on the validation melodies: early stopping's floor. */
  floorBitsPerNote: number | null;
  /** Bits/note of the start weights on the validation melodies before training (null from scratch). */
  startBitsPerNote: number | null;
  /** Seconds per training step measured by the probe, and the training time it predicts. */
  estimate: { secondsPerStep: number; seconds: number } | null;
  pitchRange: { min: number; max: number };
  /** What was decided and why, one sentence each. */
  notes: string[];
  /** Small or odd data, in words. */
  warnings: string[];
}

export type PipelineEvent =
  | { type: 'plan'; plan: TrainingPlan }
  | ({ type: 'step' } & StepReport)
  | ({ type: 'validation' } & ValidationReport)
  | { type: 'checkpoint'; step: number }
  | { type: 'finishing'; line: string };

export interface PipelineHooks {
  onEvent?: (event: PipelineEvent) => void;
  signal?: AbortSignal;
  pause?: () => void | Promise<void>;
  onWeights?: (access: WeightAccess) => void;
  /** Store a checkpoint: the trainer's snapshot and a usable model of the best weights so far. */
  saveCheckpoint?: (snapshot: TrainerSnapshot, model: ModelContents) => void | Promise<void>;
  now?: () => number;
}

export interface PipelineResult {
  plan: TrainingPlan;
  stoppedBy: TrainingResult['stoppedBy'];
  step: number;
  elapsedSec: number;
  /** The model to save: finished (memory, metre, index) unless stopped by the signal. */
  model: ModelContents;
  bestBitsPerNote: number | null;
  history: { step: number; bitsPerNote: number }[];
}

/** A request the pipeline refuses (bad start model, no data), in one line. */
export class TrainingRequestError extends Error {
  override readonly name = 'TrainingRequestError';
}

/**
 * The preset to offer when the user has not chosen: fine-tuning a few dozen files has learned what
 * it can in well under a minute (early stopping ends it), while a few hundred files keep improving
 * for minutes (studies/fine-tune-study.ts: the best step was the last one), and training from
 * scratch needs minutes at any size.
 */
export function defaultTrainingPreset(fromModel: boolean, files: number): TrainingPresetName {
  return fromModel && files < LARGE_COLLECTION_FILES ? 'quick' : 'standard';
}

/** Why a model file cannot be the start of a training, in words, or null when it can. */
export function startModelProblem(contents: ModelContents): string | null {
  const { header } = contents;
  const vocabulary = vocabularyMismatch(header.vocabulary);
  if (vocabulary !== null) return `its token vocabulary is not this engine's (${vocabulary})`;
  if (header.extra?.kind !== 'lstm') return 'it is not an LSTM model';
  if (header.extra?.input !== LSTM_INPUT_CONVENTION)
    return 'its LSTM was trained with another input convention';
  const config = header.config as ModelConfig;
  try {
    validateConfig(config);
  } catch (e) {
    return (e as Error).message;
  }
  if (config.vocabSize !== VOCAB_SIZE) return `its LSTM reads ${config.vocabSize} tokens, not ${VOCAB_SIZE}`;
  if (config.extraVocabSize !== CONDITION_CLASSES)
    return `its LSTM reads ${config.extraVocabSize} bar positions, not ${CONDITION_CLASSES}`;
  return startWeightsProblem(config, contents.weights);
}

export function dataStats(pieces: readonly TrainingPiece[]): DataStats {
  let notes = 0;
  let pitchMin = 127;
  let pitchMax = 0;
  const timeSignatures: Record<string, number> = {};
  for (const { melody } of pieces) {
    notes += melody.notes.length;
    for (const n of melody.notes) {
      pitchMin = Math.min(pitchMin, n.pitch);
      pitchMax = Math.max(pitchMax, n.pitch);
    }
    const ts = melody.timeSignature.join('/');
    timeSignatures[ts] = (timeSignatures[ts] ?? 0) + 1;
  }
  return { files: pieces.length, notes, pitchMin, pitchMax, timeSignatures };
}

/** Few files, few notes, one metre, pieces outside the start model's range: one sentence each. */
export function dataWarnings(
  stats: DataStats,
  pieces: readonly TrainingPiece[],
  startRange?: { min: number; max: number },
): string[] {
  const out: string[] = [];
  if (stats.files < 20)
    out.push(
      `only ${stats.files} file${stats.files === 1 ? '' : 's'}: the model can pick up the surface of the style, ` +
        'not much more; 30 files help, a few hundred are better',
    );
  if (stats.notes < 3000)
    out.push(
      `only ${stats.notes.toLocaleString('en-US')} notes in all: expect the model to copy phrases of these pieces`,
    );
  const metres = Object.keys(stats.timeSignatures);
  if (metres.length === 1 && stats.files > 1)
    out.push(`every piece is in ${metres[0]}: the model will learn no other time signature from them`);
  if (startRange) {
    const outside = pieces.filter(({ melody }) => {
      const off = melody.notes.filter((n) => n.pitch < startRange.min || n.pitch > startRange.max).length;
      return off > 0.1 * melody.notes.length;
    });
    if (outside.length > 0)
      out.push(
        `${outside.length} of ${pieces.length} pieces have more than a tenth of their notes outside MIDI ` +
          `${startRange.min}–${startRange.max}, the range the start model learned (these pieces: ` +
          `${stats.pitchMin}–${stats.pitchMax}); it knows little of those pitches yet`,
      );
  }
  return out;
}

/**
 * The first three quarters of a melody and the rest, cut at a bar line, the rest shifted to start
 * at 0 (bar positions kept). Null when the melody is shorter than 4 bars or the cut leaves one side
 * without notes. How a collection of one or two files still gets a validation.
 */
export function splitPieceEnd(melody: Melody): { head: Melody; tail: Melody } | null {
  const bar = barSteps(melody.timeSignature);
  const last = melody.notes[melody.notes.length - 1];
  if (!last) return null;
  const end = last.start + last.duration;
  if (end < 4 * bar) return null;
  const cut = Math.round((0.75 * end) / bar) * bar;
  const head = melody.notes.filter((n) => n.start < cut);
  const tail = melody.notes.filter((n) => n.start >= cut);
  if (head.length === 0 || tail.length === 0) return null;
  return {
    head: { ...melody, notes: head.map((n) => ({ ...n, duration: Math.min(n.duration, cut - n.start) })) },
    tail: { ...melody, notes: tail.map((n) => ({ ...n, start: n.start - cut })) },
  };
}

function arrangeValidation(
  pieces: readonly TrainingPiece[],
  offset: number,
): { train: TrainingPiece[]; validation: TrainingPiece[]; how: TrainingPlan['validation']; note: string } {
  const split = splitByFile(pieces, (p) => p.file, DEFAULT_VALIDATION_FRACTION, offset);
  if (split.validation.length >= 2 && split.train.length > 0)
    return {
      ...split,
      how: 'split',
      note: `validation on ${split.validation.length} held-out files (the team's hash split)`,
    };
  if (pieces.length >= 3) {
    const small = splitSmallCollection(pieces, (p) => p.file, DEFAULT_VALIDATION_FRACTION, offset);
    return {
      train: small.train,
      validation: small.validation,
      how: 'topped-up',
      note:
        `validation on ${small.validation.length} held-out whole files of ${pieces.length} ` +
        `(a small collection: the hash split alone held out ${split.validation.length})`,
    };
  }
  const train: TrainingPiece[] = [];
  const validation: TrainingPiece[] = [];
  for (const p of pieces) {
    const cut = splitPieceEnd(p.melody);
    if (cut) {
      train.push({ file: p.file, melody: cut.head });
      validation.push({ file: `${p.file} (last quarter)`, melody: cut.tail });
    } else train.push(p);
  }
  if (validation.length === 0)
    return {
      train: pieces.slice(),
      validation: [],
      how: 'none',
      note: 'no validation: the pieces are too short to hold any of them out; the last weights are kept',
    };
  return {
    train,
    validation,
    how: 'piece-ends',
    note: `${pieces.length} file${pieces.length === 1 ? '' : 's'} cannot spare a whole one: training on the first three quarters of each piece, validating on the last quarter`,
  };
}

function memoryOf(contents: ModelContents): MemorySettings | undefined {
  return contents.header.extra?.memory as MemorySettings | undefined;
}

function rangeOf(contents: ModelContents): { min: number; max: number } | undefined {
  const r = contents.header.training.pitchRange as { min?: number; max?: number } | undefined;
  return r && typeof r.min === 'number' && typeof r.max === 'number' ? { min: r.min, max: r.max } : undefined;
}

/** The contents of a model file for an LSTM and what was fitted around it. */
export function lstmModelContents(
  config: ModelConfig,
  params: Float32Array,
  info: {
    training: Record<string, unknown>;
    metrics: Record<string, unknown>;
    memory?: MemorySettings;
    metre?: MetreSettings;
    memorisation?: MemorisationStored;
  },
): ModelContents {
  return {
    header: {
      vocabulary: VOCABULARY,
      config,
      training: info.training,
      metrics: info.metrics,
      extra: {
        kind: 'lstm',
        input: LSTM_INPUT_CONVENTION,
        ...(info.memory ? { memory: info.memory } : {}),
        ...(info.metre ? { metre: info.metre } : {}),
        ...(info.memorisation ? { memorisation: info.memorisation } : {}),
      },
    },
    weights: params,
  };
}

/** Seconds per training step of `config` on this computer: a few steps on the data, timed. */
export async function probeSecondsPerStep(
  config: ModelConfig,
  melodies: readonly Melody[],
  initialParams?: Float32Array,
  now: () => number = () => performance.now(),
): Promise<number> {
  const times: number[] = [];
  await train({
    config,
    train: melodies,
    validation: [],
    seed: 1,
    steps: 4,
    initialParams,
    now,
    callbacks: { onStep: () => times.push(now()) },
  });
  // The first step warms the kernels up; the three after it are the rate.
  return (times[times.length - 1] - times[0]) / 1000 / (times.length - 1);
}

/**
 * Plans a training: start model, split, budgets, floor, warnings, and (with the probe) the time it
 * will take here. The app calls it alone to show a preset's time before Start.
 */
export async function planTraining(
  request: TrainingRequest,
  now: () => number = () => performance.now(),
): Promise<{
  plan: TrainingPlan;
  train: TrainingPiece[];
  validation: TrainingPiece[];
  initialParams?: Float32Array;
  startMemory?: MemorySettings;
}> {
  if (request.pieces.length === 0) throw new TrainingRequestError('no melodies to train on');
  const notes: string[] = [];
  const warnings: string[] = [];
  let start = request.start;
  const resumed = request.resume?.state;
  if (start.kind === 'model') {
    const problem = startModelProblem(start.contents);
    if (problem !== null) {
      if (!request.fallBackToScratch)
        throw new TrainingRequestError(`${start.name} cannot be trained further: ${problem}`);
      warnings.push(`${start.name} cannot be the start: ${problem}; training from scratch instead`);
      start = { kind: 'scratch' };
    }
  }
  const fromModel = start.kind === 'model' ? start : null;
  const presetName = request.preset ?? defaultTrainingPreset(fromModel !== null, request.pieces.length);
  const preset = TRAINING_PRESETS[presetName];
  const config: ModelConfig =
    resumed?.config ??
    (fromModel
      ? (fromModel.contents.header.config as ModelConfig)
      : (request.config ?? presetConfig(preset.network, VOCAB_SIZE, CONDITION_CLASSES)));
  notes.push(
    fromModel
      ? `starting from ${fromModel.name} (${config.layers}×${config.hiddenSize} LSTM): fine-tuning its weights`
      : `starting from scratch (${config.layers}×${config.hiddenSize} LSTM, random weights)`,
  );

  const arranged = arrangeValidation(request.pieces, request.splitOffset ?? 0);
  notes.push(arranged.note);
  const stats = dataStats(request.pieces);
  const startRange = fromModel ? rangeOf(fromModel.contents) : undefined;
  warnings.push(...dataWarnings(stats, request.pieces, startRange));

  const trainMelodies = arranged.train.map((p) => p.melody);
  const validMelodies = arranged.validation.map((p) => p.melody);
  const own = trainingPitchRange(trainMelodies);
  const pitchRange =
    resumed?.settings.pitchRange ??
    (startRange ? { min: Math.min(own.min, startRange.min), max: Math.max(own.max, startRange.max) } : own);
  const floor = validMelodies.length > 0 ? noteFrequencyBitsPerNote(trainMelodies, validMelodies) : null;

  const initialParams = fromModel ? fromModel.contents.weights : undefined;
  let startBitsPerNote: number | null = null;
  const validationNotes = arranged.validation.reduce((n, p) => n + p.melody.notes.length, 0);
  if (initialParams && validMelodies.length > 0) {
    const pieces = validMelodies.map(lstmSequence);
    const count = pieces.reduce((n, p) => n + countNotes(p.tokens.subarray(1)), 0);
    startBitsPerNote = lstmBitsPerNote(
      createNetwork(config),
      initialParams,
      pieces,
      count,
      config.batchSize,
      config.seqLen,
    );
  }

  const B = config.batchSize;
  const T = config.seqLen;
  const trainTokens = trainMelodies.reduce((n, m) => n + lstmSequence(m).tokens.length - 1, 0);
  const stepsPerPass = Math.max(1, Math.ceil(trainTokens / (B * T)));
  const maxSeconds = resumed
    ? resumed.settings.maxSeconds
    : request.seconds === undefined
      ? preset.seconds
      : request.seconds;
  const validateEvery =
    resumed?.settings.validateEvery ??
    request.validateEvery ??
    Math.max(1, Math.min(100, Math.round(stepsPerPass / 2)));
  let estimate: TrainingPlan['estimate'] = null;
  let steps = resumed?.settings.steps ?? request.steps ?? preset.maxSteps;
  if (request.probe ?? true) {
    const secondsPerStep = await probeSecondsPerStep(config, trainMelodies, initialParams, now);
    // A validation reads the validation tunes forward only: about a third of a training step per batch.
    const validTokens = validMelodies.reduce((n, m) => n + lstmSequence(m).tokens.length - 1, 0);
    const perValidation = ((validTokens / (B * T)) * secondsPerStep) / 3;
    const perStep = secondsPerStep + perValidation / validateEvery;
    if (!resumed && request.steps === undefined && maxSeconds !== null)
      // 90 %: checkpoints share the time too, and the schedule should end before the cap.
      steps = Math.max(1, Math.min(preset.maxSteps, Math.floor((0.9 * maxSeconds) / perStep)));
    estimate = { secondsPerStep, seconds: Math.min(maxSeconds ?? Infinity, steps * perStep) };
  }
  const passes = steps / stepsPerPass;
  notes.push(
    `budget: ${steps.toLocaleString('en-US')} steps (${passes < 10 ? passes.toFixed(1) : Math.round(passes)} passes over the training tunes)` +
      (maxSeconds === null ? '' : `, at most ${Math.round(maxSeconds)} s`),
  );
  if (passes < 1)
    warnings.push(
      `the budget covers ${Math.round(passes * 100)} % of one pass over the training tunes: choose a longer preset`,
    );
  const patience = resumed?.settings.patience ?? request.patience ?? DEFAULT_PATIENCE;
  const learningRate =
    resumed?.settings.learningRate ??
    request.learningRate ??
    (fromModel ? config.learningRate * FINE_TUNE_LEARNING_RATE_FRACTION : config.learningRate);
  const warmupSteps =
    resumed?.settings.warmupSteps ?? request.warmupSteps ?? (fromModel ? FINE_TUNE_WARMUP_STEPS : 0);
  if (floor !== null)
    notes.push(
      `early stopping after ${patience} validations without a new best, once below the note-frequency baseline of ${floor.toFixed(3)} bits/note`,
    );
  const plan: TrainingPlan = {
    start: fromModel ? { kind: 'model', name: fromModel.name } : { kind: 'scratch', name: 'scratch' },
    config,
    parameters: paramCount(config),
    preset: presetName,
    steps,
    maxSeconds,
    validateEvery,
    patience,
    learningRate,
    warmupSteps,
    trainFiles: arranged.train.map((p) => p.file),
    validationFiles: arranged.validation.map((p) => p.file),
    validation: arranged.how,
    trainNotes: arranged.train.reduce((n, p) => n + p.melody.notes.length, 0),
    validationNotes,
    stats,
    floorBitsPerNote: floor,
    startBitsPerNote,
    estimate,
    pitchRange,
    notes,
    warnings,
  };
  return {
    plan,
    train: arranged.train,
    validation: arranged.validation,
    initialParams,
    startMemory: fromModel ? memoryOf(fromModel.contents) : undefined,
  };
}

/** Runs a whole training: plan, train, finish. See the file's comment. */
export async function runTraining(
  request: TrainingRequest,
  hooks: PipelineHooks = {},
): Promise<PipelineResult> {
  const emit = hooks.onEvent ?? (() => {});
  const now = hooks.now ?? (() => performance.now());
  const planned = await planTraining(request, now);
  const { plan } = planned;
  emit({ type: 'plan', plan });
  const trainMelodies = planned.train.map((p) => p.melody);
  const training = (state: TrainerSnapshot['state']): Record<string, unknown> => ({
    from: plan.start.name,
    ...(request.extra?.data ? { data: request.extra.data } : {}),
    trainFiles: plan.trainFiles.length,
    validationFiles: plan.validationFiles.length,
    validation: plan.validation,
    // Base names only: a model file is exported and shared, the user's folders stay on this computer.
    validationFileNames: plan.validationFiles.map(baseName),
    split: `engine/eval/split.ts (FNV-1a of the base name, 10 %${request.splitOffset ? `, from ${request.splitOffset}` : ''})`,
    ...(request.splitOffset ? { splitOffset: request.splitOffset } : {}),
    preset: plan.preset,
    seed: request.seed ?? 1,
    stepBudget: plan.steps,
    secondsBudget: plan.maxSeconds,
    steps: state.step,
    bestStep: state.bestStep,
    trainingSeconds: Math.round(state.elapsedSec),
    parameters: plan.parameters,
    finished: state.finished,
    // generation keeps the in-piece memories to the pitches the LSTM learned (engine/memory)
    pitchRange: state.settings.pitchRange,
  });
  const metrics = (best: number | null): Record<string, unknown> => ({
    ...(best === null ? {} : { validationBitsPerNoteLstm: best }),
    ...(plan.floorBitsPerNote === null ? {} : { validationBitsPerNoteNoteFrequency: plan.floorBitsPerNote }),
    ...(plan.startBitsPerNote === null ? {} : { validationBitsPerNoteStartModel: plan.startBitsPerNote }),
  });
  const result = await train({
    config: plan.config,
    train: trainMelodies,
    validation: planned.validation.map((p) => p.melody),
    seed: request.seed ?? 1,
    steps: plan.steps,
    maxSeconds: plan.maxSeconds ?? undefined,
    validateEvery: plan.validateEvery,
    patience: plan.patience,
    floorBitsPerNote: plan.floorBitsPerNote ?? undefined,
    initialParams: planned.initialParams,
    learningRate: plan.learningRate,
    warmupSteps: plan.warmupSteps,
    maxTranspose: request.resume?.state.settings.maxTranspose ?? request.maxTranspose ?? 6,
    pitchRange: plan.pitchRange,
    minLearningRateFraction:
      request.resume?.state.settings.minLearningRateFraction ?? request.minLearningRateFraction ?? 0.1,
    checkpointEveryMs: request.checkpointEveryMs,
    resume: request.resume,
    signal: hooks.signal,
    pause: hooks.pause,
    onWeights: hooks.onWeights,
    now,
    extra: request.extra,
    callbacks: {
      onStep: (r) => emit({ type: 'step', ...r }),
      onValidation: (v) => emit({ type: 'validation', ...v }),
      onCheckpoint: (step) => emit({ type: 'checkpoint', step }),
    },
    saveCheckpoint: hooks.saveCheckpoint
      ? (snapshot, best) =>
          hooks.saveCheckpoint!(
            snapshot,
            lstmModelContents(plan.config, best, {
              training: training(snapshot.state),
              metrics: metrics(snapshot.state.bestBitsPerNote),
            }),
          )
      : undefined,
  });
  const info = { training: training(result.snapshot.state), metrics: metrics(result.bestBitsPerNote) };
  const base = {
    plan,
    stoppedBy: result.stoppedBy,
    step: result.step,
    elapsedSec: result.elapsedSec,
    bestBitsPerNote: result.bestBitsPerNote,
    history: result.history,
  };
  if (result.stoppedBy === 'abort')
    return { ...base, model: lstmModelContents(plan.config, result.params, info) };
  const finished = finishModel({
    lstm: new LstmTokenModel(plan.config, result.params),
    train: trainMelodies,
    validation: planned.validation.map((p) => ({ name: p.file, melody: p.melody })),
    pitchRange: plan.pitchRange,
    startMemory: planned.startMemory,
    onStep: (line) => emit({ type: 'finishing', line }),
  });
  return {
    ...base,
    model: lstmModelContents(plan.config, result.params, {
      ...info,
      metrics: { ...info.metrics, ...finished.metrics },
      memory: finished.memory,
      metre: finished.metre,
      memorisation: finished.memorisation,
    }),
  };
}

/**
 * A pause button for `PipelineHooks.pause`: `pause()` holds training before its next step,
 * `resume()` lets it go on; paused time is not counted against the time budget. Pass `gate.wait`.
 */
export class PauseGate {
  private held: { promise: Promise<void>; release: () => void } | null = null;

  get paused(): boolean {
    return this.held !== null;
  }

  pause(): void {
    if (this.held) return;
    let release: () => void = () => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
  }

  resume(): void {
    const held = this.held;
    this.held = null;
    held?.release();
  }

  /** What the trainer awaits before each step. */
  readonly wait = (): Promise<void> | undefined => this.held?.promise;
}
