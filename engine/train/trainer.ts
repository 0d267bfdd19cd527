/**
 * The training loop. It reports only through callbacks, stops when its AbortSignal fires, saves
 * checkpoints through a caller-supplied function (the loop never touches the file system), stops
 * early when validation stops improving, and resumes exactly: a run resumed from the checkpoint of
 * step k produces bit-identical parameters to an uninterrupted run at every later step, because the
 * checkpoint holds everything the next step reads (current weights, Adam moments and step count, the
 * batch stream's lanes and RNG, the LSTM state carried across windows, the validation history).
 *
 * Validation is measured every `validateEvery` steps as bits per note of the LSTM alone over the
 * validation melodies, each read from its start to its end (leading rest, notes and END), the same
 * quantity engine/eval reports. The weights with the best validation so far are kept as the result.
 *
 * Budgets are in steps and seconds, never epochs: an epoch of 25 tunes is two steps, so a patience or
 * a length counted in epochs means nothing on a user's small collection. Early stopping counts
 * validations without a new best, and only once the best has beaten `floorBitsPerNote` (the
 * note-frequency baseline of the same data, ./baseline.ts): a run that has not yet learned more than
 * how often each token occurs is still warming up, not over-fitting. The loss is reported in
 * bits/note too, so training and validation curves share one unit.
 *
 * Training can start from given weights (fine-tuning a model); `startWeightsProblem` says in words
 * why weights do not fit a configuration. `pause` is awaited before every step (a worker's pause
 * button), and `onWeights` hands out read access to the current and best weights (copies), so a
 * caller can generate from the model while it learns.
 */
import type { Melody } from '../midi/types.js';
import {
  Adam,
  clipGradNorm,
  createNetwork,
  initParams,
  mixSeed,
  paramCount,
  zeroState,
  type BackendChoice,
  type LstmState,
  type ModelConfig,
  type Network,
} from '../nn/index.js';
import { VOCABULARY, countNotes, tokenKind, vocabularyMismatch, type Vocabulary } from '../tokens/index.js';
import { BatchStream, tokenSource, type BatchStreamState, type EncodedPiece } from './dataset.js';
import { lstmSequence } from '../model/encoding.js';

export interface StepReport {
  step: number;
  epoch: number; // fractional: steps done / steps per epoch (an epoch = the training tokens once)
  loss: number; // mean cross-entropy of this batch, nats per token
  bitsPerNote: number; // the same loss in bits per note of the batch (the unit validation uses)
  plannedSteps: number; // the step budget
  gradNorm: number; // global L2 norm before clipping
  learningRate: number;
  tokensPerSec: number; // over the recent steps of this process
  etaSec: number; // to the end of the step or time budget at the recent rate, whichever comes first
  elapsedSec: number; // training time including earlier runs of a resumed training
}

export interface ValidationReport {
  step: number;
  epoch: number;
  bitsPerNote: number;
  bestBitsPerNote: number;
  bestStep: number;
  improved: boolean;
  /** Validations in a row without a new best that count towards `patience` (0 before the floor is beaten). */
  validationsWithoutImprovement: number;
  /** The note-frequency baseline early stopping waits for (null when none was given). */
  floorBitsPerNote: number | null;
  /** Whether the best so far beats that floor. */
  beatsFloor: boolean;
}

/** Read access to the weights of a running training (copies: the caller may keep them). */
export interface WeightAccess {
  readonly config: ModelConfig;
  /** The weights after the latest step. */
  current(): Float32Array;
  /** The weights with the best validation so far (the current ones when there is no validation). */
  best(): Float32Array;
  /** The step the current weights belong to. */
  step(): number;
}

export interface TrainCallbacks {
  onStep?(report: StepReport): void;
  onValidation?(report: ValidationReport): void;
  /** A checkpoint was handed to `saveCheckpoint` (after it returned). */
  onCheckpoint?(step: number): void;
}

/** Everything that goes into a checkpoint: JSON-able state plus named float arrays. */
export interface TrainerSnapshot {
  state: TrainerState;
  blobs: Map<string, Float32Array>;
}

export interface TrainerState {
  kind: 'continuo-training-state';
  /** The token vocabulary the weights were trained on; a checkpoint of another vocabulary is refused. */
  vocabulary: Vocabulary;
  config: ModelConfig;
  seed: number;
  step: number;
  elapsedSec: number;
  adamStep: number;
  stream: BatchStreamState;
  bestBitsPerNote: number | null;
  bestStep: number;
  validationsWithoutImprovement: number;
  history: { step: number; bitsPerNote: number }[];
  finished: null | 'steps' | 'time' | 'early-stop';
  trainFiles: number;
  trainNotes: number;
  /** The run's settings, so a resumed run can use the same ones. */
  settings: TrainingSettings;
  /** Whatever the caller passed as `extra` (e.g. the CLI's data arguments). */
  extra: Record<string, unknown>;
}

export interface TrainingSettings {
  steps: number;
  maxSeconds: number | null;
  validateEvery: number;
  patience: number;
  floorBitsPerNote: number | null;
  learningRate: number;
  warmupSteps: number;
  maxTranspose: number;
  pitchRange: { min: number; max: number };
  minLearningRateFraction: number;
}

export interface TrainingSetup {
  config: ModelConfig;
  train: readonly Melody[];
  validation: readonly Melody[];
  seed: number;
  /** The step budget: the learning rate schedule spans it and training stops when it is spent. */
  steps: number;
  /** The time budget in seconds of training (pauses not counted); stops at the first step past it. */
  maxSeconds?: number;
  /** Steps between validations; default: about one per epoch, at least 1. */
  validateEvery?: number;
  /** Stop after this many validations in a row without a new best; 0 = never stop early. */
  patience?: number;
  /** Early stopping waits until the best validation is below this (the note-frequency baseline). */
  floorBitsPerNote?: number;
  /** Start from these weights (fine-tuning) instead of random ones; see `startWeightsProblem`. */
  initialParams?: Float32Array;
  /** Peak learning rate; default the config's. */
  learningRate?: number;
  /** Steps of linear warm-up to the peak (default 0), then the half-cosine decay. */
  warmupSteps?: number;
  /** Awaited before every step: a promise that resolves on resume pauses training. */
  pause?: () => void | Promise<void>;
  /** Called once before the first step with read access to the weights. */
  onWeights?: (access: WeightAccess) => void;
  /** Largest transposition in semitones for augmentation (0 = off). Default 6. */
  maxTranspose?: number;
  /** Pitches the augmentation may transpose into; default: the training tunes' range widened by 3. */
  pitchRange?: { min: number; max: number };
  /** Milliseconds between checkpoints (wall clock); default 120 000. Also saved at validation and at the end. */
  checkpointEveryMs?: number;
  /** Learning rate decays by a half cosine to `minLearningRateFraction` of the config's over the planned steps. */
  minLearningRateFraction?: number;
  backend?: BackendChoice;
  signal?: AbortSignal;
  callbacks?: TrainCallbacks;
  /** Stores a checkpoint; a returned promise is awaited before training goes on. */
  saveCheckpoint?: (snapshot: TrainerSnapshot, bestParams: Float32Array) => void | Promise<void>;
  /** Continue from this checkpoint (config, seed and batch size must match). */
  resume?: TrainerSnapshot;
  /** Clock for rates and checkpoint timing; injectable so tests are not timing-dependent. */
  now?: () => number;
  /** Plain data stored in every checkpoint as `state.extra`. */
  extra?: Record<string, unknown>;
}

export interface TrainingResult {
  /** The weights with the best validation bits/note (the last weights when there is no validation set). */
  params: Float32Array;
  bestBitsPerNote: number | null;
  bestStep: number;
  step: number;
  epoch: number;
  elapsedSec: number;
  stoppedBy: 'steps' | 'time' | 'early-stop' | 'abort';
  history: { step: number; bitsPerNote: number }[];
  /** Final snapshot (what the last checkpoint holds). */
  snapshot: TrainerSnapshot;
  /** Current weights and Adam state at the stop, for tests comparing runs. */
  currentParams: Float32Array;
}

/**
 * The pitch range the LSTM is trained on: the training melodies' lowest and highest notes ± 3, the
 * room random transposition may use. Stored in model files (`training.pitchRange`).
 */
export function trainingPitchRange(melodies: readonly Melody[]): { min: number; max: number } {
  let min = 127;
  let max = 0;
  for (const m of melodies)
    for (const n of m.notes) {
      if (n.pitch < min) min = n.pitch;
      if (n.pitch > max) max = n.pitch;
    }
  if (min > max) return { min: 0, max: 127 };
  return { min: Math.max(0, min - 3), max: Math.min(127, max + 3) };
}

/**
 * Why `weights` cannot start a training of `config`, in words, or null when they can: the count
 * must be the configuration's and every number finite.
 */
export function startWeightsProblem(config: ModelConfig, weights: Float32Array): string | null {
  const n = paramCount(config);
  if (weights.length !== n)
    return `the start weights hold ${weights.length.toLocaleString('en-US')} numbers, the configuration needs ${n.toLocaleString('en-US')}`;
  for (let i = 0; i < weights.length; i++)
    if (!Number.isFinite(weights[i])) return `start weight ${i} is not a finite number`;
  return null;
}

/** Notes completed in a batch's targets (PITCH tokens with a target): the denominator of its bits/note. */
function targetNotes(targets: Int32Array): number {
  let n = 0;
  for (let i = 0; i < targets.length; i++) if (targets[i] >= 0 && tokenKind(targets[i]) === 'pitch') n++;
  return n;
}

/** Zero lane `b` of a [L, B, H] state. */
function resetLane(state: LstmState, config: ModelConfig, b: number): void {
  const H = config.hiddenSize;
  for (let l = 0; l < config.layers; l++) {
    const at = (l * state.batchSize + b) * H;
    state.h.fill(0, at, at + H);
    state.c.fill(0, at, at + H);
  }
}

/**
 * Bits per note of the LSTM over whole melodies: B lanes each read whole pieces from the start,
 * state carried across windows and zeroed at each new piece.
 */
export function lstmBitsPerNote(
  net: Network,
  params: Float32Array,
  pieces: readonly EncodedPiece[],
  notes: number,
  batchSize: number,
  windowLength: number,
): number {
  if (pieces.length === 0 || notes === 0) return NaN;
  const config = net.config;
  const B = Math.min(batchSize, pieces.length);
  const T = windowLength;
  // Longest first, each to the lane that frees up first, so lanes finish close together.
  const order = pieces.map((_, i) => i).sort((a, b) => pieces[b].tokens.length - pieces[a].tokens.length);
  const queues: number[][] = Array.from({ length: B }, () => []);
  const load = new Array<number>(B).fill(0);
  for (const i of order) {
    let lane = 0;
    for (let b = 1; b < B; b++) if (load[b] < load[lane]) lane = b;
    queues[lane].push(i);
    load[lane] += Math.ceil((pieces[i].tokens.length - 1) / T);
  }
  const cursor = queues.map(() => ({ piece: -1, offset: 0 }));
  const state = zeroState(config, B);
  const tokens = new Int32Array(B * T);
  const extras = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  let lossSum = 0;
  for (;;) {
    let active = false;
    targets.fill(-1);
    tokens.fill(0);
    extras.fill(0);
    for (let b = 0; b < B; b++) {
      const c = cursor[b];
      if (c.piece < 0 || c.offset >= pieces[queues[b][c.piece]].tokens.length - 1) {
        if (c.piece + 1 >= queues[b].length) continue;
        c.piece++;
        c.offset = 0;
        resetLane(state, config, b);
      }
      const p = pieces[queues[b][c.piece]];
      const end = Math.min(p.tokens.length - 1, c.offset + T);
      for (let i = c.offset, t = b * T; i < end; i++, t++) {
        tokens[t] = p.tokens[i];
        extras[t] = p.conditions ? p.conditions[i] : 0;
        targets[t] = p.tokens[i + 1];
      }
      c.offset += T;
      active = true;
    }
    if (!active) break;
    const r = net.evaluate(
      params,
      { batchSize: B, seqLen: T, tokens, targets, extras: config.extraVocabSize > 0 ? extras : undefined },
      state,
    );
    lossSum += r.lossSum;
    state.h.set(r.state.h);
    state.c.set(r.state.c);
  }
  return lossSum / Math.LN2 / notes;
}

// Lets an AbortSignal (Ctrl-C, a worker message) fire between steps. setTimeout where setImmediate is
// missing (a page); its ~1 ms clamp is small next to a training step.
/** A checkpoint that does not fit this run (other config, seed, data or vocabulary); one line. */
export class ResumeError extends Error {
  override readonly name = 'ResumeError';
}

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

export async function train(setup: TrainingSetup): Promise<TrainingResult> {
  const { config, seed } = setup;
  const now = setup.now ?? (() => performance.now());
  const callbacks = setup.callbacks ?? {};
  const B = config.batchSize;
  const T = config.seqLen;
  if (setup.train.length === 0) throw new Error('no training melodies');
  if (!(Number.isInteger(setup.steps) && setup.steps >= 1))
    throw new RangeError(`the step budget must be a whole number ≥ 1, got ${setup.steps}`);
  if (setup.maxSeconds !== undefined && !(setup.maxSeconds > 0))
    throw new RangeError(`the time budget must be positive, got ${setup.maxSeconds}`);
  const pitchRange = setup.pitchRange ?? trainingPitchRange(setup.train);
  const maxTranspose = setup.maxTranspose ?? 6;
  const stream = new BatchStream(setup.train, tokenSource(pitchRange), {
    batchSize: B,
    windowLength: T,
    seed,
    maxTranspose,
  });
  const stepsPerEpoch = Math.max(1, Math.ceil(stream.tokensPerEpoch() / (B * T)));
  const plannedSteps = setup.steps;
  const maxSeconds = setup.maxSeconds ?? null;
  const validateEvery = Math.max(1, setup.validateEvery ?? stepsPerEpoch);
  const patience = setup.patience ?? 0;
  const floor = setup.floorBitsPerNote ?? null;
  const checkpointEveryMs = setup.checkpointEveryMs ?? 120_000;
  const minLr = setup.minLearningRateFraction ?? 1;
  const peakLr = setup.learningRate ?? config.learningRate;
  const warmupSteps = Math.max(0, Math.min(setup.warmupSteps ?? 0, plannedSteps - 1));
  const settings: TrainingSettings = {
    steps: plannedSteps,
    maxSeconds,
    validateEvery,
    patience,
    floorBitsPerNote: floor,
    learningRate: peakLr,
    warmupSteps,
    maxTranspose,
    pitchRange,
    minLearningRateFraction: minLr,
  };

  const trainNotes = setup.train.reduce((n, m) => n + m.notes.length, 0);
  const net = createNetwork(config, setup.backend ?? 'auto');
  const n = paramCount(config);
  let params: Float32Array<ArrayBuffer>;
  if (setup.initialParams) {
    const problem = startWeightsProblem(config, setup.initialParams);
    if (problem !== null) throw new RangeError(problem);
    params = Float32Array.from(setup.initialParams);
  } else params = Float32Array.from(initParams(config, seed));
  const grads = new Float32Array(n);
  const adam = new Adam(n, { learningRate: peakLr });
  let carried: LstmState = zeroState(config, B);
  let bestParams = params.slice();
  let bestBitsPerNote: number | null = null;
  let bestStep = 0;
  let validationsWithoutImprovement = 0;
  let history: { step: number; bitsPerNote: number }[] = [];
  let step = 0;
  let elapsedBefore = 0;
  let finished: TrainerState['finished'] = null;

  if (setup.resume) {
    const s = setup.resume.state;
    if (s.kind !== 'continuo-training-state')
      throw new ResumeError('checkpoint does not hold a training state');
    const vocabulary = vocabularyMismatch(s.vocabulary);
    if (vocabulary !== null)
      throw new ResumeError(`checkpoint was made for another token vocabulary: ${vocabulary}`);
    if (JSON.stringify(s.config) !== JSON.stringify(config))
      throw new ResumeError('checkpoint was trained with a different model configuration');
    if (s.seed !== seed) throw new ResumeError(`checkpoint was trained with seed ${s.seed}, not ${seed}`);
    if (s.trainFiles !== setup.train.length || s.trainNotes !== trainNotes) {
      throw new ResumeError(
        `checkpoint was trained on ${s.trainFiles} training tunes with ${s.trainNotes} notes, this run has ${setup.train.length} with ${trainNotes}`,
      );
    }
    if (typeof s.settings?.steps !== 'number')
      throw new ResumeError('checkpoint was made by an older version that counted epochs; train again');
    const blob = (name: string, size: number): Float32Array<ArrayBuffer> => {
      const v = setup.resume!.blobs.get(name);
      if (!v || v.length !== size)
        throw new ResumeError(`checkpoint is missing ${name} or it has the wrong size`);
      return Float32Array.from(v);
    };
    params = blob('params', n);
    bestParams = blob('bestParams', n);
    adam.state = { step: s.adamStep, m: blob('adamM', n), v: blob('adamV', n) };
    carried = { batchSize: B, h: blob('carriedH', carried.h.length), c: blob('carriedC', carried.c.length) };
    stream.setState(s.stream);
    step = s.step;
    elapsedBefore = s.elapsedSec;
    bestBitsPerNote = s.bestBitsPerNote;
    bestStep = s.bestStep;
    validationsWithoutImprovement = s.validationsWithoutImprovement;
    history = s.history.slice();
    // A run that spent its budget may go on when given more; early stopping is final.
    finished =
      (s.finished === 'steps' && s.step < plannedSteps) ||
      (s.finished === 'time' && (maxSeconds === null || s.elapsedSec < maxSeconds))
        ? null
        : s.finished;
  }

  const validPieces = setup.validation.map(lstmSequence);
  const validNotes = validPieces.reduce((sum, p) => sum + countNotes(p.tokens.subarray(1)), 0);

  const started = now();
  let pausedMs = 0;
  const elapsedSec = () => elapsedBefore + (now() - started - pausedMs) / 1000;
  const snapshot = (): TrainerSnapshot => ({
    state: {
      kind: 'continuo-training-state',
      vocabulary: VOCABULARY,
      config,
      seed,
      step,
      elapsedSec: elapsedSec(),
      adamStep: adam.state.step,
      stream: stream.getState(),
      bestBitsPerNote,
      bestStep,
      validationsWithoutImprovement,
      history: history.slice(),
      finished,
      trainFiles: setup.train.length,
      trainNotes,
      settings,
      extra: setup.extra ?? {},
    },
    blobs: new Map([
      ['params', params.slice()],
      ['bestParams', bestParams.slice()],
      ['adamM', adam.state.m.slice()],
      ['adamV', adam.state.v.slice()],
      ['carriedH', carried.h.slice()],
      ['carriedC', carried.c.slice()],
    ]),
  });
  const save = async () => {
    if (!setup.saveCheckpoint) return;
    await setup.saveCheckpoint(snapshot(), validPieces.length > 0 ? bestParams : params);
    callbacks.onCheckpoint?.(step);
  };
  setup.onWeights?.({
    config,
    current: () => params.slice(),
    best: () => (validPieces.length > 0 && bestBitsPerNote !== null ? bestParams : params).slice(),
    step: () => step,
  });

  let lastCheckpoint = now();
  const rateWindow: { time: number; tokens: number }[] = [{ time: now(), tokens: 0 }];
  let tokensSeen = 0;
  let stoppedBy: TrainingResult['stoppedBy'] = finished ?? 'steps';
  const beatsFloor = () => floor === null || (bestBitsPerNote !== null && bestBitsPerNote < floor);
  const budgetSpent = (): TrainerState['finished'] =>
    step >= plannedSteps ? 'steps' : maxSeconds !== null && elapsedSec() >= maxSeconds ? 'time' : null;

  while (finished === null) {
    if (setup.pause) {
      const before = now();
      await setup.pause();
      pausedMs += now() - before;
    }
    if (setup.signal?.aborted) {
      stoppedBy = 'abort';
      break;
    }
    const spent = budgetSpent();
    if (spent !== null) {
      finished = spent;
      stoppedBy = spent;
      break;
    }
    const lr =
      step < warmupSteps
        ? (peakLr * (step + 1)) / (warmupSteps + 1)
        : peakLr *
          (minLr +
            (1 - minLr) *
              0.5 *
              (1 + Math.cos(Math.PI * Math.min(1, (step - warmupSteps) / (plannedSteps - warmupSteps)))));
    adam.learningRate = lr;
    const batch = stream.next();
    for (let b = 0; b < B; b++) if (batch.reset[b]) resetLane(carried, config, b);
    const targets = new Int32Array(batch.targets);
    for (let i = 0; i < targets.length; i++) if (batch.weights[i] === 0) targets[i] = -1;
    const r = net.trainStep(
      params,
      {
        batchSize: B,
        seqLen: T,
        tokens: batch.inputs,
        extras: config.extraVocabSize > 0 ? batch.conditions : undefined,
        targets,
      },
      carried,
      grads,
      { dropoutSeed: mixSeed(seed, step + 1) },
    );
    const gradNorm = clipGradNorm(grads, config.clipNorm);
    // A non-finite gradient would poison Adam's moments for good; skipping the update keeps the run alive.
    if (Number.isFinite(gradNorm)) adam.step(params, grads);
    carried = { batchSize: B, h: r.state.h.slice(), c: r.state.c.slice() };
    step++;
    tokensSeen += batch.steps;

    const t = now();
    rateWindow.push({ time: t, tokens: tokensSeen });
    if (rateWindow.length > 20) rateWindow.shift();
    const span = (t - rateWindow[0].time) / 1000;
    const tokensPerSec = span > 0 ? (tokensSeen - rateWindow[0].tokens) / span : 0;
    const secPerStep = span > 0 ? span / (rateWindow.length - 1) : 0;
    const notes = targetNotes(targets);
    const byTime = maxSeconds === null ? Infinity : Math.max(0, maxSeconds - elapsedSec());
    callbacks.onStep?.({
      step,
      epoch: step / stepsPerEpoch,
      loss: r.loss,
      bitsPerNote: notes > 0 ? r.lossSum / Math.LN2 / notes : NaN,
      plannedSteps,
      gradNorm,
      learningRate: adam.learningRate,
      tokensPerSec,
      etaSec: Math.min(secPerStep * (plannedSteps - step), byTime),
      elapsedSec: elapsedSec(),
    });

    let saveNow = t - lastCheckpoint >= checkpointEveryMs;
    const last = budgetSpent() !== null;
    if (validPieces.length > 0 && (step % validateEvery === 0 || last)) {
      const bits = lstmBitsPerNote(net, params, validPieces, validNotes, B, T);
      history.push({ step, bitsPerNote: bits });
      const improved = bestBitsPerNote === null || bits < bestBitsPerNote;
      if (improved) {
        bestBitsPerNote = bits;
        bestStep = step;
        bestParams = params.slice();
        validationsWithoutImprovement = 0;
      } else if (beatsFloor()) {
        validationsWithoutImprovement++;
      }
      callbacks.onValidation?.({
        step,
        epoch: step / stepsPerEpoch,
        bitsPerNote: bits,
        bestBitsPerNote: bestBitsPerNote ?? bits,
        bestStep,
        improved,
        validationsWithoutImprovement,
        floorBitsPerNote: floor,
        beatsFloor: beatsFloor(),
      });
      if (patience > 0 && validationsWithoutImprovement >= patience) {
        finished = 'early-stop';
        stoppedBy = 'early-stop';
      }
      // The model file beside the checkpoint holds the best weights: write it when they change.
      if (improved) saveNow = true;
    }
    if (finished === null && last) {
      finished = budgetSpent();
      stoppedBy = finished!;
    }
    if (saveNow || finished !== null) {
      await save();
      lastCheckpoint = now();
    }
    await yieldToEventLoop();
  }
  if (stoppedBy === 'abort') {
    await save();
  }
  return {
    params: validPieces.length > 0 ? bestParams : params,
    bestBitsPerNote,
    bestStep,
    step,
    epoch: step / stepsPerEpoch,
    elapsedSec: elapsedSec(),
    stoppedBy,
    history,
    snapshot: snapshot(),
    currentParams: params,
  };
}
