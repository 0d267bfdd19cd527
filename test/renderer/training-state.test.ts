// @vitest-environment jsdom
/**
 * TrainingState against the contract's training methods: on a typed fake (fake-trainer.ts) where
 * each test drives the run step by step, and once with the real trainer (the in-memory API's
 * trainer service and training worker). Imports are the real ones throughout.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FileUpload, ImportedFile, Melody } from '../../app/contract/api';
import { LibraryState } from '../../renderer/lib/state/library.svelte';
import { ModelsState } from '../../renderer/lib/state/models.svelte';
import {
  advancedArgs,
  EMPTY_ADVANCED,
  endText,
  LISTEN_BARS,
  runText,
  TrainingState,
} from '../../renderer/lib/state/training.svelte';
import { fixturesDir, repoRoot } from '../helpers/shared';
import { checkpoint, FakeTrainingApi, PLAN } from './fake-trainer';
import { InMemoryApi } from './in-memory-api';

const fixture = (name: string): FileUpload => ({
  name,
  bytes: new Uint8Array(
    readFileSync(path.join(fixturesDir, name.includes('/') ? name : `nottingham/${name}`)),
  ),
});
const TUNES = ['ashover2.mid', 'ashover3.mid', 'jigs100.mid'];
const SEED: Melody = {
  notes: [
    { pitch: 62, start: 0, duration: 4, velocity: 90 },
    { pitch: 64, start: 4, duration: 4, velocity: 90 },
  ],
  bpm: 100,
  timeSignature: [3, 4],
};

/**
 * A training state over real imported files, with the estimate's delay run by the test; on the
 * typed fake by default, or on the in-memory API with the real trainer.
 */
async function setUp<A extends FakeTrainingApi | InMemoryApi = FakeTrainingApi>(
  tunes = TUNES,
  api: A = new FakeTrainingApi() as A,
) {
  const library = new LibraryState(api);
  await library.importUploads(tunes.map(fixture));
  const models = new ModelsState(api, () => false);
  const played: Melody[] = [];
  const timers: (() => void)[] = [];
  const training = new TrainingState({
    api,
    files: () => library.entries.flatMap((e): ImportedFile[] => (e.kind === 'file' ? [e.file] : [])),
    seed: () => SEED,
    play: async (melody) => void played.push(melody),
    models,
    later: (fn) => {
      timers.push(fn);
      return () => timers.splice(timers.indexOf(fn), 1);
    },
  });
  await Promise.all([training.load(), models.load()]);
  /** Runs the estimate whose delay has passed (the last one scheduled). */
  const elapse = () => {
    flushSync();
    timers.splice(0).forEach((fn) => fn());
  };
  return { api, library, models, training, played, elapse, timers };
}

const calls = (api: FakeTrainingApi, method: string) =>
  api.calls.filter((c) => c.method === method).map((c) => c.args);

describe('the training set', () => {
  it('takes every imported file, and each can be left out or chosen again', async () => {
    const { training } = await setUp();
    expect(training.chosen.map((f) => f.fileName)).toEqual(TUNES);
    training.choose(training.files[1].id, false);
    expect(training.chosen.map((f) => f.fileName)).toEqual(['ashover2.mid', 'jigs100.mid']);
    expect(training.isChosen(training.files[1].id)).toBe(false);
    training.choose(training.files[1].id, true);
    expect(training.chosen).toHaveLength(3);
  });

  it('selects none and all at once', async () => {
    const { training } = await setUp();
    training.chooseAll(false);
    expect([training.chosen.length, training.allChosen]).toEqual([0, false]);
    expect(training.blocked).toBe('Choose at least one file to train on.');
    training.chooseAll(true);
    expect([training.chosen.length, training.allChosen, training.blocked]).toEqual([3, true, null]);
  });

  it('cannot start without files, and says so', async () => {
    const { training } = await setUp([]);
    expect(training.blocked).toBe('Import MIDI files to train on first.');
  });
});

describe('the preset', () => {
  it('is chosen by the data until the user picks one: quick for a small collection, standard for a large one or from scratch', async () => {
    const { training } = await setUp();
    expect([training.chosen.length, training.preset]).toEqual([3, 'quick']);
    // A collection as large as the engine's threshold fine-tunes with the standard preset.
    training.options = {
      ...training.options!,
      defaults: { ...training.options!.defaults, largeCollectionFiles: 3 },
    };
    expect(training.preset).toBe('standard');
    training.choose(training.files[0].id, false);
    expect(training.preset).toBe('quick');
    training.from = 'scratch';
    expect(training.preset).toBe('standard');
    training.preset = 'large';
    training.from = 'default';
    expect([training.preset, training.request.preset]).toEqual(['large', 'large']);
  });
});

describe('the estimate before training', () => {
  it('is asked for the chosen files and settings once they stop changing', async () => {
    const { api, training, elapse, timers } = await setUp();
    const disconnect = training.connect();
    flushSync();
    training.preset = 'standard';
    training.choose(training.files[0].id, false);
    flushSync();
    // Each change put the estimate off again: one is waiting, none has been asked.
    expect([timers.length, calls(api, 'trainer.estimate')]).toEqual([1, []]);
    elapse();
    await vi.waitFor(() => expect(training.estimate).not.toBeNull());
    expect(calls(api, 'trainer.estimate')).toEqual([
      { fileIds: training.chosenIds, from: 'default', preset: 'standard', advanced: {} },
    ]);
    expect(training.estimate?.stats.melodies).toBe(2);
    disconnect();
  });

  it('shows the newest answer when an older one comes back later', async () => {
    const { api, training, elapse } = await setUp();
    const disconnect = training.connect();
    api.holdEstimates = true;
    elapse();
    training.preset = 'large';
    elapse();
    await vi.waitFor(() => expect(api.heldEstimates).toBe(2));
    api.releaseEstimates([1, 0]);
    await vi.waitFor(() => expect(training.estimating).toBe(false));
    expect(training.estimate?.plan.preset).toBe('large');
    disconnect();
  });

  it('is not asked with no file chosen, and an old one is cleared', async () => {
    const { api, training, elapse } = await setUp();
    const disconnect = training.connect();
    elapse();
    await vi.waitFor(() => expect(training.estimate).not.toBeNull());
    training.chooseAll(false);
    elapse();
    expect([training.estimate, calls(api, 'trainer.estimate').length]).toEqual([null, 1]);
    disconnect();
  });

  it('sends only the advanced settings the user filled in', () => {
    expect(advancedArgs(EMPTY_ADVANCED)).toEqual({});
    expect(advancedArgs({ ...EMPTY_ADVANCED, steps: 200, patience: 0, name: '  Reels  ' })).toEqual({
      steps: 200,
      patience: 0,
      name: 'Reels',
    });
  });
});

describe('a training run', () => {
  async function started() {
    const setup = await setUp();
    const run = setup.training.start();
    await vi.waitFor(() => expect(setup.training.running).not.toBeNull());
    return { ...setup, run };
  }

  it('starts on the chosen files from the chosen model and preset', async () => {
    const { api, training } = await started();
    expect(calls(api, 'trainer.start')).toEqual([
      { fileIds: training.chosenIds, from: 'default', preset: 'quick', advanced: {} },
    ]);
    expect(training.blocked).toBe('A training is running.');
  });

  it('appends each progress’s new points to the charts, with the plan’s reference lines', async () => {
    const { api, training } = await started();
    const before = training.revision;
    api.progress({
      plan: PLAN,
      train: [
        { step: 1, value: 4.1 },
        { step: 2, value: 3.9 },
      ],
      gradNorm: [
        { step: 1, value: 0.8 },
        { step: 2, value: 0.7 },
      ],
      tokensPerSecCurve: [{ step: 2, value: 4000 }],
    });
    api.progress({ train: [{ step: 3, value: 3.7 }], validation: [{ step: 2, value: 3.8 }] });
    expect(training.loss.data).toEqual([
      [1, 2, 3],
      [4.1, 3.9, 3.7],
      [null, 3.8, null],
      [3.35, 3.35, 3.35],
      [4.6, 4.6, 4.6],
    ]);
    expect(training.gradNorm.data).toEqual([
      [1, 2],
      [0.8, 0.7],
    ]);
    expect(training.speed.data).toEqual([[2], [4000]]);
    expect(training.revision).toBe(before + 2);
    expect(training.plan).toEqual(PLAN);
  });

  it('shows the step, the budget and the time left', async () => {
    const { api, training } = await started();
    api.progress({}, 40);
    expect(training.running).toMatchObject({ phase: 'training', step: 40, totalSteps: 600, etaSec: 28 });
    expect(runText(training.running!)).toBe('Training · step 40 of 600 · about 28 s left');
  });

  it('lists checkpoints as they are written, by step', async () => {
    const { api, training } = await started();
    api.progress({ checkpoints: [checkpoint('run-1', 20, 3.4)] });
    api.progress({ checkpoints: [checkpoint('run-1', 40, 3.3)] });
    expect(training.checkpoints.map((c) => [c.step, c.validationBitsPerNote])).toEqual([
      [20, 3.4],
      [40, 3.3],
    ]);
  });

  it('lists each step’s checkpoint once, however often it is reported', async () => {
    const { api, training } = await started();
    api.progress({ checkpoints: [checkpoint('run-1', 20, 3.4), checkpoint('run-1', 20, 3.4)] });
    api.progress({ checkpoints: [checkpoint('run-1', 20, 3.3)] });
    expect(training.checkpoints.map((c) => [c.step, c.validationBitsPerNote])).toEqual([[20, 3.3]]);
  });

  it('pauses and resumes by the job’s id', async () => {
    const { api, training } = await started();
    api.progress();
    await training.pause();
    expect([training.paused, runText(training.running!)]).toEqual([true, 'Paused · step 10 of 600']);
    await training.resume();
    expect(training.paused).toBe(false);
    const job = api.current!.job;
    expect([...calls(api, 'jobs.pause'), ...calls(api, 'jobs.resume')]).toEqual([{ job }, { job }]);
  });

  it('cancels, keeping the last checkpoint, and then offers the run to resume', async () => {
    const { api, training, run } = await started();
    api.progress({ checkpoints: [checkpoint('run-1', 10, 3.4)] });
    await training.cancel();
    await run;
    expect(training.running).toBeNull();
    expect(training.ended).toEqual({ status: 'cancelled', step: 10 });
    expect(endText(training.ended!)).toBe('Training cancelled at step 10; its last checkpoint is kept.');
    expect(training.interrupted.map((r) => [r.run, r.reason, r.step])).toEqual([['run-1', 'cancelled', 10]]);
    expect(training.checkpoints.map((c) => c.step)).toEqual([10]);
  });

  it('ends with the model saved, and lists it among the models', async () => {
    const { api, training, models, run } = await started();
    api.progress();
    const made = api.finish();
    await run;
    expect(training.ended?.status).toBe('done');
    expect(endText(training.ended!)).toMatch(
      /^Finished after 1 s \(early stopping, step 10\): saved Trained run-1/,
    );
    expect(models.models.map((m) => m.id)).toContain(made.id);
  });

  it('says what happened when the worker fails, and offers to resume', async () => {
    const { api, training, run } = await started();
    api.fail('the training worker stopped unexpectedly (exit code 1)');
    await run;
    expect(endText(training.ended!)).toBe(
      'Training stopped: the training worker stopped unexpectedly (exit code 1). It can be resumed from its last checkpoint.',
    );
    expect(training.interrupted.map((r) => r.reason)).toEqual(['failed']);
  });

  it('plays a continuation of the seed from the weights of now, training going on', async () => {
    const { api, training, played } = await started();
    api.progress({}, 30);
    await training.listen();
    expect(calls(api, 'trainer.listen')).toEqual([{ job: api.current!.job, seed: SEED, bars: LISTEN_BARS }]);
    expect(played).toHaveLength(1);
    expect(played[0].notes.slice(0, 2)).toEqual(SEED.notes);
    expect(training.listened).toMatchObject({ step: 30, seedNotes: 2 });
    expect(training.running?.phase).toBe('training');
  });

  it('makes a checkpoint the active model for generation', async () => {
    const { api, training, models } = await started();
    api.progress({ checkpoints: [checkpoint('run-1', 20, 3.3)] });
    await training.useCheckpoint(20);
    expect(calls(api, 'models.use')).toEqual([{ from: { kind: 'checkpoint', run: 'run-1', step: 20 } }]);
    expect(models.activeModel?.name).toBe('run-1 at step 20');
  });

  it('says why a start was refused', async () => {
    const { api, training } = await setUp();
    api.current = { job: 'other', run: 'x', step: 0, phase: 'training', checkpoints: [], files: 1 };
    await training.start();
    expect(training.notice).toBe('Training did not start: a training is already running');
    expect(training.running).toBeNull();
  });

  it('lets go of the job events when it ends', async () => {
    const { api, training, run } = await started();
    await training.cancel();
    await run;
    expect(api.listenerCount('job.progress')).toBe(0);
  });
});

describe('trainings left from before', () => {
  async function withInterrupted() {
    const setup = await setUp();
    const first = setup.training.start();
    await vi.waitFor(() => expect(setup.training.running).not.toBeNull());
    setup.api.progress({ checkpoints: [checkpoint('run-1', 10, 3.5)] });
    setup.api.fail('the app was killed');
    await first;
    // The next start of the app finds it.
    const fresh = await setUp();
    fresh.api.interrupted = setup.api.interrupted;
    await fresh.training.load();
    return fresh;
  }

  it('are offered at start', async () => {
    const { training } = await withInterrupted();
    expect(training.interrupted.map((r) => [r.run, r.step])).toEqual([['run-1', 10]]);
  });

  it('resume from their last checkpoint as a new job, keeping the checkpoints listed', async () => {
    const { api, training } = await withInterrupted();
    const resumed = training.resumeRun('run-1');
    await vi.waitFor(() => expect(training.running).not.toBeNull());
    expect(calls(api, 'trainer.resume')).toEqual([{ run: 'run-1' }]);
    expect(training.interrupted).toEqual([]);
    expect(training.checkpoints.map((c) => c.step)).toEqual([10]);
    api.progress();
    expect(training.running?.step).toBe(20);
    await training.cancel();
    await resumed;
  });

  it('can be discarded', async () => {
    const { api, training } = await withInterrupted();
    await training.discardRun('run-1');
    expect([training.interrupted, api.interrupted]).toEqual([[], []]);
  });
});

describe('a training run with the real trainer (the in-memory API’s trainer service and training worker)', () => {
  const apis: InMemoryApi[] = [];
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((a) => a.dispose()));
  });

  it('estimates, trains with live curves, listens, pauses, resumes, ends with a model, and uses a checkpoint', async () => {
    if (!existsSync(path.join(repoRoot, 'dist/app/worker/train.js')))
      throw new Error('dist/app/worker/train.js is missing: run "npm run build" first (npm test does it)');
    const real = new InMemoryApi();
    apis.push(real);
    const files = ['nottingham-ashover1.mid', 'nottingham-reelsa-c29.mid', 'nottingham-waltzes1.mid'];
    const { api, training, models, played, elapse } = await setUp(
      files.map((f) => `./${f}`),
      real,
    );
    const disconnect = training.connect();
    elapse();
    await vi.waitFor(() => expect(training.estimate).not.toBeNull(), { timeout: 30_000 });
    expect(training.estimate!.stats.melodies).toBe(3);
    expect(training.estimate!.seconds).toBeGreaterThan(0);

    training.setAdvanced('steps', 40);
    training.setAdvanced('validateEvery', 5);
    training.setAdvanced('name', 'Three tunes');
    const run = training.start();
    await vi.waitFor(() => expect(training.running?.step ?? 0).toBeGreaterThanOrEqual(2), {
      timeout: 60_000,
    });
    expect(training.plan?.reference.noteFrequency).not.toBeNull();
    expect([training.loss.length > 0, training.gradNorm.length > 0]).toEqual([true, true]);

    await training.listen();
    expect(training.listenError).toBeNull();
    expect(played[0].notes.length).toBeGreaterThan(SEED.notes.length);

    await training.pause();
    await vi.waitFor(() => expect(training.paused).toBe(true), { timeout: 30_000 });
    await training.resume();
    await vi.waitFor(() => expect(training.running?.phase).not.toBe('paused'), { timeout: 30_000 });

    await run;
    expect(training.ended?.status).toBe('done');
    expect(models.models.map((m) => m.name)).toContain('Three tunes');
    expect(training.checkpoints.length).toBeGreaterThan(0);

    await training.useCheckpoint(training.checkpoints[0].step);
    expect(models.message?.error).toBe(false);
    const { active } = await api.invoke('models.list', {});
    expect([models.active, active === 'default']).toEqual([active, false]);
    disconnect();
  });
});
