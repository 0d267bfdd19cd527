/**
 * The renderer ↔ main contract: the only API the renderer may call (`window.continuo`) and the only
 * events it may receive. Written once; Electron main's IPC binding, the preload object, the browser
 * host and test doubles are all checked against it by the compiler.
 *
 * Each method's arguments are declared once, as a schema in `schemas.ts`; their types here are
 * inferred from it, and main validates every call against it before any service sees it. Results
 * and events are written here: they come from our own services, not from the page.
 *
 * Only plain data crosses: melodies, reports, byte arrays. Never a file path chosen by the renderer.
 *
 * ## Long work is a job
 *
 * A method that starts long work (importing now; generating and training next) does not wait for
 * it: it returns `{ job }` at once, a `JobId` (a result with a string `job` always names a job that
 * has begun). From then on the work speaks through four events, each carrying `job`:
 *
 * - `job.progress {job, kind, progress}`: any number, in order; `kind` (an `ApiJobs` key) says what
 *   `progress` holds. Progress carries the partial results as they exist, not only counts: the files
 *   imported so far, each generated variation as it is ready, the training curves. The producer
 *   throttles it to what a view can use (≤ 10 a second); nothing in it is repeated at the end.
 * - then exactly one of `job.done {job, kind, result}`, `job.failed {job, message}` (one line, fit
 *   to show) or `job.cancelled {job}`. A client that loses its host ends the jobs it knew of with
 *   `job.failed` itself (the browser client does), so no follower waits forever.
 *
 * `jobs.cancel {job}` stops any job; what its progress already delivered stays delivered (an
 * import keeps the files read so far). It answers `{cancelled: false}` for a job that has already
 * ended. The id, not the call, is the job's handle, so a training run of many minutes is not a
 * promise held open across a process boundary, and one listener serves every job in the window.
 *
 * The reply with the id is sent before the job's first event on both hosts, but Electron carries
 * replies and events on different paths: a client subscribes to the job events before it calls,
 * and matches them by id (renderer/lib/api/jobs.ts does this once for the page).
 *
 * A generation job streams variations as progress and is superseded by starting a newer one (the
 * older ends `job.cancelled`); a training job reports throttled progress for minutes and can be
 * paused: `jobs.pause {job}` / `jobs.resume {job}`, which, like `jobs.cancel`, take only the id
 * (they answer false for a job that cannot pause or has ended).
 * A job whose input is too large for one message takes it in parts: `library.importFiles` announces
 * the `total` and carries the first part, `library.importMore` the rest.
 */
import type { z } from 'zod';
import type { ExtractionReport, Melody, TrackInfo } from '../../engine/midi/types.js';
import type {
  MethodArgSchemas,
  continuoDocument,
  fileUpload,
  trainingAdvanced,
  trainingFrom,
  trainingPresetName,
  generationPart,
  generationSettings,
  samplingSettings,
  saveKind,
  scaleChoice,
  scaleName,
} from './schemas.js';

export type { ExtractionReport, Melody, Note, TrackInfo } from '../../engine/midi/types.js';

/** A file the renderer read itself (file picker, folder picker, drag and drop). */
export type FileUpload = z.output<typeof fileUpload>;

/** One imported source file and the melody extracted from it. */
export interface ImportedFile {
  id: string; // stable for the session; the key for selectTrack/remove
  fileName: string;
  tracks: TrackInfo[];
  melodyTrack: number; // index into `tracks` the melody was taken from
  melody: Melody;
  report: ExtractionReport;
}

/** Import never throws for bad files: each file yields its melody or a one-line reason. */
export type ImportOutcome = { ok: true; file: ImportedFile } | { ok: false; fileName: string; error: string };

export interface Credit {
  what: string; // e.g. 'Piano samples'
  who: string; // e.g. 'Alexander Holm (Salamander Grand Piano)'
  license: string; // e.g. 'CC BY 3.0'
  url?: string;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  /** True where main can show native open/save dialogs (Electron); the browser host cannot. */
  nativeDialogs: boolean;
  credits: Credit[];
}

export type SaveKind = z.output<typeof saveKind>;

/** A job's handle: stable for the session, unique among all jobs. */
export type JobId = string;

/** What a method that starts a job answers at once. */
export interface JobStarted {
  job: JobId;
}

/** How far an import has got, with the outcomes of the files settled since its previous progress. */
export interface ImportProgress {
  done: number; // files settled so far, of `total`
  total: number;
  fileName: string; // the last file settled ('' before the first)
  outcomes: ImportOutcome[]; // in import order; each file's outcome arrives exactly once
}

// ---------------------------------------------------------------------------------------------
// Generation (issue 9). Every model-touching call runs in the model worker, which loads each model
// file once; main only validates, routes and supersedes.

/** One of the engine's scales (engine/sample/constraints.ts SCALES). */
export type ScaleName = z.output<typeof scaleName>;
/** A key/scale lock: the tonic's pitch class (0 = C … 11 = B) and the scale built on it. */
export type ScaleChoice = z.output<typeof scaleChoice>;

/**
 * What the user chose in the Generate panel, as one record (`generationSettings` in schemas.ts):
 * `modelId` (a `ModelInfo.id`), `bars` after the seed's last bar line, `variations` 1–16,
 * `temperature` (0 = always the most likely), `topK` (0 = off), `topP` (1 = off), `novelty` 0
 * ("develop my motifs") … 1 ("new ideas") or null for the model's own, `scale` a `ScaleChoice`,
 * `'detect'` (from the seed's notes, in the worker; the key found is reported) or null (no lock),
 * `range` of MIDI pitches or null, `maxRepeats` of the same pitch in a row or null, `randomSeed`.
 */
export type GenerationSettings = z.output<typeof generationSettings>;
/** The settings of a bar-range regeneration: `GenerationSettings` without `bars` and `variations`. */
export type SamplingSettings = z.output<typeof samplingSettings>;

/**
 * A model the app can generate with: the bundled default (always there, cannot be renamed or
 * deleted), the models trained in the app, and the model files the user imported. Trained and
 * imported models live in the app's data folder (`<userData>/models/`); `models.list` lists them.
 */
export interface ModelInfo {
  /** Stable id: `'default'` for the bundled model; trained and imported ones get their own (never `'scratch'`). */
  id: string;
  name: string;
  /** Shipped with the app (cannot be deleted). */
  builtIn: boolean;
  /** Where it came from: shipped with the app, trained here (`trainer.train` or `models.use` of a checkpoint), or imported. */
  origin: 'bundled' | 'trained' | 'imported';
  /** When it was added to this app (ISO 8601), null for the bundled model. */
  addedAt: string | null;
  /** Seconds of training recorded in the file (pauses not counted), null when it does not say. */
  trainingSeconds: number | null;
  /** The model it was fine-tuned from (its name), `'scratch'`, or null when the file does not say. */
  trainedFrom: string | null;
  /** Its card: validation bits per note of the engine's model (LSTM + memories), and of the LSTM alone. */
  bitsPerNote: number | null;
  bitsPerNoteLstm: number | null;
  /** What it learned from. */
  training: {
    /** Where the training data came from, as recorded in the file (folders, not the user's paths). */
    data: string[];
    trainTunes: number | null;
    validationTunes: number | null;
    epochs: number | null;
    /** Training steps taken (budgets are in steps), null when the file does not say. */
    steps: number | null;
    parameters: number | null;
  };
  /** The model's own novelty (what `novelty: null` means), 0 … 1. */
  novelty: number;
  /** The pitches its LSTM was trained on (a sensible default range), or null when the file does not say. */
  pitchRange: { min: number; max: number } | null;
  /** True when the file carries the index of its training melodies, so results get a memorisation meter. */
  memorisationIndex: boolean;
  /** Why the model cannot be used (a damaged or missing file), or null when it can. */
  problem: string | null;
}

/** What the Generate panel offers: the engine's scales, defaults and limits. */
export interface GeneratorOptions {
  scales: { name: ScaleName; intervals: number[] }[];
  /** The engine's defaults (engine/sample/defaults.ts); the model's own novelty is in `ModelInfo`. */
  defaults: { bars: number; variations: number; temperature: number; topK: number; topP: number };
  limits: {
    bars: number;
    variations: number;
    candidates: number;
    maxRepeats: number;
    randomSeed: number;
    topK: number;
    temperature: number;
  };
  /** The model a new document starts with. */
  defaultModelId: string;
}

/**
 * Does a result copy the model's training data: its longest run of notes found verbatim in the
 * training melodies (runs shorter than 8 notes count as 0), with `warning` from 8 notes up
 * (engine/model/memorisation.ts); `missing` for a model without the index, saying why.
 */
export type Memorisation = { longestRun: number; warning: boolean } | { missing: string };

/** What made a result, so "regenerate exactly" can make it again note for note. */
export interface GenerationRecipe {
  modelId: string;
  modelName: string;
  /**
   * The settings as they were applied: `scale` is never `'detect'` (the key found, or null) and
   * `novelty` is never null (the model's own value).
   */
  settings: GenerationSettings;
  /** The variation's number: it drew from Rng(randomSeed, variation), whatever the batch size. */
  variation: number;
}

/**
 * One continuation. `melody` is the seed's notes followed by the new ones (`notes.slice(seedNotes)`
 * are new; they start after the seed, at or after its last bar line, and end by `endStep`).
 * Reproduce it with `generator.generate {seed: <melody's first seedNotes notes>, settings:
 * {...made.settings, variations: 1}, firstVariation: made.variation}`.
 */
export interface GeneratedVariation {
  index: number;
  melody: Melody;
  seedNotes: number;
  /** The step (16th notes, as every note's start) at which it ends: a bar line. */
  endStep: number;
  memorisation: Memorisation;
  made: GenerationRecipe;
}

/** `generator.generate` progress: the variations finished since the previous progress, in index order. */
export interface GenerateProgress {
  done: number;
  total: number;
  variations: GeneratedVariation[];
}

export interface GenerateResult {
  /** Variations delivered (all of them: a cancelled job ends `job.cancelled` instead). */
  variations: number;
  /** The key lock applied: the chosen one, the one detected from the seed, or null (none). */
  scale: ScaleChoice | null;
  /** True when `scale` was detected from the seed (settings.scale was `'detect'`). */
  detected: boolean;
}

/** `generator.regenerate`'s result: the melody with bars fromBar..toBar sampled again. */
export interface RegenerateResult {
  melody: Melody;
  fromBar: number;
  toBar: number;
  /** Index into `candidates` of the one chosen: the one after which the kept notes were most likely. */
  chosen: number;
  /** Each candidate's notes for the range and the bits of the kept notes after it (0 when none follow). */
  candidates: { notes: Melody['notes']; keptBits: number }[];
  /** The chosen candidate's notes are `melody.notes.slice(range.first, range.end)`. */
  range: { first: number; end: number };
  memorisation: Memorisation;
  /** The settings as applied (scale and novelty resolved, as in `GenerationRecipe`). */
  made: { modelId: string; modelName: string; settings: SamplingSettings; candidates: number };
}

/** The model's next-note distribution at one step of a melody (the edit cursor). */
export interface NextNoteDistribution {
  step: number;
  /** pitches[p]: probability that the next note, starting at `step`, has MIDI pitch p (128 entries, sum 1). */
  pitches: number[];
  /** Probability that a rest comes first instead of a note starting at `step`. */
  rest: number;
  /** Probability that the melody ends here. */
  end: number;
}

/** What the model thinks of a melody (engine/eval/analysis.ts). */
export interface MelodyAnalysis {
  modelId: string;
  /** Each note's surprise: −log2 p of its tokens (rest before it, pitch, duration), and of its pitch alone. */
  notes: { index: number; bits: number; pitchBits: number }[];
  endBits: number;
  totalBits: number;
  /** The distribution at `step` when one was asked for, else null. */
  next: NextNoteDistribution | null;
}

// ---------------------------------------------------------------------------------------------
// Training (issue 10). A training run learns from imported library files in its own worker thread
// (one per run, never the worker that imports and generates), starting from a model (fine-tuning,
// the default) or from scratch. engine/train/pipeline.ts decides the split, budgets, early stopping
// and warnings; the trainer service (app/services/trainer.ts) owns the worker and the run's folder.
//
// The life of a run, as the Train panel sees it:
//  1. `trainer.options` (presets, defaults, limits) and `trainer.estimate {fileIds, from, preset,
//     advanced}`: the data's statistics, what extraction dropped, the plan in words, warnings, and
//     the time it will take on this computer (a timed probe of a few steps in a throwaway worker).
//  2. `trainer.start` → `{job}` of kind `'trainer.train'`. Its progress (≤ 10 a second) carries
//     the new chart points since the previous progress (training and validation bits/note,
//     gradient norm, tokens/s), the step, the ETA and, once, the plan with the reference lines.
//     `jobs.pause`/`jobs.resume`/`jobs.cancel` take the job id. `trainer.listen {job, seed, bars}`
//     continues a seed from a snapshot of the current weights while training goes on.
//  3. Checkpoints are written atomically as the run goes (whenever validation finds a new best,
//     and every two minutes); each progress lists the new ones with their validation score, and
//     `trainer.checkpoints {run}` lists them all. `models.use {from: checkpoint}` saves one as a
//     model and makes it the active model for generation.
//  4. The run ends: `job.done` with the finished model (in-piece memory, metre and memorisation
//     index fitted, saved in the models folder, listed by `models.list`); `job.cancelled` keeping
//     the last checkpoint (the run can be resumed); or `job.failed` with what happened (the worker
//     crashed, the disk refused a write): the run can be resumed from its last checkpoint.
//  5. A run the app was killed during (or that failed, or was cancelled) stays in the data folder
//     (`<userData>/training/<run>/`: the run record, the training melodies, the checkpoint):
//     `trainer.interrupted` lists them at the next start, `trainer.resume {run}` continues one
//     exactly where its last checkpoint left it (a new job), `trainer.discard {run}` deletes it.

/** A training run's handle: stable across restarts of the app (the run's folder is named by it). */
export type RunId = string;

/** engine/train/pipeline.ts TRAINING_PRESETS: 'quick' (about a minute), 'standard', 'large'. */
export type TrainingPresetName = z.output<typeof trainingPresetName>;
/** Where a training starts: a `ModelInfo.id` (fine-tune its weights) or `'scratch'` (random weights). */
export type TrainingFrom = z.output<typeof trainingFrom>;
/**
 * Advanced settings, each optional (absent = the preset's or the engine's choice): `steps` (the step
 * budget; the time budget then only caps it), `seconds` (time budget; null = none, steps only),
 * `seed` (random seed of the run), `patience` (validations without a new best before stopping
 * early; 0 = never), `validateEvery` (steps between validations), `learningRate` (peak),
 * `maxTranspose` (semitones of random transposition, 0 = off), `name` (the trained model's name).
 */
export type TrainingAdvanced = z.output<typeof trainingAdvanced>;

export interface TrainingPresetInfo {
  name: TrainingPresetName;
  /** Its wall-clock budget of training, seconds, and the most steps it takes. */
  seconds: number;
  maxSteps: number;
  /** In words, for the menu: "about a minute". The time measured here is `trainer.estimate`'s. */
  summary: string;
}

/** What the Train panel offers: presets, the defaults the advanced settings start from, limits. */
export interface TrainerOptions {
  presets: TrainingPresetInfo[];
  /**
   * What the panel starts with: from the bundled default model, and a preset chosen by the data
   * until the user picks one (engine/train/pipeline.ts defaultTrainingPreset): `preset` (quick) when
   * fine-tuning fewer than `largeCollectionFiles` files, standard from that many on and from scratch.
   */
  defaults: {
    preset: TrainingPresetName;
    largeCollectionFiles: number;
    from: TrainingFrom;
    seed: number;
    patience: number;
    maxTranspose: number;
  };
  limits: {
    files: number;
    steps: number;
    seconds: number;
    patience: number;
    validateEvery: number;
    maxTranspose: number;
    listenBars: number;
  };
}

/** The data a run would learn from, before it starts. */
export interface TrainingDataStats {
  /** Files asked for, and the melodies (files with notes) among them. */
  files: number;
  melodies: number;
  notes: number;
  /** Lowest and highest MIDI pitch, null without notes. */
  pitchRange: { min: number; max: number } | null;
  /** Each time signature ("6/8") and how many melodies are in it, most common first. */
  timeSignatures: { signature: string; melodies: number }[];
  /** What extraction dropped or changed, summed over the files (ExtractionReport's counts). */
  extraction: {
    rawNotes: number;
    keptNotes: number;
    droppedChordNotes: number;
    mergedByQuantization: number;
    truncatedByNextOnset: number;
    zeroLengthExtended: number;
    ignoredTracks: number;
    /** One line per reason, with how many files it touched: "3 files: drum track ignored". */
    reasons: string[];
  };
  /** Files that cannot take part (no notes), by name, with why. */
  excluded: { fileName: string; reason: string }[];
}

/** What the pipeline decided for a run, in numbers and in words (engine TrainingPlan, plain data). */
export interface TrainingPlanInfo {
  /** The start: a model's name, or 'scratch'. */
  start: { kind: 'scratch' | 'model'; name: string };
  preset: TrainingPresetName;
  parameters: number;
  /** The LSTM's size. */
  network: { layers: number; hiddenSize: number };
  /** The step budget and the time budget (seconds, null = none). */
  steps: number;
  maxSeconds: number | null;
  validateEvery: number;
  patience: number;
  learningRate: number;
  /** How validation was arranged: the hash split, topped up, the pieces' last quarters, or none. */
  validation: 'split' | 'topped-up' | 'piece-ends' | 'none';
  trainFiles: number;
  validationFiles: number;
  trainNotes: number;
  validationNotes: number;
  /**
   * The charts' reference lines, in bits/note on the validation melodies: the start model before
   * training (null from scratch or without validation), and the note-frequency baseline of the same
   * data (null without validation). Early stopping waits until the model beats the baseline.
   */
  reference: { startModel: number | null; noteFrequency: number | null };
  /** What was decided and why, and small or odd data, one sentence each. */
  notes: string[];
  warnings: string[];
}

/** `trainer.estimate`'s answer. */
export interface TrainingEstimate {
  stats: TrainingDataStats;
  plan: TrainingPlanInfo;
  /** Measured on this computer: seconds per training step and the training time it predicts. */
  secondsPerStep: number;
  seconds: number;
  /** `plan.warnings` and any about the data itself ("only 12 files"), in words. */
  warnings: string[];
}

/** One checkpoint of a run: a usable model of the best weights at that point, and its score. */
export interface CheckpointInfo {
  run: RunId;
  /** The step it was written at (its id within the run). */
  step: number;
  /** Validation bits/note of the weights it holds (the best so far), null without validation. */
  validationBitsPerNote: number | null;
  /** The step those weights come from. */
  bestStep: number;
  /** Training seconds at that point, and when it was written (ISO 8601). */
  elapsedSec: number;
  savedAt: string;
}

/** One point of a chart: x is the step. */
export interface CurvePoint {
  step: number;
  value: number;
}

/**
 * `trainer.train` progress: what happened since the previous progress. Curves arrive as new points
 * only (append them); `plan` comes once, in the first progress after planning (and again in the
 * first progress of a resumed run, whose `validation` then also holds the validations before it).
 */
export interface TrainProgress {
  run: RunId;
  /** `planning` (splitting, probing), `training`, `paused`, `finishing` (fitting memory, metre, index). */
  phase: 'planning' | 'training' | 'paused' | 'finishing';
  step: number;
  /** The step budget; training may end earlier (time budget, early stopping). */
  totalSteps: number;
  elapsedSec: number;
  /** Seconds to the end of the step or time budget at the recent rate; null before the first step. */
  etaSec: number | null;
  /** Latest tokens/s of training (over recent steps), null before the first step. */
  tokensPerSec: number | null;
  plan: TrainingPlanInfo | null;
  /** Training loss of each step, bits/note of its batch. */
  train: CurvePoint[];
  /** Validation bits/note of the LSTM alone, at each validation. */
  validation: CurvePoint[];
  /** Global gradient norm before clipping, each step. */
  gradNorm: CurvePoint[];
  /** Tokens per second, each step. */
  tokensPerSecCurve: CurvePoint[];
  /** Checkpoints written since the previous progress. */
  checkpoints: CheckpointInfo[];
  /** The finishing phase's steps in words ("fitting the in-piece memory…"). */
  lines: string[];
}

/** `trainer.train` result: the run's model, saved in the models folder and listed by `models.list`. */
export interface TrainResult {
  run: RunId;
  model: ModelInfo;
  stoppedBy: 'steps' | 'time' | 'early-stop';
  step: number;
  elapsedSec: number;
  bestBitsPerNote: number | null;
}

/** `trainer.listen`'s answer: a continuation from the weights of `step`, training undisturbed. */
export interface ListenResult {
  step: number;
  /** The seed's notes followed by the new ones (`notes.slice(seedNotes)` are new), ending at `endStep`. */
  melody: Melody;
  seedNotes: number;
  endStep: number;
}

/** A run in the data folder that no job is running: killed with the app, failed, or cancelled. */
export interface InterruptedRun {
  run: RunId;
  name: string;
  /** `interrupted`: the app stopped while it ran; `failed`: its worker died or a write failed; `cancelled`: stopped by the user. */
  reason: 'interrupted' | 'failed' | 'cancelled';
  /** The failure's message (failed runs), else null. */
  message: string | null;
  from: string;
  preset: TrainingPresetName;
  files: number;
  startedAt: string;
  /** Where it will resume: the last checkpoint's step (0 when there is none: it restarts), of `totalSteps`. */
  step: number;
  totalSteps: number;
  bestBitsPerNote: number | null;
  checkpoints: CheckpointInfo[];
}

// The document (issue 9): what the user made, autosaved and restored on start, saved and opened.

/**
 * A document file (`continuoDocument` in schemas.ts): `{format: 'continuo-document', version: 1,
 * seed, generation}`. The window composes it from its parts (renderer/lib/state/autosave.svelte.ts),
 * each giving and taking its own plain data: `seed` is the seed melody, `generation` the Generate
 * panel's settings and results (null where none was saved).
 */
export type ContinuoDocument = z.output<typeof continuoDocument>;
/** The seed editor's part of a document: the seed melody (notes, tempo, time signature). */
export type SeedPart = ContinuoDocument['seed'];
/** The Generate panel's part: its settings and its list of results. */
export type GenerationPart = z.output<typeof generationPart>;
/**
 * One result of the list as a document keeps it: `key` (unique in the list), `label` (what the list
 * calls it), `melody` (the seed's notes, then `melody.notes.slice(seedNotes)` the new ones), its
 * `memorisation`, the recipe that `made` it (null for a regenerated bar range) and where a
 * regenerated range came from (`regenerated`, else null).
 */
export type DocumentResult = GenerationPart['results'][number];

/** What `document.restore` found on start. */
export interface RestoredDocument {
  /** The last autosaved document, or null when there is none (a first start) or none could be read. */
  document: ContinuoDocument | null;
  /** `'backup'` when the latest autosave was missing or damaged and the one before it was used. */
  source: 'autosave' | 'backup' | null;
  /**
   * What was wrong with the autosave (one line, naming the file and where the damaged file was
   * kept), or null when nothing was.
   */
  problem: string | null;
}

/** A document file opened by the user. */
export interface OpenedDocument {
  /** The file's base name, for the window's title. */
  fileName: string;
  document: ContinuoDocument;
}

/** Every kind of job: what its progress events carry, and what its `job.done` carries. */
export interface ApiJobs {
  'library.import': { progress: ImportProgress; result: { imported: number; failed: number } };
  /**
   * Variations as they are made (rounds of four in the worker, throttled to ≤ 10 a second). Starting
   * another `generator.generate` ends a running one with `job.cancelled`; what it delivered stays.
   */
  'generator.generate': { progress: GenerateProgress; result: GenerateResult };
  /** Bars of a melody sampled again with rescoring; no progress (one short step in the worker). */
  'generator.regenerate': { progress: never; result: RegenerateResult };
  /**
   * A training run (`trainer.start`, `trainer.resume`): throttled progress for minutes, pausable.
   * Cancel keeps the last checkpoint; a failure (the worker died) leaves the run resumable.
   */
  'trainer.train': { progress: TrainProgress; result: TrainResult };
}

export type JobKind = keyof ApiJobs;

type JobProgressEvents = { [K in JobKind]: { job: JobId; kind: K; progress: ApiJobs[K]['progress'] } };
type JobDoneEvents = { [K in JobKind]: { job: JobId; kind: K; result: ApiJobs[K]['result'] } };

/** `job.progress` of a job of kind `K` (of any kind when `K` is left out). */
export type JobProgressEvent<K extends JobKind = JobKind> = JobProgressEvents[K];
export type JobDoneEvent<K extends JobKind = JobKind> = JobDoneEvents[K];
export interface JobFailedEvent {
  job: JobId;
  message: string;
}
export interface JobCancelledEvent {
  job: JobId;
}

/** Every method's result; its arguments are `MethodArgSchemas` (schemas.ts). */
export interface ApiResults {
  'app.info': AppInfo;
  /**
   * Starts a `library.import` job of `total` files (default: the files of this call), this call
   * carrying the first of them; the others follow with `library.importMore`.
   */
  'library.importFiles': JobStarted;
  /** The next part of an import; `accepted: false` when the job has ended (cancelled): stop sending. */
  'library.importMore': { accepted: boolean };
  /** Native open dialog in main (Electron only), then a `library.import` job of what the user chose; null when they chose nothing. */
  'library.openDialog': { job: JobId | null };
  /** Stops a job of any kind; false when it had already ended (or never existed). */
  'jobs.cancel': { cancelled: boolean };
  /** Pauses a job between its units of work (training steps); false when it cannot pause, is paused or has ended. */
  'jobs.pause': { paused: boolean };
  /** Resumes a paused job; false when it was not paused. */
  'jobs.resume': { resumed: boolean };
  /** Re-extract the melody of an imported file from another track. */
  'library.selectTrack': ImportedFile;
  'library.remove': { removed: boolean };
  /** Melody → Standard MIDI File bytes (tempo, time signature and velocities kept). */
  'exporter.midi': { fileName: string; bytes: Uint8Array };
  /** Native save dialog in main (Electron only); the browser host's renderer downloads instead. */
  'files.save': { saved: boolean };
  /**
   * Electron only: writes `melody` (a result with its seed) as `<name>.mid` in a temporary folder of
   * main's and starts the operating system's file drag of it from the window; the renderer calls it
   * from a `dragstart` it cancelled. The browser host refuses it (its results have Export instead).
   */
  'files.dragOut': { started: boolean };
  /**
   * The models the app can generate with: the bundled default first, then the trained and imported
   * ones (newest first); `active` is the one new generations start with (`models.use`).
   */
  'models.list': { models: ModelInfo[]; active: string };
  /**
   * Makes a model the active one for generation: `{kind: 'model', id}`, or `{kind: 'checkpoint', run,
   * step}`, which first saves that checkpoint as a model of its own (named after the run and step).
   */
  'models.use': { model: ModelInfo };
  /** A new name for a trained or imported model (the bundled one cannot be renamed). */
  'models.rename': { model: ModelInfo };
  /** Deletes a trained or imported model's file; the bundled default cannot be deleted. */
  'models.delete': { deleted: boolean };
  /** The model file's bytes, for `files.save` (kind `'model'`) or a download. */
  'models.export': { fileName: string; bytes: Uint8Array };
  /** A model file the user picked, checked (format, checksum, vocabulary) and added to the models folder. */
  'models.import': { model: ModelInfo };
  /** The Train panel's presets, defaults and limits. */
  'trainer.options': TrainerOptions;
  /** Statistics, plan, warnings and the time it will take here, for the files and settings given (a few seconds at most). */
  'trainer.estimate': TrainingEstimate;
  /** Starts a `trainer.train` job on the library files `fileIds` (their current melodies). */
  'trainer.start': JobStarted & { run: RunId };
  /** A continuation of `seed` by `bars` bars from the running job's current weights (training goes on). */
  'trainer.listen': ListenResult;
  /** Every checkpoint of a run still on disk, oldest first. */
  'trainer.checkpoints': { checkpoints: CheckpointInfo[] };
  /** Runs in the data folder that no job runs (killed with the app, failed, cancelled), newest first. */
  'trainer.interrupted': { runs: InterruptedRun[] };
  /** Continues a run from its last checkpoint as a new `trainer.train` job. */
  'trainer.resume': JobStarted & { run: RunId };
  /** Deletes a run that is not running (its checkpoints too; models saved from it stay). */
  'trainer.discard': { discarded: boolean };
  /** The engine's scales, the defaults and the limits of the generation settings. */
  'generator.options': GeneratorOptions;
  /**
   * Starts a `generator.generate` job continuing `seed` with `settings`; a running one is superseded
   * (ends `job.cancelled`). `firstVariation` (default 0) numbers the first variation, so one
   * variation of an earlier batch can be made again alone ("regenerate exactly").
   */
  'generator.generate': JobStarted;
  /** Starts a `generator.regenerate` job: bars `fromBar`..`toBar` (1-based, inclusive) of `melody` sampled again. */
  'generator.regenerate': JobStarted;
  /**
   * What the model thinks of `melody` (run in the model worker): each note's surprise in bits and,
   * when `step` is given, the next-note distribution there. Answers directly: one pass of the model.
   */
  'generator.analyse': MelodyAnalysis;
  /**
   * Writes the document to the app's data folder, atomically, the previous autosave kept as a
   * backup; `written: false` when it is the same as the last one written.
   */
  'document.autosave': { written: boolean };
  /** The last autosaved document, on start (never throws for a damaged file: it says what was wrong). */
  'document.restore': RestoredDocument;
  /** The document as a file's bytes, for the browser host's download (Electron saves with `document.save`). */
  'document.encode': { fileName: string; bytes: Uint8Array };
  /** Native save dialog in main (Electron only), then the file; `fileName` null when cancelled. */
  'document.save': { saved: boolean; fileName: string | null };
  /** A document file the page read itself (browser file picker); rejects saying what is wrong with it. */
  'document.read': OpenedDocument;
  /** Native open dialog in main (Electron only), then the file read; null when the user chose nothing. */
  'document.openDialog': { opened: OpenedDocument | null };
}

export type MethodName = keyof ApiResults;
/** What a caller sends. */
export type MethodArgs<M extends MethodName> = z.input<MethodArgSchemas[M]>;
/** What a handler receives: the arguments after `validateArgs`, checked fields only. */
export type CheckedArgs<M extends MethodName> = z.output<MethodArgSchemas[M]>;
export type MethodResult<M extends MethodName> = ApiResults[M];

/** Every method: its argument object and its result. */
export type ApiMethods = { [M in MethodName]: { args: MethodArgs<M>; result: MethodResult<M> } };

/**
 * What a host knows of a call's sender that some handler needs, never sent by the page: Electron
 * main passes the calling window's native drag (`webContents.startDrag`); the browser host nothing.
 */
export interface CallContext {
  startDrag?: (file: string) => Promise<void>;
}

/** The handler map main binds the contract to (app/services), and test doubles implement. */
export type ApiHandlers = {
  [M in MethodName]: (args: CheckedArgs<M>, caller: CallContext) => Promise<MethodResult<M>>;
};

/** Commands of the desktop app's menus that the page carries out (its editor's undo history, its document). */
export type MenuCommand = 'undo' | 'redo' | 'new' | 'open' | 'save';

/** Every event main may push to the renderer, and its payload. */
export interface ApiEvents {
  'job.progress': JobProgressEvent;
  'job.done': JobDoneEvent;
  'job.failed': JobFailedEvent;
  'job.cancelled': JobCancelledEvent;
  /** A menu item was chosen (Electron only: the browser host has no menus). */
  'menu.command': { command: MenuCommand };
}

export type EventName = keyof ApiEvents;

/** `window.continuo`: the whole surface the renderer sees. */
export interface ContinuoApi {
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  /** Subscribe; returns the unsubscribe function (call it on teardown). */
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** What a failed call rejects with, on every host: a message fit to show the user. */
export interface ApiErrorPayload {
  method: MethodName;
  message: string;
}
