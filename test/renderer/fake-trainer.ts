/**
 * A typed fake of the contract's training and model methods for the renderer's unit tests that need
 * a run on cue: a given progress, a failure, a run left interrupted, an estimate answered late. (The
 * real trainer runs in the in-memory API too; training-state.test.ts follows one real run.) Every
 * other method goes to the real `InMemoryApi` (real import of real MIDI bytes); every call, faked or
 * not, is checked by the contract's `validateArgs` first, so the state modules meet the real
 * schemas. The fake follows the contract's rules: a start answers `{job, run}` before any event of
 * the job, progress carries only new points, `jobs.pause`/`jobs.resume`/`jobs.cancel` answer false
 * for a job that cannot take them, a cancelled or failed run is listed by `trainer.interrupted`.
 *
 * The test drives the run: `progress()` emits the next progress, `finish()` and `fail()` end it.
 */
import type {
  ApiEvents,
  ApiHandlers,
  CheckpointInfo,
  ContinuoApi,
  EventName,
  InterruptedRun,
  MethodArgs,
  MethodName,
  MethodResult,
  ModelInfo,
  TrainerOptions,
  TrainingPlanInfo,
  TrainProgress,
} from '../../app/contract/api';
import { validateArgs } from '../../app/contract/schemas';
import { InMemoryApi, type Call } from './in-memory-api';

type Faked =
  | 'trainer.options'
  | 'trainer.estimate'
  | 'trainer.start'
  | 'trainer.listen'
  | 'trainer.checkpoints'
  | 'trainer.interrupted'
  | 'trainer.resume'
  | 'trainer.discard'
  | 'jobs.pause'
  | 'jobs.resume'
  | 'jobs.cancel'
  | 'models.list'
  | 'models.use'
  | 'models.rename'
  | 'models.delete'
  | 'models.export'
  | 'models.import';

export const OPTIONS: TrainerOptions = {
  presets: [
    { name: 'quick', seconds: 60, maxSteps: 600, summary: 'about a minute' },
    { name: 'standard', seconds: 300, maxSteps: 3000, summary: 'about five minutes' },
    { name: 'large', seconds: 1800, maxSteps: 20000, summary: 'about half an hour' },
  ],
  defaults: {
    preset: 'quick',
    largeCollectionFiles: 100,
    from: 'default',
    seed: 1,
    patience: 8,
    maxTranspose: 5,
  },
  limits: {
    files: 20000,
    steps: 1000000,
    seconds: 86400,
    patience: 1000,
    validateEvery: 10000,
    maxTranspose: 12,
    listenBars: 16,
  },
};

export function model(id: string, name: string, extra: Partial<ModelInfo> = {}): ModelInfo {
  const builtIn = id === 'default';
  return {
    id,
    name,
    builtIn,
    origin: builtIn ? 'bundled' : 'trained',
    addedAt: builtIn ? null : '2026-12-02T04:00:00.000Z',
    trainingSeconds: builtIn ? 600 : 42,
    trainedFrom: builtIn ? 'scratch' : 'Default',
    bitsPerNote: builtIn ? 3.35 : 3.1,
    bitsPerNoteLstm: builtIn ? 3.5 : 3.2,
    training: {
      data: ['nottingham'],
      trainTunes: 25,
      validationTunes: 5,
      epochs: null,
      steps: 300,
      parameters: 120000,
    },
    novelty: 0.5,
    pitchRange: { min: 55, max: 88 },
    memorisationIndex: true,
    problem: null,
    ...extra,
  };
}

export const PLAN: TrainingPlanInfo = {
  start: { kind: 'model', name: 'Default' },
  preset: 'quick',
  parameters: 120000,
  network: { layers: 2, hiddenSize: 128 },
  steps: 600,
  maxSeconds: 60,
  validateEvery: 20,
  patience: 8,
  learningRate: 0.002,
  validation: 'topped-up',
  trainFiles: 2,
  validationFiles: 1,
  trainNotes: 400,
  validationNotes: 200,
  reference: { startModel: 3.35, noteFrequency: 4.6 },
  notes: ['Fine-tuning Default on your files.'],
  warnings: ['Only 3 files: the model may learn them by heart.'],
};

const SECONDS_PER_STEP = 0.05;

interface Run {
  job: string;
  run: string;
  step: number;
  phase: TrainProgress['phase'];
  checkpoints: CheckpointInfo[];
  files: number;
}

export class FakeTrainingApi implements ContinuoApi {
  readonly inner = new InMemoryApi();
  readonly calls: Call[] = [];
  models: ModelInfo[] = [model('default', 'Default')];
  active = 'default';
  interrupted: InterruptedRun[] = [];
  /** Estimates answer only when released, newest last, so a test can see which answer wins. */
  holdEstimates = false;
  readonly #heldEstimates: (() => void)[] = [];
  current: Run | null = null;
  #listeners = new Map<EventName, Set<(payload: never) => void>>();
  #serial = 0;

  readonly handlers: Pick<ApiHandlers, Faked> = {
    'trainer.options': async () => OPTIONS,
    'trainer.estimate': async ({ fileIds, preset }) => {
      if (this.holdEstimates) await new Promise<void>((resolve) => this.#heldEstimates.push(resolve));
      const files = fileIds.map((id) => {
        const entry = this.inner.files.get(id);
        if (!entry) throw new Error(`no imported file has id ${id}`);
        return entry.file;
      });
      const pitches = files.flatMap((f) => f.melody.notes.map((n) => n.pitch));
      const steps = OPTIONS.presets.find((p) => p.name === preset)!.maxSteps;
      return {
        stats: {
          files: files.length,
          melodies: files.filter((f) => f.melody.notes.length > 0).length,
          notes: pitches.length,
          pitchRange: pitches.length ? { min: Math.min(...pitches), max: Math.max(...pitches) } : null,
          timeSignatures: [{ signature: files[0].melody.timeSignature.join('/'), melodies: files.length }],
          extraction: {
            rawNotes: files.reduce((n, f) => n + f.report.rawNotes, 0),
            keptNotes: files.reduce((n, f) => n + f.report.keptNotes, 0),
            droppedChordNotes: files.reduce((n, f) => n + f.report.droppedChordNotes, 0),
            mergedByQuantization: 0,
            truncatedByNextOnset: 0,
            zeroLengthExtended: 0,
            ignoredTracks: 0,
            reasons: [],
          },
          excluded: [],
        },
        plan: { ...PLAN, preset, steps },
        secondsPerStep: SECONDS_PER_STEP,
        seconds: steps * SECONDS_PER_STEP,
        warnings: PLAN.warnings,
      };
    },
    'trainer.start': async ({ fileIds }) => this.#begin(`run-${++this.#serial}`, 0, fileIds.length),
    'trainer.resume': async ({ run }) => {
      const found = this.interrupted.find((r) => r.run === run);
      if (!found) throw new Error(`no training run ${run} is waiting to resume`);
      this.interrupted = this.interrupted.filter((r) => r !== found);
      return this.#begin(run, found.step, found.files, found.checkpoints);
    },
    'trainer.listen': async ({ job, seed, bars }) => {
      const run = this.#running(job);
      const [beats] = seed.timeSignature;
      const end = seed.notes.reduce((e, n) => Math.max(e, n.start + n.duration), 0);
      const from = Math.ceil(end / (beats * 4)) * beats * 4;
      const added = Array.from({ length: bars * beats }, (_, i) => ({
        pitch: 60 + (i % 5),
        start: from + i * 4,
        duration: 4,
        velocity: 80,
      }));
      return {
        step: run.step,
        melody: { ...seed, notes: [...seed.notes, ...added] },
        seedNotes: seed.notes.length,
        endStep: from + bars * beats * 4,
      };
    },
    'trainer.checkpoints': async ({ run }) => ({
      checkpoints:
        this.current?.run === run
          ? this.current.checkpoints
          : (this.interrupted.find((r) => r.run === run)?.checkpoints ?? []),
    }),
    'trainer.interrupted': async () => ({ runs: this.interrupted }),
    'trainer.discard': async ({ run }) => {
      const before = this.interrupted.length;
      this.interrupted = this.interrupted.filter((r) => r.run !== run);
      return { discarded: this.interrupted.length < before };
    },
    'jobs.pause': async ({ job }) => {
      const run = this.current;
      if (run?.job !== job || run.phase !== 'training') return { paused: false };
      run.phase = 'paused';
      return { paused: true };
    },
    'jobs.resume': async ({ job }) => {
      const run = this.current;
      if (run?.job !== job || run.phase !== 'paused') return { resumed: false };
      run.phase = 'training';
      return { resumed: true };
    },
    'jobs.cancel': async (args) => {
      const run = this.current;
      if (run?.job !== args.job) return this.inner.invoke('jobs.cancel', args);
      this.#end('cancelled');
      return { cancelled: true };
    },
    'models.list': async () => ({ models: this.models, active: this.active }),
    'models.use': async ({ from }) => {
      let used: ModelInfo;
      if (from.kind === 'model') {
        const found = this.models.find((m) => m.id === from.id);
        if (!found) throw new Error(`no model has id ${from.id}`);
        used = found;
      } else {
        used = model(`${from.run}-step-${from.step}`, `${from.run} at step ${from.step}`);
        this.models = [this.models[0], used, ...this.models.slice(1)];
      }
      this.active = used.id;
      return { model: used };
    },
    'models.rename': async ({ model: id, name }) => {
      const found = this.models.find((m) => m.id === id);
      if (!found || found.builtIn) throw new Error(`model ${id} cannot be renamed`);
      const renamed = { ...found, name };
      this.models = this.models.map((m) => (m.id === id ? renamed : m));
      return { model: renamed };
    },
    'models.delete': async ({ model: id }) => {
      if (id === 'default') throw new Error('the bundled default model cannot be deleted');
      const before = this.models.length;
      this.models = this.models.filter((m) => m.id !== id);
      if (this.active === id) this.active = 'default';
      return { deleted: this.models.length < before };
    },
    'models.export': async ({ model: id }) => ({
      fileName: `${this.models.find((m) => m.id === id)?.name ?? id}.continuo`,
      bytes: new TextEncoder().encode(`model ${id}`),
    }),
    'models.import': async ({ name, bytes }) => {
      if (new TextDecoder().decode(bytes.slice(0, 5)) !== 'model')
        throw new Error(`${name} is not a Continuo model file`);
      const added = model(`imported-${++this.#serial}`, name.replace(/\.continuo$/, ''), {
        origin: 'imported',
      });
      this.models = [this.models[0], added, ...this.models.slice(1)];
      return { model: added };
    },
  };

  /** Releases the estimates held so far, in the order given (indices into the held list). */
  releaseEstimates(order?: number[]): void {
    const held = this.#heldEstimates.splice(0);
    for (const i of order ?? held.map((_, i) => i)) held[i]();
  }

  get heldEstimates(): number {
    return this.#heldEstimates.length;
  }

  async invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    this.calls.push({ method, args });
    if (!Object.hasOwn(this.handlers, method)) return this.inner.invoke(method, args);
    const handler = this.handlers[method as Faked] as (a: unknown) => Promise<MethodResult<M>>;
    return handler(validateArgs(method, args));
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    const offInner = this.inner.on(event, listener);
    return () => {
      set.delete(listener as (payload: never) => void);
      offInner();
    };
  }

  listenerCount(event: EventName): number {
    return (this.#listeners.get(event)?.size ?? 0) + this.inner.listenerCount(event);
  }

  /** The running job's next progress: `steps` more steps, with the given points. */
  progress(extra: Partial<TrainProgress> = {}, steps = 10): TrainProgress {
    const run = this.current;
    if (!run) throw new Error('no training runs');
    if (run.phase === 'planning') run.phase = 'training';
    if (run.phase === 'training') run.step += steps;
    const progress: TrainProgress = {
      run: run.run,
      phase: run.phase,
      step: run.step,
      totalSteps: PLAN.steps,
      elapsedSec: run.step * SECONDS_PER_STEP,
      etaSec: (PLAN.steps - run.step) * SECONDS_PER_STEP,
      tokensPerSec: 4000,
      plan: null,
      train: [],
      validation: [],
      gradNorm: [],
      tokensPerSecCurve: [],
      checkpoints: [],
      lines: [],
      ...extra,
    };
    run.checkpoints = [...run.checkpoints, ...progress.checkpoints];
    this.#emit('job.progress', { job: run.job, kind: 'trainer.train', progress });
    return progress;
  }

  /** Ends the run with its model saved. */
  finish(): ModelInfo {
    const run = this.current!;
    const made = model(`${run.run}-final`, `Trained ${run.run}`);
    this.models = [this.models[0], made, ...this.models.slice(1)];
    this.current = null;
    this.#emit('job.done', {
      job: run.job,
      kind: 'trainer.train',
      result: {
        run: run.run,
        model: made,
        stoppedBy: 'early-stop',
        step: run.step,
        elapsedSec: run.step * SECONDS_PER_STEP,
        bestBitsPerNote: 3.1,
      },
    });
    return made;
  }

  /** The worker died: the job fails and the run waits to be resumed. */
  fail(message: string): void {
    this.#end('failed', message);
  }

  #begin(run: string, step: number, files: number, checkpoints: CheckpointInfo[] = []) {
    if (this.current) throw new Error('a training is already running');
    const job = `train-job-${++this.#serial}`;
    this.current = { job, run, step, phase: 'planning', checkpoints, files };
    return { job, run };
  }

  #running(job: string): Run {
    if (this.current?.job !== job) throw new Error(`no training job ${job} is running`);
    return this.current;
  }

  #end(reason: 'cancelled' | 'failed', message: string | null = null): void {
    const run = this.current!;
    this.current = null;
    const last = run.checkpoints.at(-1);
    this.interrupted = [
      {
        run: run.run,
        name: `Training ${run.run}`,
        reason,
        message,
        from: 'Default',
        preset: 'quick',
        files: run.files,
        startedAt: '2026-12-02T04:00:00.000Z',
        step: last?.step ?? 0,
        totalSteps: PLAN.steps,
        bestBitsPerNote: last?.validationBitsPerNote ?? null,
        checkpoints: run.checkpoints,
      },
      ...this.interrupted,
    ];
    if (reason === 'cancelled') this.#emit('job.cancelled', { job: run.job });
    else this.#emit('job.failed', { job: run.job, message: message ?? 'failed' });
  }

  #emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as (p: ApiEvents[E]) => void)(payload);
  }
}

export function checkpoint(run: string, step: number, bits: number | null): CheckpointInfo {
  return {
    run,
    step,
    validationBitsPerNote: bits,
    bestStep: step,
    elapsedSec: step * SECONDS_PER_STEP,
    savedAt: '2026-12-02T04:01:00.000Z',
  };
}
