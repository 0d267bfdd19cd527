/**
 * Training as the Library & Train view sees it (app/contract/api.ts, "Training"):
 *
 * - the training set: the imported files, each chosen or not (new imports come chosen);
 * - the settings: start model, preset, advanced fields (empty = the preset's choice);
 * - the estimate for that set and those settings (statistics, plan, warnings, time here), asked
 *   again a moment after they change while the view is connected, the newest answer winning;
 * - one run at a time: its `trainer.train` job followed through startJob, its progress folded into
 *   the chart data (appended in place; `revision` tells the charts to redraw), its checkpoints,
 *   pause/resume/cancel, and "listen", a continuation of the seed from the weights of now;
 * - the runs that no job runs (killed with the app, failed, cancelled), offered to resume or discard.
 */
import type {
  CheckpointInfo,
  ContinuoApi,
  ImportedFile,
  InterruptedRun,
  ListenResult,
  Melody,
  TrainerOptions,
  TrainingAdvanced,
  TrainingEstimate,
  TrainingPlanInfo,
  TrainingPresetName,
  TrainProgress,
  TrainResult,
} from '../../../app/contract/api';
import { SvelteSet } from 'svelte/reactivity';
import { startJob, type RunningJob } from '../api/jobs';
import { AlignedCurves } from '../train/curves';
import { bitsText, durationText } from '../train/train-text';
import { messageOf } from './library.svelte';
import type { ModelsState } from './models.svelte';

/** The advanced settings as the form holds them: null (or '' for the name) = the preset's choice. */
export interface AdvancedForm {
  steps: number | null;
  seconds: number | null;
  seed: number | null;
  patience: number | null;
  validateEvery: number | null;
  learningRate: number | null;
  maxTranspose: number | null;
  name: string;
}

export const EMPTY_ADVANCED: AdvancedForm = {
  steps: null,
  seconds: null,
  seed: null,
  patience: null,
  validateEvery: null,
  learningRate: null,
  maxTranspose: null,
  name: '',
};

/** The contract's advanced settings: only the fields the user set. */
export function advancedArgs(form: AdvancedForm): TrainingAdvanced {
  const out: TrainingAdvanced = {};
  for (const key of [
    'steps',
    'seconds',
    'seed',
    'patience',
    'validateEvery',
    'learningRate',
    'maxTranspose',
  ] as const) {
    const value = form[key];
    if (value !== null && Number.isFinite(value)) out[key] = value;
  }
  if (form.name.trim() !== '') out.name = form.name.trim();
  return out;
}

/** Bars a listen adds to the seed. */
export const LISTEN_BARS = 4;
/** How long the settings must stay unchanged before they are estimated (each estimate probes a few steps). */
export const ESTIMATE_DELAY_MS = 400;

export interface RunView {
  job: string;
  run: string | null;
  phase: TrainProgress['phase'];
  step: number;
  totalSteps: number;
  elapsedSec: number;
  etaSec: number | null;
  tokensPerSec: number | null;
  lines: string[];
}

export type RunEnd =
  | { status: 'done'; result: TrainResult }
  | { status: 'failed'; message: string }
  | { status: 'cancelled'; step: number };

/** The loss chart's series: 0 training, 1 validation; then its reference lines: 0 start model, 1 note-frequency baseline. */
export const LOSS_SERIES = { train: 0, validation: 1, startModel: 0, noteFrequency: 1 } as const;

export class TrainingState {
  options = $state.raw<TrainerOptions | null>(null);
  /** Files left out of the training set (new imports are in). */
  readonly #left = new SvelteSet<string>();
  from = $state<string>('default');
  /** The preset the user picked, or null while the data chooses it (see `preset`). */
  presetChoice = $state<TrainingPresetName | null>(null);
  advanced = $state<AdvancedForm>({ ...EMPTY_ADVANCED });

  estimate = $state.raw<TrainingEstimate | null>(null);
  estimating = $state(false);
  estimateError = $state<string | null>(null);

  running = $state.raw<RunView | null>(null);
  plan = $state.raw<TrainingPlanInfo | null>(null);
  ended = $state.raw<RunEnd | null>(null);
  /** The run the checkpoints belong to (the running one, or the last one). */
  runId = $state<string | null>(null);
  checkpoints = $state.raw<CheckpointInfo[]>([]);
  /** Bumped after chart data changed in place. */
  revision = $state(0);
  /** Between a click and the host's answer (start, pause, resume, cancel). */
  pending = $state<'start' | 'pause' | 'resume' | 'cancel' | null>(null);
  notice = $state<string | null>(null);

  listening = $state(false);
  listened = $state.raw<ListenResult | null>(null);
  listenError = $state<string | null>(null);

  interrupted = $state.raw<InterruptedRun[]>([]);

  /** Chart data, plain arrays changed in place (never proxied): bits/note, gradient norm, tokens/s. */
  readonly loss = new AlignedCurves(2, [null, null]);
  readonly gradNorm = new AlignedCurves(1);
  readonly speed = new AlignedCurves(1);

  readonly files: ImportedFile[] = $derived.by(() => this.libraryFiles());
  readonly chosen: ImportedFile[] = $derived(this.files.filter((f) => !this.#left.has(f.id)));
  readonly chosenIds: string[] = $derived(this.chosen.map((f) => f.id));
  readonly allChosen = $derived(this.chosen.length === this.files.length && this.files.length > 0);
  readonly paused = $derived(this.running?.phase === 'paused');
  /**
   * The preset a start uses: the user's pick, else the engine's rule (TrainerOptions.defaults):
   * a quick fine-tune of a small collection, the standard preset for a large one or from scratch.
   */
  get preset(): TrainingPresetName {
    if (this.presetChoice !== null) return this.presetChoice;
    const defaults = this.options?.defaults;
    if (!defaults) return 'quick';
    return this.from !== 'scratch' && this.chosen.length < defaults.largeCollectionFiles
      ? defaults.preset
      : 'standard';
  }
  set preset(preset: TrainingPresetName) {
    this.presetChoice = preset;
  }

  /** The request an estimate or a start is made of. */
  readonly request = $derived({
    fileIds: this.chosenIds,
    from: this.from,
    preset: this.preset,
    advanced: advancedArgs(this.advanced),
  });
  /** Whether Start can be pressed, and why not. */
  readonly blocked: string | null = $derived.by(() => {
    if (this.running) return 'A training is running.';
    if (this.files.length === 0) return 'Import MIDI files to train on first.';
    if (this.chosen.length === 0) return 'Choose at least one file to train on.';
    return null;
  });

  #job: RunningJob<'trainer.train'> | null = null;
  #jobId = '';
  #lifetime = new AbortController();
  #estimateSerial = 0;

  private readonly api: ContinuoApi;
  private readonly libraryFiles: () => ImportedFile[];
  private readonly seed: () => Melody;
  private readonly play: (melody: Melody) => Promise<void>;
  private readonly models: ModelsState;
  private readonly later: (fn: () => void, ms: number) => () => void;

  constructor(deps: {
    api: ContinuoApi;
    files: () => ImportedFile[];
    seed: () => Melody;
    play: (melody: Melody) => Promise<void>;
    models: ModelsState;
    /** setTimeout by default; returns the cancel. */
    later?: (fn: () => void, ms: number) => () => void;
  }) {
    this.api = deps.api;
    this.libraryFiles = deps.files;
    this.seed = deps.seed;
    this.play = deps.play;
    this.models = deps.models;
    this.later =
      deps.later ??
      ((fn, ms) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      });
  }

  /** At startup: the panel's options and the runs left from before (offered to resume). */
  async load(): Promise<void> {
    try {
      const options = await this.api.invoke('trainer.options', {});
      this.options = options;
      this.from = options.defaults.from;
    } catch (error) {
      this.notice = `Training is not available: ${messageOf(error)}`;
    }
    await this.loadInterrupted();
  }

  async loadInterrupted(): Promise<void> {
    try {
      this.interrupted = (await this.api.invoke('trainer.interrupted', {})).runs;
    } catch (error) {
      this.notice = `Could not look for interrupted trainings: ${messageOf(error)}`;
    }
  }

  /**
   * While the view is shown: estimates the request a moment after it last changed. Returns the
   * teardown (stops estimating; a running training goes on).
   */
  connect(): () => void {
    const lifetime = new AbortController();
    this.#lifetime = lifetime;
    const stop = $effect.root(() => {
      $effect(() => {
        const request = this.request;
        if (request.fileIds.length === 0) {
          this.#estimateSerial++;
          this.estimate = null;
          this.estimating = false;
          return;
        }
        return this.later(() => void this.#estimate(request), ESTIMATE_DELAY_MS);
      });
    });
    return () => {
      stop();
      lifetime.abort();
    };
  }

  // ---- the training set

  isChosen(id: string): boolean {
    return !this.#left.has(id);
  }

  choose(id: string, chosen: boolean): void {
    if (chosen) this.#left.delete(id);
    else this.#left.add(id);
  }

  chooseAll(chosen: boolean): void {
    this.#left.clear();
    if (!chosen) for (const f of this.files) this.#left.add(f.id);
  }

  setAdvanced<K extends keyof AdvancedForm>(key: K, value: AdvancedForm[K]): void {
    this.advanced = { ...this.advanced, [key]: value };
  }

  async #estimate(request: TrainingState['request']): Promise<void> {
    const serial = ++this.#estimateSerial;
    this.estimating = true;
    try {
      const estimate = await this.api.invoke('trainer.estimate', request);
      if (serial !== this.#estimateSerial) return;
      this.estimate = estimate;
      this.estimateError = null;
    } catch (error) {
      if (serial !== this.#estimateSerial) return;
      this.estimate = null;
      this.estimateError = messageOf(error);
    } finally {
      if (serial === this.#estimateSerial) this.estimating = false;
    }
  }

  // ---- a run

  start(): Promise<void> {
    if (this.blocked || this.pending) return Promise.resolve();
    const request = this.request;
    return this.#follow(async () => {
      const { job, run } = await this.api.invoke('trainer.start', request);
      return { job, run };
    });
  }

  /** Continues an interrupted run from its last checkpoint, as a new job. */
  resumeRun(run: string): Promise<void> {
    if (this.running || this.pending) return Promise.resolve();
    const kept = this.interrupted.find((r) => r.run === run)?.checkpoints ?? [];
    this.interrupted = this.interrupted.filter((r) => r.run !== run);
    return this.#follow(async () => {
      const started = await this.api.invoke('trainer.resume', { run });
      return { job: started.job, run: started.run };
    }, kept);
  }

  async discardRun(run: string): Promise<void> {
    try {
      await this.api.invoke('trainer.discard', { run });
      this.interrupted = this.interrupted.filter((r) => r.run !== run);
    } catch (error) {
      this.notice = `Could not discard that training: ${messageOf(error)}`;
    }
  }

  async #follow(
    start: () => Promise<{ job: string; run: string }>,
    keep: CheckpointInfo[] = [],
  ): Promise<void> {
    this.pending = 'start';
    this.notice = null;
    this.ended = null;
    this.listened = null;
    this.listenError = null;
    this.plan = null;
    this.checkpoints = keep;
    for (const curves of [this.loss, this.gradNorm, this.speed]) curves.clear();
    this.loss.setConstant(LOSS_SERIES.startModel, null);
    this.loss.setConstant(LOSS_SERIES.noteFrequency, null);
    this.revision++;
    let runId: string | null = null;
    let job: RunningJob<'trainer.train'> | null;
    try {
      job = await startJob(
        this.api,
        'trainer.train',
        async () => {
          const started = await start();
          runId = started.run;
          this.runId = started.run;
          this.#jobId = started.job;
          return started.job;
        },
        (progress) => this.#progress(progress),
        this.#lifetime.signal,
      );
    } catch (error) {
      this.pending = null;
      this.notice = `Training did not start: ${messageOf(error)}`;
      await this.loadInterrupted();
      return;
    }
    if (!job) {
      this.pending = null;
      return;
    }
    this.#job = job;
    this.running ??= {
      job: job.job,
      run: runId,
      phase: 'planning',
      step: 0,
      totalSteps: 0,
      elapsedSec: 0,
      etaSec: null,
      tokensPerSec: null,
      lines: [],
    };
    this.pending = null;
    const end = await job.ended;
    const last = this.running;
    this.#job = null;
    this.running = null;
    this.pending = null;
    if (end.status === 'done') {
      this.ended = { status: 'done', result: end.result };
      await this.models.load();
    } else if (end.status === 'failed') {
      this.ended = { status: 'failed', message: end.message };
    } else {
      this.ended = { status: 'cancelled', step: last?.step ?? 0 };
    }
    if (runId) await this.#refreshCheckpoints(runId);
    if (end.status !== 'done') await this.loadInterrupted();
  }

  #progress(p: TrainProgress): void {
    // The run's scalars as they are now; the curves and checkpoints are folded in below.
    const { run, phase, step, totalSteps, elapsedSec, etaSec, tokensPerSec } = p;
    const lines = this.running?.lines ?? [];
    this.running = {
      ...{ run, phase, step, totalSteps, elapsedSec, etaSec, tokensPerSec },
      job: this.#jobId,
      lines: p.lines.length > 0 ? [...lines, ...p.lines] : lines,
    };
    if (p.plan) {
      this.plan = p.plan;
      this.loss.setConstant(LOSS_SERIES.startModel, p.plan.reference.startModel);
      this.loss.setConstant(LOSS_SERIES.noteFrequency, p.plan.reference.noteFrequency);
    }
    const changed = [
      this.loss.add(LOSS_SERIES.train, p.train),
      this.loss.add(LOSS_SERIES.validation, p.validation),
      this.gradNorm.add(0, p.gradNorm),
      this.speed.add(0, p.tokensPerSecCurve),
    ].some(Boolean);
    if (changed || p.plan) this.revision++;
    if (p.checkpoints.length > 0) this.checkpoints = mergeCheckpoints(this.checkpoints, p.checkpoints);
  }

  async #refreshCheckpoints(run: string): Promise<void> {
    try {
      const { checkpoints } = await this.api.invoke('trainer.checkpoints', { run });
      this.checkpoints = mergeCheckpoints([], checkpoints);
    } catch {
      // The run's folder may be gone (discarded); the list from progress stays.
    }
  }

  async pause(): Promise<void> {
    await this.#control('pause', async (job) => {
      const { paused } = await this.api.invoke('jobs.pause', { job });
      if (paused && this.running) this.running = { ...this.running, phase: 'paused' };
    });
  }

  async resume(): Promise<void> {
    await this.#control('resume', async (job) => {
      const { resumed } = await this.api.invoke('jobs.resume', { job });
      if (resumed && this.running) this.running = { ...this.running, phase: 'training' };
    });
  }

  /** Stops the run; its last checkpoint is kept (it can be resumed or used). */
  async cancel(): Promise<void> {
    await this.#control('cancel', async () => {
      await this.#job?.cancel();
    });
  }

  async #control(what: 'pause' | 'resume' | 'cancel', act: (job: string) => Promise<void>): Promise<void> {
    const job = this.running?.job;
    if (!job || this.pending) return;
    this.pending = what;
    try {
      await act(job);
    } catch (error) {
      this.notice = `Could not ${what} the training: ${messageOf(error)}`;
    } finally {
      this.pending = null;
    }
  }

  /** A continuation of the seed from the weights of now, played; training goes on. */
  async listen(): Promise<void> {
    const job = this.running?.job;
    if (!job || this.listening) return;
    this.listening = true;
    this.listenError = null;
    try {
      const result = await this.api.invoke('trainer.listen', { job, seed: this.seed(), bars: LISTEN_BARS });
      this.listened = result;
      await this.play(result.melody);
    } catch (error) {
      this.listenError = `Could not listen: ${messageOf(error)}`;
    } finally {
      this.listening = false;
    }
  }

  /** Saves a checkpoint of this run as a model and makes it the active one. */
  async useCheckpoint(step: number): Promise<void> {
    if (!this.runId) return;
    await this.models.useCheckpoint(this.runId, step);
  }

  dispose(): void {
    this.#lifetime.abort();
  }
}

/** The checkpoints by step, one per step (a later record of a step replaces an earlier one). */
function mergeCheckpoints(known: CheckpointInfo[], added: CheckpointInfo[]): CheckpointInfo[] {
  // A plain lookup for this one computation, not state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const byStep = new Map<number, CheckpointInfo>();
  for (const c of [...known, ...added]) byStep.set(c.step, c);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** The run's state in one line for the progress bar's label. */
export function runText(run: RunView): string {
  const phase = {
    planning: 'Planning (splitting the data, measuring speed)',
    training: 'Training',
    paused: 'Paused',
    finishing: 'Finishing (fitting the in-piece memory, metre and index)',
  }[run.phase];
  const steps =
    run.totalSteps > 0
      ? ` · step ${run.step.toLocaleString('en')} of ${run.totalSteps.toLocaleString('en')}`
      : '';
  const eta =
    run.etaSec === null || run.phase === 'paused' ? '' : ` · about ${durationText(run.etaSec)} left`;
  return `${phase}${steps}${eta}`;
}

/** How the last run ended, in words. */
export function endText(end: RunEnd): string {
  switch (end.status) {
    case 'done': {
      const r = end.result;
      const why = { steps: 'its step budget', time: 'its time budget', 'early-stop': 'early stopping' }[
        r.stoppedBy
      ];
      return `Finished after ${durationText(r.elapsedSec)} (${why}, step ${r.step}): saved ${r.model.name}, best ${bitsText(r.bestBitsPerNote)}.`;
    }
    case 'failed':
      return `Training stopped: ${end.message}. It can be resumed from its last checkpoint.`;
    case 'cancelled':
      return `Training cancelled at step ${end.step}; its last checkpoint is kept.`;
  }
}
