/**
 * Main ↔ worker messages (`worker_threads`), for both workers: the model worker (app/worker/index.ts:
 * imports and generation, one for the app) and the training worker (app/worker/train.ts: one per
 * training run, so a training step never delays an import or a generation). Each runs the jobs of
 * its own part of `WorkerJobs` and fails the others with a one-line message.
 * Every exchange is a job: main sends
 * `{type: 'job', id, job, args}`, the worker answers with any number of `progress` messages and then
 * exactly one of `result`, `failed` or `cancelled` for that id. Main may send `{type: 'cancel', id}`
 * at any time; the worker checks for it between units of work (files now; batches when training).
 *
 * Adding a job (generation, training) means adding one entry to `WorkerJobs` (and to `JOBS`, which
 * the compiler insists on); the unions below, the worker's exhaustive `switch` and the client's
 * typing follow from it.
 *
 * Only plain data crosses: structured-clone-safe objects and byte arrays.
 */
import type { ExtractionReport, Melody, TrackInfo } from '../../engine/midi/types.js';
import type {
  CheckpointInfo,
  GenerateProgress,
  ListenResult,
  GenerateResult,
  GenerationSettings,
  MelodyAnalysis,
  ModelInfo,
  RegenerateResult,
  SamplingSettings,
  TrainingAdvanced,
  TrainingPlanInfo,
  TrainingPresetName,
  TrainProgress,
} from './api.js';

/**
 * A model file main knows of: its id in the contract and where it is. The worker loads each path
 * once and keeps it for the session (main never reads model files).
 */
export interface ModelRef {
  id: string;
  path: string;
  builtIn: boolean;
  /** The name the user gave it (models folder index), over the file's own. */
  name?: string;
  /** How a model of the models folder got there, and when (ISO 8601); absent for the bundled one. */
  origin?: 'trained' | 'imported';
  addedAt?: string;
}

/** A melody to train on and the file it came from (engine/train/pipeline.ts TrainingPiece). */
export interface TrainingPieceData {
  file: string;
  melody: Melody;
}

/**
 * A run's folder (`<userData>/training/<run>/`) as the training worker uses it: main writes
 * `pieces.json` (the melodies) and `run.json` (the record); the worker writes `checkpoint.ckpt` (the
 * trainer's state) and `step-<n>.continuo` (a usable model of the best weights at step n), every
 * file with writeFileAtomic, and the finished model where `modelPath` says.
 */
export interface TrainRunArgs {
  run: string;
  dir: string;
  /** The start model's file, or null from scratch. */
  start: ModelRef | null;
  startName: string;
  preset: TrainingPresetName;
  advanced: TrainingAdvanced;
  /** Continue from `dir/checkpoint.ckpt` (a resumed run) instead of starting afresh. */
  resume: boolean;
  /** Where the finished model goes (in the models folder). */
  modelPath: string;
  /** Data folders named in the model's card. */
  data: string[];
  /** Milliseconds between time-based checkpoints (tests make them frequent). */
  checkpointEveryMs?: number;
}

/** One source file for `midi.parse`; `trackIndex` forces the melody track, otherwise the engine picks. */
export interface ParseInput {
  name: string;
  bytes: Uint8Array;
  trackIndex?: number;
}

/** The worker's answer for one file: what `library` turns into an `ImportedFile` (it adds the id). */
export type ParsedFile =
  | {
      ok: true;
      fileName: string;
      tracks: TrackInfo[];
      melodyTrack: number;
      melody: Melody;
      report: ExtractionReport;
    }
  | { ok: false; fileName: string; error: string };

export interface WorkerJobs {
  /**
   * Parse MIDI files and extract their melodies. Each file's answer travels in its own progress
   * message, in order, as soon as it is parsed (so a cancelled job has delivered every file it
   * finished); the result only counts them.
   */
  'midi.parse': {
    args: { files: ParseInput[] };
    progress: { done: number; total: number; file: ParsedFile };
    result: { parsed: number };
  };
  /** Each model's card, read from its file (loaded once and kept); a bad file gets its `problem`. */
  'models.describe': {
    args: { models: ModelRef[] };
    progress: never;
    result: { models: ModelInfo[] };
  };
  /**
   * Continuations of `seed` in rounds (engine generateInRounds); each round's variations travel in
   * one progress message as soon as they exist (main throttles them for the window). Cancel is
   * seen between rounds.
   */
  'generator.generate': {
    args: { model: ModelRef; seed: Melody; settings: GenerationSettings; firstVariation: number };
    progress: GenerateProgress;
    result: GenerateResult;
  };
  /** Bars of a melody sampled again, candidates rescored by the kept notes (engine regenerateBars). */
  'generator.regenerate': {
    args: {
      model: ModelRef;
      melody: Melody;
      fromBar: number;
      toBar: number;
      candidates: number;
      settings: SamplingSettings;
    };
    progress: never;
    result: RegenerateResult;
  };
  /** Surprise per note and the next-note distribution at `step` (engine/eval/analysis.ts). */
  'generator.analyse': {
    args: { model: ModelRef; melody: Melody; novelty: number | null; step: number | null };
    progress: never;
    result: MelodyAnalysis;
  };
  /** Training worker: the plan and the time a training would take (a timed probe), no training. */
  'trainer.estimate': {
    args: {
      pieces: TrainingPieceData[];
      start: ModelRef | null;
      startName: string;
      preset: TrainingPresetName;
      advanced: TrainingAdvanced;
    };
    progress: never;
    result: { plan: TrainingPlanInfo; secondsPerStep: number; seconds: number };
  };
  /**
   * Training worker: one whole run (plan, train, finish, save), progress already throttled by the
   * worker to ≤ 10 a second. Cancel stops at the next step after writing a checkpoint of it.
   */
  'trainer.train': {
    args: TrainRunArgs;
    progress: TrainProgress;
    result: {
      stoppedBy: 'steps' | 'time' | 'early-stop';
      step: number;
      elapsedSec: number;
      bestBitsPerNote: number | null;
      checkpoints: CheckpointInfo[];
    };
  };
  /** Training worker: pause (true) or resume (false) the running `trainer.train` between steps. */
  'trainer.pause': {
    args: { paused: boolean };
    progress: never;
    result: { changed: boolean };
  };
  /** Training worker: a continuation from a snapshot of the running training's current weights. */
  'trainer.listen': {
    args: { seed: Melody; bars: number; randomSeed: number };
    progress: never;
    result: ListenResult;
  };
}

export type JobName = keyof WorkerJobs;
export type JobArgs<J extends JobName> = WorkerJobs[J]['args'];
export type JobProgress<J extends JobName> = WorkerJobs[J]['progress'];
export type JobResult<J extends JobName> = WorkerJobs[J]['result'];

type JobRequests = { [J in JobName]: { type: 'job'; id: number; job: J; args: JobArgs<J> } };
type ProgressReplies = { [J in JobName]: { type: 'progress'; id: number; job: J; progress: JobProgress<J> } };
type ResultReplies = { [J in JobName]: { type: 'result'; id: number; job: J; result: JobResult<J> } };

/** A request for job `J` (all jobs when `J` is left out). */
export type JobRequest<J extends JobName = JobName> = JobRequests[J];
export type ProgressReply<J extends JobName = JobName> = ProgressReplies[J];
export type ResultReply<J extends JobName = JobName> = ResultReplies[J];

/** Main → worker. */
export type WorkerRequest = JobRequest | { type: 'cancel'; id: number };

/** Worker → main. `failed.message` is one line, fit to show the user. */
export type WorkerReply =
  | ProgressReply
  | ResultReply
  | { type: 'failed'; id: number; message: string }
  | { type: 'cancelled'; id: number };

/** Every job name, once: a job added to `WorkerJobs` and missing here is a compile error. */
const JOBS = {
  'midi.parse': true,
  'models.describe': true,
  'generator.generate': true,
  'generator.regenerate': true,
  'generator.analyse': true,
  'trainer.estimate': true,
  'trainer.train': true,
  'trainer.pause': true,
  'trainer.listen': true,
} as const satisfies Record<JobName, true>;

function hasId(value: object): value is { id: number } {
  return 'id' in value && typeof value.id === 'number' && Number.isInteger(value.id);
}

export function isJobName(value: unknown): value is JobName {
  return typeof value === 'string' && Object.hasOwn(JOBS, value);
}

/**
 * Structural check of a message arriving at the worker. Both ends are our code, so this guards the
 * tag and id the dispatch relies on, not every payload field (main validated those at the boundary).
 */
export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (value === null || typeof value !== 'object' || !('type' in value) || !hasId(value)) return false;
  switch (value.type) {
    case 'job':
      return (
        'job' in value &&
        isJobName(value.job) &&
        'args' in value &&
        typeof value.args === 'object' &&
        value.args !== null
      );
    case 'cancel':
      return true;
    default:
      return false;
  }
}

/** Structural check of a message arriving at main from the worker. */
export function isWorkerReply(value: unknown): value is WorkerReply {
  if (value === null || typeof value !== 'object' || !('type' in value) || !hasId(value)) return false;
  switch (value.type) {
    case 'progress':
      return 'job' in value && isJobName(value.job) && 'progress' in value;
    case 'result':
      return 'job' in value && isJobName(value.job) && 'result' in value;
    case 'failed':
      return 'message' in value && typeof value.message === 'string';
    case 'cancelled':
      return true;
    default:
      return false;
  }
}

/**
 * True when a progress reply answers a job of kind `job`. Ids are unique, so a well-behaved worker
 * always tags a reply with the job it answers; checking the tag is what lets main hand the payload
 * on typed as that job's progress instead of trusting the id alone.
 */
export function isProgressFor<J extends JobName>(reply: WorkerReply, job: J): reply is ProgressReply<J> {
  return reply.type === 'progress' && reply.job === job;
}

/** True when a result reply answers a job of kind `job` (see `isProgressFor`). */
export function isResultFor<J extends JobName>(reply: WorkerReply, job: J): reply is ResultReply<J> {
  return reply.type === 'result' && reply.job === job;
}
