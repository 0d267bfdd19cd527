/**
 * The training worker's jobs (app/contract/worker.ts `trainer.*`): a run of engine/train/pipeline.ts
 * on melodies main wrote into the run's folder, with checkpoints written atomically beside them,
 * pause between steps, and continuations from a snapshot of the current weights while it learns.
 *
 * One `TrainingSession` per worker thread: the trainer service starts a worker for each run, so the
 * thread has at most one training, and `trainer.pause`/`trainer.listen` need not name it. Listening
 * runs between two training steps (the loop yields to the event loop after each one), so it delays
 * that run by one short generation and no other work of the app.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../engine/disk/node.js';
import type { MemorySettings } from '../../engine/memory/index.js';
import type { ModelContents } from '../../engine/model-file/index.js';
import { loadModel, saveModel } from '../../engine/model-file/node.js';
import { engineModelFromFile } from '../../engine/model/lstm-model.js';
import { GENERATION_DEFAULTS, generateInRounds } from '../../engine/sample/index.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../engine/train/checkpoint.js';
import {
  lstmModelContents,
  planTraining,
  runTraining,
  type StartModel,
  type TrainingPlan,
  type TrainingRequest,
} from '../../engine/train/pipeline.js';
import type { TrainerSnapshot, TrainerState, WeightAccess } from '../../engine/train/trainer.js';
import type {
  CheckpointInfo,
  CurvePoint,
  ListenResult,
  TrainingPlanInfo,
  TrainProgress,
} from '../contract/api.js';
import type { JobArgs, JobResult, ModelRef, TrainingPieceData } from '../contract/worker.js';
import { throttleProgress } from '../services/jobs.js';

/** The files of a run's folder (see `TrainRunArgs` in app/contract/worker.ts). */
export const RUN_FILES = {
  record: 'run.json',
  pieces: 'pieces.json',
  checkpoint: 'checkpoint.ckpt',
  model: (step: number) => `step-${String(step).padStart(7, '0')}.continuo`,
} as const;

/** Checkpoint models kept per run (each a usable model of ~2 MB): the newest ones. */
export const CHECKPOINT_MODELS_KEPT = 12;

/** The plan as the contract shows it: numbers and words, no configuration internals. */
export function planInfo(plan: TrainingPlan): TrainingPlanInfo {
  return {
    start: plan.start,
    preset: plan.preset,
    parameters: plan.parameters,
    network: { layers: plan.config.layers, hiddenSize: plan.config.hiddenSize },
    steps: plan.steps,
    maxSeconds: plan.maxSeconds,
    validateEvery: plan.validateEvery,
    patience: plan.patience,
    learningRate: plan.learningRate,
    validation: plan.validation,
    trainFiles: plan.trainFiles.length,
    validationFiles: plan.validationFiles.length,
    trainNotes: plan.trainNotes,
    validationNotes: plan.validationNotes,
    reference: { startModel: plan.startBitsPerNote, noteFrequency: plan.floorBitsPerNote },
    notes: plan.notes.slice(),
    warnings: plan.warnings.slice(),
  };
}

function startOf(ref: ModelRef | null, name: string): { start: StartModel; memory?: MemorySettings } {
  if (ref === null) return { start: { kind: 'scratch' } };
  const contents = loadModel(ref.path);
  return {
    start: { kind: 'model', name, contents },
    memory: contents.header.extra?.memory as MemorySettings | undefined,
  };
}

/** The pipeline's request for the contract's preset and advanced settings. */
function requestOf(
  pieces: TrainingPieceData[],
  start: StartModel,
  builtInStart: boolean,
  { preset, advanced }: Pick<JobArgs<'trainer.train'>, 'preset' | 'advanced'>,
): TrainingRequest {
  return {
    pieces,
    start,
    // The bundled model is the default start: when it cannot be, say so and train from scratch.
    // A model the user chose must fit or be refused.
    fallBackToScratch: builtInStart,
    preset,
    ...(advanced.steps !== undefined ? { steps: advanced.steps } : {}),
    ...(advanced.seconds !== undefined ? { seconds: advanced.seconds } : {}),
    ...(advanced.seed !== undefined ? { seed: advanced.seed } : {}),
    ...(advanced.patience !== undefined ? { patience: advanced.patience } : {}),
    ...(advanced.validateEvery !== undefined ? { validateEvery: advanced.validateEvery } : {}),
    ...(advanced.learningRate !== undefined ? { learningRate: advanced.learningRate } : {}),
    ...(advanced.maxTranspose !== undefined ? { maxTranspose: advanced.maxTranspose } : {}),
  };
}

export async function estimateJob(args: JobArgs<'trainer.estimate'>): Promise<JobResult<'trainer.estimate'>> {
  const { start } = startOf(args.start, args.startName);
  const { plan } = await planTraining(requestOf(args.pieces, start, args.start?.builtIn ?? false, args));
  const estimate = plan.estimate ?? { secondsPerStep: NaN, seconds: NaN };
  return { plan: planInfo(plan), secondsPerStep: estimate.secondsPerStep, seconds: estimate.seconds };
}

const emptyProgress = (run: string, phase: TrainProgress['phase']): TrainProgress => ({
  run,
  phase,
  step: 0,
  totalSteps: 0,
  elapsedSec: 0,
  etaSec: null,
  tokensPerSec: null,
  plan: null,
  train: [],
  validation: [],
  gradNorm: [],
  tokensPerSecCurve: [],
  checkpoints: [],
  lines: [],
});

/** Progress held back by the throttle: the newest scalars, every point and checkpoint in order. */
export function mergeTrainProgress(older: TrainProgress, newer: TrainProgress): TrainProgress {
  return {
    ...newer,
    plan: newer.plan ?? older.plan,
    train: [...older.train, ...newer.train],
    validation: [...older.validation, ...newer.validation],
    gradNorm: [...older.gradNorm, ...newer.gradNorm],
    tokensPerSecCurve: [...older.tokensPerSecCurve, ...newer.tokensPerSecCurve],
    checkpoints: [...older.checkpoints, ...newer.checkpoints],
    lines: [...older.lines, ...newer.lines],
  };
}

const point = (step: number, value: number): CurvePoint[] =>
  Number.isFinite(value) ? [{ step, value }] : [];

/** Fault injection for the crash-safety tests: `exit-after-step:N` ends the thread at step N. */
function faultAfterStep(): number | null {
  const match = /^exit-after-step:(\d+)$/.exec(process.env.CONTINUO_TRAIN_FAULT ?? '');
  return match ? Number(match[1]) : null;
}

export class TrainingSession {
  #access: WeightAccess | null = null;
  #startMemory: MemorySettings | undefined;
  #pitchRange: { min: number; max: number } | null = null;
  #gate: { promise: Promise<void>; release: () => void } | null = null;
  #onPauseChange: ((paused: boolean) => void) | null = null;
  #running = false;

  /** Pauses (true) or resumes (false) the running training; whether anything changed. */
  setPaused(paused: boolean): boolean {
    if (!this.#running || paused === (this.#gate !== null)) return false;
    if (paused) {
      let release = () => undefined as void;
      const promise = new Promise<void>((resolve) => (release = resolve));
      this.#gate = { promise, release };
    } else {
      this.#gate!.release();
      this.#gate = null;
    }
    this.#onPauseChange?.(paused);
    return true;
  }

  /** A continuation of `seed` from a copy of the current weights; the training goes on after it. */
  async listen(args: JobArgs<'trainer.listen'>): Promise<ListenResult> {
    const access = this.#access;
    if (!access || !this.#running) throw new Error('the training has not begun its first step yet');
    const step = access.step();
    const contents = lstmModelContents(access.config, access.current(), {
      training: this.#pitchRange ? { pitchRange: this.#pitchRange } : {},
      metrics: {},
      ...(this.#startMemory ? { memory: this.#startMemory } : {}),
    });
    const { model } = engineModelFromFile(contents, `the weights of step ${step}`);
    const [made] = await generateInRounds(
      model,
      args.seed,
      {
        bars: args.bars,
        variations: 1,
        randomSeed: args.randomSeed,
        temperature: GENERATION_DEFAULTS.temperature,
        topP: GENERATION_DEFAULTS.topP,
        topK: GENERATION_DEFAULTS.topK,
      },
      { roundSize: 1 },
    );
    return { step, melody: made.melody, seedNotes: made.seedNotes, endStep: made.endStep };
  }

  async train(
    args: JobArgs<'trainer.train'>,
    signal: AbortSignal,
    post: (progress: TrainProgress) => void,
  ): Promise<JobResult<'trainer.train'>> {
    if (this.#running) throw new Error('this training worker is already running a training');
    this.#running = true;
    const throttled = throttleProgress(post, mergeTrainProgress, 100);
    const fault = faultAfterStep();
    let last = emptyProgress(args.run, 'planning');
    const push = (patch: Partial<TrainProgress>) => {
      last = { ...last, ...patch };
      throttled.push({ ...emptyProgress(args.run, last.phase), ...patch, ...scalars(last) });
    };
    const scalars = (p: TrainProgress) => ({
      run: p.run,
      phase: p.phase,
      step: p.step,
      totalSteps: p.totalSteps,
      elapsedSec: p.elapsedSec,
      etaSec: p.etaSec,
      tokensPerSec: p.tokensPerSec,
    });
    this.#onPauseChange = (paused) => {
      push({ phase: paused ? 'paused' : 'training' });
      throttled.flush();
    };
    const releaseOnAbort = () => this.setPaused(false);
    signal.addEventListener('abort', releaseOnAbort, { once: true });
    const kept: CheckpointInfo[] = [];
    try {
      push({});
      throttled.flush();
      const pieces = JSON.parse(
        await fs.readFile(path.join(args.dir, RUN_FILES.pieces), 'utf8'),
      ) as TrainingPieceData[];
      const { start, memory } = startOf(args.start, args.startName);
      this.#startMemory = memory;
      const request = requestOf(pieces, start, args.start?.builtIn ?? false, args);
      let resumedHistory: CurvePoint[] = [];
      if (args.resume) {
        const file = path.join(args.dir, RUN_FILES.checkpoint);
        const snapshot = decodeCheckpoint<TrainerState>(new Uint8Array(await fs.readFile(file)), file);
        request.resume = snapshot;
        request.seed = snapshot.state.seed;
        resumedHistory = snapshot.state.history.map((h) => ({ step: h.step, value: h.bitsPerNote }));
        kept.push(...(await existingCheckpoints(args.dir, args.run)));
      }
      request.extra = { data: args.data };
      if (args.checkpointEveryMs !== undefined) request.checkpointEveryMs = args.checkpointEveryMs;
      const result = await runTraining(request, {
        signal,
        pause: () => this.#gate?.promise,
        onWeights: (access) => (this.#access = access),
        onEvent: (event) => {
          switch (event.type) {
            case 'plan':
              this.#pitchRange = event.plan.pitchRange;
              push({
                phase: this.#gate ? 'paused' : 'training',
                plan: planInfo(event.plan),
                totalSteps: event.plan.steps,
                validation: resumedHistory,
              });
              // The plan is the panel's first sight of the run: no reason to hold it back.
              throttled.flush();
              break;
            case 'step':
              push({
                step: event.step,
                totalSteps: event.plannedSteps,
                elapsedSec: event.elapsedSec,
                etaSec: event.etaSec,
                tokensPerSec: event.tokensPerSec,
                train: point(event.step, event.bitsPerNote),
                gradNorm: point(event.step, event.gradNorm),
                tokensPerSecCurve: point(event.step, event.tokensPerSec),
              });
              if (fault !== null && event.step >= fault) process.exit(70);
              break;
            case 'validation':
              push({ validation: point(event.step, event.bitsPerNote) });
              break;
            case 'checkpoint':
              // Reported by saveCheckpoint below, with its score.
              break;
            case 'finishing':
              push({ phase: 'finishing', lines: [event.line] });
              break;
            default: {
              const unknownEvent: never = event;
              void unknownEvent;
            }
          }
        },
        saveCheckpoint: async (snapshot, model) => {
          const info = await writeCheckpoint(args.dir, args.run, snapshot, model);
          kept.push(info);
          for (const old of kept.splice(0, Math.max(0, kept.length - CHECKPOINT_MODELS_KEPT)))
            await fs.rm(path.join(args.dir, RUN_FILES.model(old.step)), { force: true });
          push({ checkpoints: [info] });
        },
      });
      if (result.stoppedBy === 'abort') throw signal.reason ?? new Error('cancelled');
      const contents = named(result.model, args.advanced.name);
      await saveModel(args.modelPath, contents);
      return {
        stoppedBy: result.stoppedBy,
        step: result.step,
        elapsedSec: result.elapsedSec,
        bestBitsPerNote: result.bestBitsPerNote,
        checkpoints: kept.slice(),
      };
    } finally {
      throttled.flush();
      signal.removeEventListener('abort', releaseOnAbort);
      this.#gate?.release();
      this.#gate = null;
      this.#running = false;
      this.#access = null;
    }
  }
}

function named(contents: ModelContents, name: string | undefined): ModelContents {
  if (name === undefined) return contents;
  return { ...contents, header: { ...contents.header, training: { ...contents.header.training, name } } };
}

/**
 * A checkpoint: the model of the best weights first, then the trainer's state, each written
 * atomically, so whatever moment the process dies at, `checkpoint.ckpt` is whole and every model
 * it lists is whole.
 */
async function writeCheckpoint(
  dir: string,
  run: string,
  snapshot: TrainerSnapshot,
  model: ModelContents,
): Promise<CheckpointInfo> {
  const { state } = snapshot;
  await saveModel(path.join(dir, RUN_FILES.model(state.step)), model);
  await writeFileAtomic(path.join(dir, RUN_FILES.checkpoint), encodeCheckpoint(snapshot));
  return {
    run,
    step: state.step,
    validationBitsPerNote: state.bestBitsPerNote,
    bestStep: state.bestStep,
    elapsedSec: state.elapsedSec,
    savedAt: new Date().toISOString(),
  };
}

/** The checkpoint models of a run still on disk (a resumed run keeps pruning them). */
async function existingCheckpoints(dir: string, run: string): Promise<CheckpointInfo[]> {
  try {
    const record = JSON.parse(await fs.readFile(path.join(dir, RUN_FILES.record), 'utf8')) as {
      checkpoints?: CheckpointInfo[];
    };
    return (record.checkpoints ?? []).filter((c) => c.run === run);
  } catch {
    return [];
  }
}
