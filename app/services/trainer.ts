/**
 * Training runs as the contract shapes them (api.ts, "Training"). Each run gets its own worker
 * thread (a `ModelWorker` of app/worker/train.js, never the model worker that imports and
 * generates) for its whole life, and its own folder in the data directory:
 *
 *   <userData>/training/<run>/run.json         the run record (this module writes it)
 *   <userData>/training/<run>/pieces.json      the melodies it learns from (written before it starts)
 *   <userData>/training/<run>/checkpoint.ckpt  the trainer's state (the worker writes it)
 *   <userData>/training/<run>/step-N.continuo  models of the best weights at each checkpoint
 *
 * Every file is written with writeFileAtomic, so a kill at any moment leaves each one whole. The
 * record says `running` while a job runs it (with the process id): a record left `running` by a
 * process that no longer exists is a run the app was killed during, which `interrupted()` offers
 * and `resume()` continues from its checkpoint. A worker that dies fails the job (main survives),
 * marks the run `failed` with the message, and leaves it resumable the same way.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../engine/disk/node.js';
import { firstLine } from '../../engine/errors/first-line.js';
import {
  DEFAULT_PATIENCE,
  LARGE_COLLECTION_FILES,
  TRAINING_PRESETS,
  TRAINING_PRESET_NAMES,
  defaultTrainingPreset,
} from '../../engine/train/pipeline.js';
import type {
  CheckpointInfo,
  ImportedFile,
  InterruptedRun,
  JobId,
  ListenResult,
  Melody,
  ModelInfo,
  RunId,
  TrainerOptions,
  TrainingAdvanced,
  TrainingDataStats,
  TrainingEstimate,
  TrainingFrom,
  TrainingPresetName,
  TrainProgress,
  TrainResult,
} from '../contract/api.js';
import { LIMITS } from '../contract/schemas.js';
import type { ModelRef, TrainRunArgs, TrainingPieceData } from '../contract/worker.js';
import { RUN_FILES, mergeTrainProgress } from '../worker/training.js';
import { ServiceError } from './errors.js';
import { throttleProgress, type Jobs } from './jobs.js';
import { ModelWorker } from './model-worker.js';
import { DEFAULT_MODEL_ID, type ModelStore } from './models.js';

export interface TrainerServiceOptions {
  userDataDir: string;
  /** The compiled training worker, dist/app/worker/train.js. */
  workerPath: string;
  jobs: Jobs;
  library: { get(fileId: string): ImportedFile | undefined };
  models: ModelStore;
  /** Each model's card, from the model worker (`models.describe`). */
  describe(refs: ModelRef[]): Promise<ModelInfo[]>;
  /** The training worker's environment (tests inject faults through it). */
  workerEnv?: Record<string, string | undefined>;
  /** Milliseconds between time-based checkpoints (default: the engine's two minutes). */
  checkpointEveryMs?: number;
}

interface TrainingArgs {
  fileIds: string[];
  from: TrainingFrom;
  preset: TrainingPresetName;
  advanced?: TrainingAdvanced;
}

export interface Trainer {
  options(): TrainerOptions;
  estimate(args: TrainingArgs): Promise<TrainingEstimate>;
  start(args: TrainingArgs): Promise<{ job: JobId; run: RunId }>;
  listen(args: { job: JobId; seed: Melody; bars: number; randomSeed?: number }): Promise<ListenResult>;
  checkpoints(run: RunId): Promise<{ checkpoints: CheckpointInfo[] }>;
  /** The model file of a checkpoint still on disk; throws a one-line ServiceError otherwise. */
  checkpointModel(run: RunId, step: number): Promise<{ path: string; name: string }>;
  interrupted(): Promise<{ runs: InterruptedRun[] }>;
  resume(run: RunId): Promise<{ job: JobId; run: RunId }>;
  discard(run: RunId): Promise<{ discarded: boolean }>;
  /** Runs this instance is running now. */
  readonly running: number;
  /** Cancels every run (each keeps its last checkpoint) and ends their workers. */
  dispose(): Promise<void>;
}

type RunStatus = 'running' | 'failed' | 'cancelled' | 'done';

/** `run.json`. */
export interface RunRecord {
  kind: 'continuo-training-run';
  version: 1;
  run: RunId;
  name: string;
  status: RunStatus;
  message: string | null;
  /** The process running it while `status` is `running`. */
  pid: number;
  from: TrainingFrom;
  startName: string;
  /** The start model's file when the run began (a deleted start model: resumed from the checkpoint alone). */
  start: ModelRef | null;
  preset: TrainingPresetName;
  advanced: TrainingAdvanced;
  files: number;
  data: string[];
  startedAt: string;
  updatedAt: string;
  step: number;
  totalSteps: number;
  bestBitsPerNote: number | null;
  checkpoints: CheckpointInfo[];
  /** The finished model's id once done. */
  model: string | null;
}

/** Runs of this process, by run id: how a record left `running` by this very process is told apart. */
const liveRuns = new Set<RunId>();

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const RUN_ID = /^r-[A-Za-z0-9-]{1,60}$/;

/** File names a trained model's card lists as its data. */
const MAX_DATA_NAMES = 500;

/** How long shutting down waits for a cancelled run's last checkpoint. */
const DISPOSE_GRACE_MS = 15_000;

/** Statistics of the data a run would learn from, with what extraction dropped and why. */
export function trainingStats(files: readonly ImportedFile[]): TrainingDataStats {
  let notes = 0;
  let min = 128;
  let max = -1;
  const metres = new Map<string, number>();
  const reasons = new Map<string, number>();
  const extraction = {
    rawNotes: 0,
    keptNotes: 0,
    droppedChordNotes: 0,
    mergedByQuantization: 0,
    truncatedByNextOnset: 0,
    zeroLengthExtended: 0,
    ignoredTracks: 0,
  };
  const excluded: TrainingDataStats['excluded'] = [];
  let melodies = 0;
  for (const file of files) {
    const { report, melody } = file;
    for (const key of Object.keys(extraction) as (keyof typeof extraction)[])
      extraction[key] += key === 'ignoredTracks' ? report.ignoredTracks.length : report[key];
    for (const t of new Set(report.ignoredTracks.map((t) => t.reason)))
      reasons.set(`track ignored: ${t}`, (reasons.get(`track ignored: ${t}`) ?? 0) + 1);
    const counted: [number, string][] = [
      [report.droppedChordNotes, 'lower notes of chords dropped (the top note kept)'],
      [report.mergedByQuantization, 'notes merged by quantization'],
      [report.truncatedByNextOnset, 'notes cut short where the next melody note starts'],
      [report.zeroLengthExtended, 'zero-length notes made one step long'],
    ];
    for (const [count, why] of counted) if (count > 0) reasons.set(why, (reasons.get(why) ?? 0) + 1);
    if (melody.notes.length === 0) {
      excluded.push({ fileName: file.fileName, reason: 'has no notes' });
      continue;
    }
    melodies++;
    notes += melody.notes.length;
    for (const n of melody.notes) {
      if (n.pitch < min) min = n.pitch;
      if (n.pitch > max) max = n.pitch;
    }
    const ts = melody.timeSignature.join('/');
    metres.set(ts, (metres.get(ts) ?? 0) + 1);
  }
  return {
    files: files.length,
    melodies,
    notes,
    pitchRange: max < 0 ? null : { min, max },
    timeSignatures: [...metres]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([signature, count]) => ({ signature, melodies: count })),
    extraction: {
      ...extraction,
      reasons: [...reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([why, count]) => `${count} file${count === 1 ? '' : 's'}: ${why}`),
    },
    excluded,
  };
}

export function createTrainer(options: TrainerServiceOptions): Trainer {
  const { jobs, library, models } = options;
  const runsDir = path.join(options.userDataDir, 'training');
  const live = new Map<JobId, { run: RunId; worker: ModelWorker; ended: Promise<void> }>();
  const recordWrites = new Map<RunId, Promise<unknown>>();

  const runDir = (run: RunId) => path.join(runsDir, run);

  const readRecord = async (run: RunId): Promise<RunRecord | null> => {
    try {
      const record = JSON.parse(
        await fs.readFile(path.join(runDir(run), RUN_FILES.record), 'utf8'),
      ) as RunRecord;
      return record.kind === 'continuo-training-run' && record.run === run ? record : null;
    } catch {
      return null;
    }
  };

  /** Writes of one run's record are chained, so the newest always lands last. */
  const writeRecord = (record: RunRecord): Promise<void> => {
    const text = JSON.stringify({ ...record, updatedAt: new Date().toISOString() }, null, 2) + '\n';
    const write = (recordWrites.get(record.run) ?? Promise.resolve()).then(() =>
      writeFileAtomic(path.join(runDir(record.run), RUN_FILES.record), text),
    );
    recordWrites.set(
      record.run,
      write.catch(() => undefined),
    );
    return write;
  };

  const filesOf = (fileIds: string[], method: string): ImportedFile[] =>
    fileIds.map((id, i) => {
      const file = library.get(id);
      if (!file)
        throw new ServiceError(
          `${method}: fileIds[${i}]: no imported file has id ${id} (it was removed, or the app was restarted)`,
        );
      return file;
    });

  const piecesOf = (files: ImportedFile[], method: string): TrainingPieceData[] => {
    const pieces = files
      .filter((f) => f.melody.notes.length > 0)
      .map((f) => ({ file: f.fileName, melody: f.melody }));
    if (pieces.length === 0)
      throw new ServiceError(`${method}: none of the chosen files has notes to learn from`);
    return pieces;
  };

  const startOf = (from: TrainingFrom, method: string): { ref: ModelRef | null; name: string } => {
    if (from === 'scratch') return { ref: null, name: 'scratch' };
    const ref = models.ref(from);
    if (!ref) throw new ServiceError(`${method}: from: no model has id "${from}"`);
    return { ref, name: ref.name ?? (ref.builtIn ? 'the default model' : ref.id) };
  };

  const newWorker = () =>
    new ModelWorker(options.workerPath, { name: 'training worker', env: options.workerEnv });

  /** Runs (or resumes) `record` as a `trainer.train` job. */
  const launch = (record: RunRecord, resume: boolean): JobId => {
    const job = jobs.start('trainer.train', async ({ signal, progress, pausable }) => {
      const worker = newWorker();
      let ended = () => undefined as void;
      live.set(job, { run: record.run, worker, ended: new Promise<void>((resolve) => (ended = resolve)) });
      liveRuns.add(record.run);
      let current: RunRecord = { ...record, status: 'running', message: null, pid: process.pid };
      const throttled = throttleProgress(progress, mergeTrainProgress, 100);
      pausable({
        pause: async () => (await worker.run('trainer.pause', { paused: true })).changed,
        resume: async () => (await worker.run('trainer.pause', { paused: false })).changed,
      });
      const target = models.newModelPath();
      const args: TrainRunArgs = {
        run: record.run,
        dir: runDir(record.run),
        start: record.start,
        startName: record.startName,
        preset: record.preset,
        advanced: record.advanced,
        resume,
        modelPath: target.path,
        data: record.data,
        ...(options.checkpointEveryMs !== undefined ? { checkpointEveryMs: options.checkpointEveryMs } : {}),
      };
      try {
        await fs.mkdir(path.dirname(target.path), { recursive: true });
        await writeRecord(current);
        const onProgress = (p: TrainProgress) => {
          const next = {
            ...current,
            step: p.step || current.step,
            totalSteps: p.totalSteps || current.totalSteps,
          };
          if (p.checkpoints.length > 0) {
            const last = p.checkpoints[p.checkpoints.length - 1];
            next.checkpoints = [...current.checkpoints, ...p.checkpoints];
            next.bestBitsPerNote = last.validationBitsPerNote;
            current = next;
            void writeRecord(current).catch((error: unknown) =>
              console.error(`continuo: the record of training run ${record.run} could not be written`, error),
            );
          } else current = next;
          throttled.push(p);
        };
        const result = await worker.run('trainer.train', args, { signal, onProgress });
        throttled.flush();
        // The worker prunes old checkpoint models; the record keeps those still on disk.
        current = { ...current, checkpoints: await onDisk(record.run, current.checkpoints) };
        const ref = await models.adopt(target.id, target.path, {
          name: record.advanced.name ?? record.name,
          origin: 'trained',
        });
        const [model] = await options.describe([ref]);
        current = {
          ...current,
          status: 'done',
          step: result.step,
          bestBitsPerNote: result.bestBitsPerNote,
          model: ref.id,
        };
        await writeRecord(current);
        const done: TrainResult = {
          run: record.run,
          model,
          stoppedBy: result.stoppedBy,
          step: result.step,
          elapsedSec: result.elapsedSec,
          bestBitsPerNote: result.bestBitsPerNote,
        };
        return done;
      } catch (error) {
        throttled.flush();
        const checkpoints = await onDisk(record.run, current.checkpoints);
        const lastStep = checkpoints.at(-1)?.step ?? 0;
        if (signal.aborted) {
          current = { ...current, status: 'cancelled', checkpoints };
          await writeRecord(current).catch(() => undefined);
          throw error;
        }
        const why = firstLine(error);
        const message =
          lastStep > 0
            ? `Training stopped: ${why}. It can resume from its last checkpoint (step ${lastStep}).`
            : `Training stopped: ${why}. It can start again from the beginning (no checkpoint was written).`;
        current = { ...current, status: 'failed', message, checkpoints };
        await writeRecord(current).catch(() => undefined);
        throw new ServiceError(message);
      } finally {
        live.delete(job);
        liveRuns.delete(record.run);
        await worker.dispose();
        ended();
      }
    });
    return job;
  };

  const onDisk = async (run: RunId, checkpoints: CheckpointInfo[]): Promise<CheckpointInfo[]> => {
    const names = new Set(await fs.readdir(runDir(run)).catch(() => [] as string[]));
    const seen = new Set<number>();
    return checkpoints.filter((c) => {
      if (seen.has(c.step) || !names.has(RUN_FILES.model(c.step))) return false;
      seen.add(c.step);
      return true;
    });
  };

  const runOf = async (run: RunId, method: string): Promise<RunRecord> => {
    const record = RUN_ID.test(run) ? await readRecord(run) : null;
    if (!record) throw new ServiceError(`${method}: there is no training run ${run}`);
    return record;
  };

  const isLive = (record: RunRecord) =>
    liveRuns.has(record.run) || (record.status === 'running' && processAlive(record.pid));

  const liveJobOf = (job: JobId) => {
    const entry = live.get(job);
    if (!entry) throw new ServiceError(`trainer.listen: job ${job} is not a running training`);
    return entry;
  };

  return {
    options() {
      return {
        presets: TRAINING_PRESET_NAMES.map((name) => ({
          name,
          seconds: TRAINING_PRESETS[name].seconds,
          maxSteps: TRAINING_PRESETS[name].maxSteps,
          summary: TRAINING_PRESETS[name].summary,
        })),
        defaults: {
          preset: defaultTrainingPreset(true, 0),
          largeCollectionFiles: LARGE_COLLECTION_FILES,
          from: DEFAULT_MODEL_ID,
          seed: 1,
          patience: DEFAULT_PATIENCE,
          maxTranspose: 6,
        },
        limits: {
          files: LIMITS.filesPerTraining,
          steps: LIMITS.trainingSteps,
          seconds: LIMITS.trainingSeconds,
          patience: LIMITS.patience,
          validateEvery: LIMITS.validateEvery,
          maxTranspose: LIMITS.maxTranspose,
          listenBars: LIMITS.listenBars,
        },
      };
    },

    async estimate({ fileIds, from, preset, advanced = {} }) {
      const files = filesOf(fileIds, 'trainer.estimate');
      const stats = trainingStats(files);
      const pieces = piecesOf(files, 'trainer.estimate');
      const start = startOf(from, 'trainer.estimate');
      // A throwaway worker: the probe's steps must not wait behind a running training, nor it behind them.
      const worker = newWorker();
      try {
        const estimated = await worker.run('trainer.estimate', {
          pieces,
          start: start.ref,
          startName: start.name,
          preset,
          advanced,
        });
        const excluded = stats.excluded.map((e) => `${e.fileName} ${e.reason}: it is left out`);
        return {
          stats,
          plan: estimated.plan,
          secondsPerStep: estimated.secondsPerStep,
          seconds: estimated.seconds,
          warnings: [...excluded, ...estimated.plan.warnings],
        };
      } catch (error) {
        throw new ServiceError(`trainer.estimate: ${firstLine(error)}`);
      } finally {
        await worker.dispose();
      }
    },

    async start({ fileIds, from, preset, advanced = {} }) {
      const files = filesOf(fileIds, 'trainer.start');
      const pieces = piecesOf(files, 'trainer.start');
      const start = startOf(from, 'trainer.start');
      const run = `r-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
      const now = new Date();
      const record: RunRecord = {
        kind: 'continuo-training-run',
        version: 1,
        run,
        name:
          advanced.name ??
          `${pieces.length} file${pieces.length === 1 ? '' : 's'}, ${now.toISOString().slice(0, 16).replace('T', ' ')}`,
        status: 'running',
        message: null,
        pid: process.pid,
        from,
        startName: start.name,
        start: start.ref,
        preset,
        advanced,
        files: pieces.length,
        // The card's "data": the files' names (never the user's folders).
        data: pieces.map((p) => p.file).slice(0, MAX_DATA_NAMES),
        startedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        step: 0,
        totalSteps: 0,
        bestBitsPerNote: null,
        checkpoints: [],
        model: null,
      };
      try {
        await fs.mkdir(runDir(run), { recursive: true });
        await writeFileAtomic(path.join(runDir(run), RUN_FILES.pieces), JSON.stringify(pieces));
      } catch (error) {
        throw new ServiceError(
          `trainer.start: the training data could not be saved in ${runsDir} (${firstLine(error)})`,
        );
      }
      return { job: launch(record, false), run };
    },

    async listen({ job, seed, bars, randomSeed }) {
      const { worker } = liveJobOf(job);
      try {
        return await worker.run('trainer.listen', {
          seed,
          bars,
          randomSeed: randomSeed ?? Math.floor(Math.random() * LIMITS.randomSeed),
        });
      } catch (error) {
        throw new ServiceError(`trainer.listen: ${firstLine(error)}`);
      }
    },

    async checkpoints(run) {
      const record = await runOf(run, 'trainer.checkpoints');
      return { checkpoints: await onDisk(run, record.checkpoints) };
    },

    async checkpointModel(run, step) {
      const record = await runOf(run, 'models.use');
      const found = (await onDisk(run, record.checkpoints)).find((c) => c.step === step);
      if (!found) throw new ServiceError(`models.use: training run ${run} has no checkpoint at step ${step}`);
      return { path: path.join(runDir(run), RUN_FILES.model(step)), name: `${record.name} · step ${step}` };
    },

    async interrupted() {
      const names = await fs.readdir(runsDir).catch(() => [] as string[]);
      const runs: InterruptedRun[] = [];
      for (const name of names) {
        if (!RUN_ID.test(name)) continue;
        const record = await readRecord(name);
        if (!record || record.status === 'done' || isLive(record)) continue;
        const checkpoints = await onDisk(name, record.checkpoints);
        const hasState = await fs
          .access(path.join(runDir(name), RUN_FILES.checkpoint))
          .then(() => true)
          .catch(() => false);
        runs.push({
          run: record.run,
          name: record.name,
          reason: record.status === 'running' ? 'interrupted' : record.status,
          message: record.message,
          from: record.startName,
          preset: record.preset,
          files: record.files,
          startedAt: record.startedAt,
          step: hasState ? (checkpoints.at(-1)?.step ?? record.step) : 0,
          totalSteps: record.totalSteps,
          bestBitsPerNote: checkpoints.at(-1)?.validationBitsPerNote ?? null,
          checkpoints,
        });
      }
      runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      return { runs };
    },

    async resume(run) {
      const record = await runOf(run, 'trainer.resume');
      if (isLive(record)) throw new ServiceError(`trainer.resume: training run ${run} is running`);
      if (record.status === 'done')
        throw new ServiceError(`trainer.resume: training run ${run} has finished`);
      const hasState = await fs
        .access(path.join(runDir(run), RUN_FILES.checkpoint))
        .then(() => true)
        .catch(() => false);
      // A start model deleted since: the checkpoint holds the weights; only the reference line is lost.
      const start =
        record.start &&
        (await fs
          .access(record.start.path)
          .then(() => true)
          .catch(() => false))
          ? record.start
          : null;
      const checkpoints = await onDisk(run, record.checkpoints);
      const resumed: RunRecord = { ...record, start, checkpoints, step: hasState ? record.step : 0 };
      return { job: launch(resumed, hasState), run };
    },

    async discard(run) {
      const record = RUN_ID.test(run) ? await readRecord(run) : null;
      if (!record) return { discarded: false };
      if (isLive(record))
        throw new ServiceError(`trainer.discard: training run ${run} is running; cancel it first`);
      await fs.rm(runDir(run), { recursive: true, force: true });
      return { discarded: true };
    },

    get running() {
      return live.size;
    },

    async dispose() {
      const running = [...live.entries()];
      // Cancelled, each run writes a checkpoint of its step and ends; a worker that does not answer
      // within the grace period is terminated (its previous checkpoint is whole).
      for (const [job] of running) jobs.cancel(job);
      await Promise.all(
        running.map(async ([, { worker, ended }]) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, DISPOSE_GRACE_MS)));
          await Promise.race([ended, grace]);
          clearTimeout(timer);
          await worker.dispose();
        }),
      );
    },
  };
}
