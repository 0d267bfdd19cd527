/**
 * Training through the services with real worker threads (one training worker per run, the model
 * worker for cards and generation), real MIDI fixtures and the bundled default model as the start:
 * the contract's `trainer.*`, `jobs.pause`/`jobs.resume` and `models.*` methods as a window sees
 * them, and crash safety (a worker that dies, a host process killed mid-run).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  CheckpointInfo,
  GeneratedVariation,
  Melody,
  TrainProgress,
  TrainResult,
} from '../../app/contract/api.js';
import { createServices, type Services, type ServicesOptions } from '../../app/services/index.js';
import { decodeCheckpoint } from '../../engine/train/checkpoint.js';
import type { TrainerState } from '../../engine/train/trainer.js';
import { GENERATION_DEFAULTS } from '../../engine/sample/defaults.js';
import { repoRoot } from '../helpers/shared.js';
import { expectOneLine, fixture, followJob, requireBuiltWorker, tempDir, type JobRecord } from './helpers.js';

const FIXTURES = [
  'nottingham-ashover1.mid',
  'nottingham-reelsa-c29.mid',
  'nottingham-reelsu-z15.mid',
  'nottingham-waltzes1.mid',
  'nottingham/ashover2.mid',
  'nottingham/ashover3.mid',
  'nottingham/ashover37.mid',
  'nottingham/ashover4.mid',
  'nottingham/ashover5.mid',
  'nottingham/ashover6.mid',
  'nottingham/jigs100.mid',
];

const modelsDir = path.join(repoRoot, 'models');
const trainWorkerPath = path.join(repoRoot, 'dist/app/worker/train.js');
let workerPath: string;
const owned: Services[] = [];

function services(options: Partial<ServicesOptions> = {}): Services {
  const s = createServices({
    host: 'web',
    userDataDir: options.userDataDir ?? tempDir(),
    workerPath,
    trainWorkerPath,
    modelsDir,
    ...options,
  });
  owned.push(s);
  return s;
}

beforeAll(() => {
  workerPath = requireBuiltWorker();
});
afterEach(async () => {
  await Promise.all(owned.splice(0).map((s) => s.dispose()));
});

async function importFixtures(s: Services): Promise<string[]> {
  const record = await followJob(s, () =>
    s.invoke('library.importFiles', { files: FIXTURES.map((f) => fixture(f)) }),
  );
  expect(record.end.event).toBe('job.done');
  return record.outcomes.flatMap((o) => (o.ok ? [o.file.id] : []));
}

/** The job ended done (a failure shows its message). */
function expectDone(record: { end: { event: string; payload: unknown } }): void {
  expect(record.end.event === 'job.done' ? 'job.done' : JSON.stringify(record.end)).toBe('job.done');
}

/** A short run: a fixed step budget, no time budget, frequent validations. */
const short = (steps: number) => ({ steps, seconds: null, validateEvery: 2, patience: 0 });

/** Resolves with the first progress of `job` that `test` accepts (gathering from the start). */
function progressWhere(
  s: Services,
  test: (p: TrainProgress, all: TrainProgress[]) => boolean,
): { wait: Promise<TrainProgress>; all: TrainProgress[]; stop: () => void } {
  const all: TrainProgress[] = [];
  let resolve: (p: TrainProgress) => void = () => undefined;
  const wait = new Promise<TrainProgress>((r) => (resolve = r));
  const stop = s.on('job.progress', (event) => {
    if (event.kind !== 'trainer.train') return;
    all.push(event.progress);
    if (test(event.progress, all)) resolve(event.progress);
  });
  return { wait, all, stop };
}

const seed: Melody = {
  notes: [67, 69, 71, 72, 74, 71, 67].map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 90 })),
  bpm: 120,
  timeSignature: [4, 4],
};

describe('trainer.estimate', () => {
  it('gives the data statistics, the plan with its reference lines, warnings in words and the time here', async () => {
    const s = services();
    const fileIds = await importFixtures(s);
    const estimate = await s.invoke('trainer.estimate', { fileIds, from: 'default', preset: 'quick' });
    const e = estimate as Awaited<ReturnType<Services['trainer']['estimate']>>;
    expect(e.stats.files).toBe(FIXTURES.length);
    expect(e.stats.melodies).toBe(FIXTURES.length);
    expect(e.stats.notes).toBeGreaterThan(500);
    expect(e.stats.pitchRange!.min).toBeLessThan(e.stats.pitchRange!.max);
    expect(e.stats.timeSignatures.reduce((n, t) => n + t.melodies, 0)).toBe(FIXTURES.length);
    expect(e.stats.extraction.keptNotes).toBe(e.stats.notes);
    expect(e.plan.start).toEqual({ kind: 'model', name: 'the default model' });
    expect(e.plan.reference.startModel).toBeGreaterThan(0);
    expect(e.plan.reference.noteFrequency).toBeGreaterThan(e.plan.reference.startModel!);
    expect(e.warnings.some((w) => w.startsWith(`only ${FIXTURES.length} files`))).toBe(true);
    expect(e.secondsPerStep).toBeGreaterThan(0);
    expect(e.seconds).toBeGreaterThan(0);
    expect(e.seconds).toBeLessThanOrEqual(45);
  });

  it('names a file id the library does not hold', async () => {
    const s = services();
    await expect(
      s.invoke('trainer.estimate', { fileIds: ['nope'], from: 'default', preset: 'quick' }),
    ).rejects.toThrow('trainer.estimate: fileIds[0]: no imported file has id nope');
  });
});

describe('a training run', () => {
  it('streams throttled progress with curves and checkpoints, ends with a model that generates', async () => {
    const s = services();
    const fileIds = await importFixtures(s);
    const times: number[] = [];
    const record = (await followJob<'trainer.train'>(
      s,
      () => s.invoke('trainer.start', { fileIds, from: 'default', preset: 'quick', advanced: short(16) }),
      () => times.push(performance.now()),
    )) as JobRecord<'trainer.train'>;
    expectDone(record);
    const result = (record.end.payload as { result: TrainResult }).result;
    const progress = record.progress;
    // ≤ 10 a second: between any two progress events at least ~100 ms, the plan's and pause's excepted.
    const spanSec = (times[times.length - 1] - times[0]) / 1000;
    expect(times.length).toBeLessThanOrEqual(10 * spanSec + 4);
    expect(progress.filter((p) => p.plan !== null)).toHaveLength(1);
    const steps = progress.flatMap((p) => p.train.map((t) => t.step));
    expect(steps).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(progress.flatMap((p) => p.gradNorm)).toHaveLength(16);
    expect(progress.flatMap((p) => p.validation).map((v) => v.step)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(progress.some((p) => p.phase === 'finishing')).toBe(true);
    const checkpoints = progress.flatMap((p) => p.checkpoints);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.every((c) => c.run === result.run && c.validationBitsPerNote! > 0)).toBe(true);

    expect(result.step).toBe(16);
    expect(result.stoppedBy).toBe('steps');
    expect(result.model).toMatchObject({
      origin: 'trained',
      builtIn: false,
      problem: null,
      trainedFrom: 'the default model',
    });
    expect(result.model.training.steps).toBe(16);
    const listed = (await s.invoke('models.list', {})) as { models: { id: string }[] };
    expect(listed.models.map((m) => m.id)).toEqual(['default', result.model.id]);

    const generated = await followJob<'generator.generate'>(s, () =>
      s.invoke('generator.generate', {
        seed,
        settings: {
          modelId: result.model.id,
          bars: 2,
          variations: 1,
          temperature: GENERATION_DEFAULTS.temperature,
          topK: 0,
          topP: GENERATION_DEFAULTS.topP,
          novelty: null,
          scale: null,
          range: null,
          maxRepeats: null,
          randomSeed: 7,
        },
      }),
    );
    expect(generated.end.event).toBe('job.done');
    const variations: GeneratedVariation[] = generated.progress.flatMap((p) => p.variations);
    expect(variations[0].made.modelId).toBe(result.model.id);
    expect(variations[0].melody.notes.length).toBeGreaterThan(seed.notes.length);
  });

  it('pauses and resumes by job id, listens while it learns, and a cancel keeps the last checkpoint', async () => {
    const dataDir = tempDir();
    const s = services({ userDataDir: dataDir });
    const fileIds = await importFixtures(s);
    const started = progressWhere(s, (p) => p.step >= 3);
    const { job, run } = (await s.invoke('trainer.start', {
      fileIds,
      from: 'default',
      preset: 'quick',
      advanced: short(100_000),
    })) as { job: string; run: string };
    await started.wait;

    const listened = (await s.invoke('trainer.listen', { job, seed, bars: 2, randomSeed: 3 })) as {
      step: number;
      melody: Melody;
      seedNotes: number;
    };
    expect(listened.seedNotes).toBe(seed.notes.length);
    expect(listened.melody.notes.length).toBeGreaterThan(seed.notes.length);
    expect(listened.step).toBeGreaterThanOrEqual(3);
    // Training goes on after listening.
    const after = progressWhere(s, (p) => p.step >= listened.step + 3);
    await after.wait;

    const paused = progressWhere(s, (p) => p.phase === 'paused');
    expect(await s.invoke('jobs.pause', { job })).toEqual({ paused: true });
    expect(await s.invoke('jobs.pause', { job })).toEqual({ paused: false });
    const atPause = (await paused.wait).step;
    await new Promise((r) => setTimeout(r, 600));
    const stepsWhilePaused = paused.all.flatMap((p) => p.train).filter((t) => t.step > atPause + 1);
    expect(stepsWhilePaused).toEqual([]);

    const resumed = progressWhere(s, (p) => p.phase === 'training' && p.step > atPause + 2);
    expect(await s.invoke('jobs.resume', { job })).toEqual({ resumed: true });
    await resumed.wait;

    const ended = new Promise<string>((resolve) => {
      s.on('job.cancelled', (e) => e.job === job && resolve('cancelled'));
      s.on('job.failed', (e) => e.job === job && resolve(`failed: ${e.message}`));
      s.on('job.done', (e) => e.job === job && resolve('done'));
    });
    const lastStep = resumed.all.at(-1)!.step;
    expect(await s.invoke('jobs.cancel', { job })).toEqual({ cancelled: true });
    expect(await ended).toBe('cancelled');
    for (const p of [started, after, paused, resumed]) p.stop();

    const { checkpoints } = (await s.invoke('trainer.checkpoints', { run })) as {
      checkpoints: CheckpointInfo[];
    };
    const state = decodeCheckpoint<TrainerState>(
      fs.readFileSync(path.join(dataDir, 'training', run, 'checkpoint.ckpt')),
      'checkpoint.ckpt',
    ).state;
    // The cancel's own checkpoint: the step training had reached, not an older one.
    expect(state.step).toBeGreaterThanOrEqual(lastStep);
    expect(checkpoints.at(-1)!.step).toBe(state.step);
    const { runs } = (await s.invoke('trainer.interrupted', {})) as {
      runs: { run: string; reason: string; step: number }[];
    };
    expect(runs).toEqual([expect.objectContaining({ run, reason: 'cancelled', step: state.step })]);
  });
});

describe('crash safety', () => {
  it('a training worker that dies fails the job with a clear message; the run resumes at its last checkpoint', async () => {
    const dataDir = tempDir();
    const s = services({
      userDataDir: dataDir,
      trainWorkerEnv: { ...process.env, CONTINUO_TRAIN_FAULT: 'exit-after-step:9' },
      checkpointEveryMs: 0,
    });
    const fileIds = await importFixtures(s);
    const record = await followJob<'trainer.train'>(s, () =>
      s.invoke('trainer.start', { fileIds, from: 'default', preset: 'quick', advanced: short(14) }),
    );
    expect(record.end.event).toBe('job.failed');
    const { message } = record.end.payload as { message: string };
    expectOneLine(message);
    expect(message).toContain('the training worker stopped unexpectedly (exit code 70)');
    const run = record.progress[0].run;
    const state = decodeCheckpoint<TrainerState>(
      fs.readFileSync(path.join(dataDir, 'training', run, 'checkpoint.ckpt')),
      'checkpoint.ckpt',
    ).state;
    expect(state.step).toBe(8);
    expect(message).toContain('resume from its last checkpoint (step 8)');
    // Main survives: the services still answer, and the model worker still generates cards.
    expect(((await s.invoke('models.list', {})) as { models: unknown[] }).models).toHaveLength(1);

    const again = services({ userDataDir: dataDir });
    const { runs } = (await again.invoke('trainer.interrupted', {})) as {
      runs: { run: string; reason: string; step: number; message: string }[];
    };
    expect(runs).toEqual([expect.objectContaining({ run, reason: 'failed', step: 8, message })]);
    const resumed = await followJob<'trainer.train'>(again, () => again.invoke('trainer.resume', { run }));
    expectDone(resumed);
    const steps = resumed.progress.flatMap((p) => p.train.map((t) => t.step));
    expect(steps).toEqual([9, 10, 11, 12, 13, 14]);
    // The validations before the crash come back with the plan, for the chart.
    expect(resumed.progress.find((p) => p.plan)!.validation.map((v) => v.step)).toEqual([2, 4, 6, 8]);
    expect(((await again.invoke('trainer.interrupted', {})) as { runs: unknown[] }).runs).toEqual([]);
  });

  it('a host process killed mid-run leaves a run a new services instance finds and resumes', async () => {
    const dataDir = tempDir();
    const script = path.join(tempDir(), 'host.mjs');
    const fixtures = FIXTURES.map((f) => path.join(repoRoot, 'test/fixtures', f));
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
import path from 'node:path';
import { createServices } from ${JSON.stringify(path.join(repoRoot, 'dist/app/services/index.js'))};
const s = createServices({ host: 'web', userDataDir: ${JSON.stringify(dataDir)}, workerPath: ${JSON.stringify(workerPath)},
  trainWorkerPath: ${JSON.stringify(trainWorkerPath)}, modelsDir: ${JSON.stringify(modelsDir)}, checkpointEveryMs: 0 });
const files = ${JSON.stringify(fixtures)}.map((f) => ({ name: path.basename(f), bytes: new Uint8Array(fs.readFileSync(f)) }));
const ids = [];
s.on('job.progress', (e) => {
  if (e.kind === 'library.import') for (const o of e.progress.outcomes) if (o.ok) ids.push(o.file.id);
  if (e.kind === 'trainer.train') for (const c of e.progress.checkpoints) console.log('checkpoint ' + c.step);
});
s.on('job.done', async (e) => {
  if (e.kind !== 'library.import') return;
  await s.invoke('trainer.start', { fileIds: ids, from: 'default', preset: 'quick',
    advanced: { steps: 100000, seconds: null, validateEvery: 2, patience: 0 } });
});
await s.invoke('library.importFiles', { files });
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if ((text.match(/checkpoint \d+/g) ?? []).length >= 3) resolve();
      });
      child.once('exit', () => reject(new Error(`the host exited before training: ${text}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const s = services({ userDataDir: dataDir });
    const { runs } = (await s.invoke('trainer.interrupted', {})) as {
      runs: { run: string; reason: string; step: number }[];
    };
    expect(runs).toHaveLength(1);
    expect(runs[0].reason).toBe('interrupted');
    const { run } = runs[0];
    const state = decodeCheckpoint<TrainerState>(
      fs.readFileSync(path.join(dataDir, 'training', run, 'checkpoint.ckpt')),
      'checkpoint.ckpt',
    ).state;
    expect(state.step).toBeGreaterThanOrEqual(runs[0].step);
    const next = progressWhere(s, (p) => p.train.length > 0);
    const { job } = (await s.invoke('trainer.resume', { run })) as { job: string };
    const first = await next.wait;
    next.stop();
    expect(first.train[0].step).toBe(state.step + 1);
    const ended = new Promise<string>((resolve) =>
      s.on('job.cancelled', (e) => e.job === job && resolve('cancelled')),
    );
    await s.invoke('jobs.cancel', { job });
    expect(await ended).toBe('cancelled');
  });
});

describe('models in the data folder', () => {
  it('a checkpoint becomes the active model; models are renamed, exported, imported and deleted; the default stays', async () => {
    const dataDir = tempDir();
    const s = services({ userDataDir: dataDir });
    const fileIds = await importFixtures(s);
    const record = await followJob<'trainer.train'>(s, () =>
      s.invoke('trainer.start', { fileIds, from: 'default', preset: 'quick', advanced: short(4) }),
    );
    expectDone(record);
    const { run } = (record.end.payload as { result: TrainResult }).result;
    const { checkpoints } = (await s.invoke('trainer.checkpoints', { run })) as {
      checkpoints: CheckpointInfo[];
    };
    const chosen = checkpoints[0];
    const used = (await s.invoke('models.use', { from: { kind: 'checkpoint', run, step: chosen.step } })) as {
      model: { id: string; name: string; origin: string };
    };
    expect(used.model.name).toContain(`step ${chosen.step}`);
    expect(used.model.origin).toBe('trained');
    expect(((await s.invoke('generator.options', {})) as { defaultModelId: string }).defaultModelId).toBe(
      used.model.id,
    );
    expect(((await s.invoke('models.list', {})) as { active: string }).active).toBe(used.model.id);

    const renamed = (await s.invoke('models.rename', { model: used.model.id, name: 'My reels' })) as {
      model: { name: string };
    };
    expect(renamed.model.name).toBe('My reels');
    const exported = (await s.invoke('models.export', { model: used.model.id })) as {
      fileName: string;
      bytes: Uint8Array;
    };
    expect(exported.fileName).toBe('My reels.continuo');
    const imported = (await s.invoke('models.import', {
      name: exported.fileName,
      bytes: exported.bytes,
    })) as {
      model: { id: string; name: string; origin: string; problem: string | null };
    };
    expect(imported.model).toMatchObject({ name: 'My reels', origin: 'imported', problem: null });
    expect(imported.model.id).not.toBe(used.model.id);

    const damaged = exported.bytes.slice();
    damaged[damaged.length - 10] ^= 0xff;
    await expect(s.invoke('models.import', { name: 'broken.continuo', bytes: damaged })).rejects.toThrow(
      /models\.import: broken\.continuo is not a model this app can use: .*checksum/,
    );

    await expect(s.invoke('models.delete', { model: 'default' })).rejects.toThrow(
      'the bundled default model cannot be renamed or deleted',
    );
    expect(await s.invoke('models.delete', { model: used.model.id })).toEqual({ deleted: true });
    const listed = (await s.invoke('models.list', {})) as { models: { id: string }[]; active: string };
    expect(listed.models.map((m) => m.id)).not.toContain(used.model.id);
    expect(listed.models[0].id).toBe('default');
    // Deleting the active model makes the default active again.
    expect(listed.active).toBe('default');

    // A new instance on the same data folder sees the same models (the index survives).
    const again = services({ userDataDir: dataDir });
    const relisted = (await again.invoke('models.list', {})) as { models: { id: string; name: string }[] };
    expect(relisted.models.map((m) => m.id)).toEqual(listed.models.map((m) => m.id));
  });
});
