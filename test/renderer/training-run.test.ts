// @vitest-environment jsdom
/**
 * TrainingState against the real trainer: the in-memory API's trainer service and training worker
 * thread (the built dist/app/worker/train.js) learning from really imported fixtures. What the
 * typed fake (fake-trainer.ts) stands for in training-state.test.ts, here done for real once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportedFile, Melody } from '../../app/contract/api';
import { LibraryState } from '../../renderer/lib/state/library.svelte';
import { ModelsState } from '../../renderer/lib/state/models.svelte';
import { TrainingState } from '../../renderer/lib/state/training.svelte';
import { fixturesDir, repoRoot } from '../helpers/shared';
import { InMemoryApi } from './in-memory-api';

const FILES = ['nottingham-ashover1.mid', 'nottingham-reelsa-c29.mid', 'nottingham-waltzes1.mid'];
const SEED: Melody = {
  notes: [62, 66, 69, 74].map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 80 })),
  bpm: 110,
  timeSignature: [4, 4],
};

const apis: InMemoryApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((a) => a.dispose()));
});

async function setUp() {
  if (!existsSync(path.join(repoRoot, 'dist/app/worker/train.js')))
    throw new Error('dist/app/worker/train.js is missing: run "npm run build" first (npm test does it)');
  const api = new InMemoryApi();
  apis.push(api);
  const library = new LibraryState(api);
  await library.importUploads(
    FILES.map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(fixturesDir, name))) })),
  );
  const models = new ModelsState(api, () => false);
  const played: Melody[] = [];
  const training = new TrainingState({
    api,
    files: () => library.entries.flatMap((e): ImportedFile[] => (e.kind === 'file' ? [e.file] : [])),
    seed: () => SEED,
    play: async (melody) => void played.push(melody),
    models,
    later: (fn) => {
      fn();
      return () => undefined;
    },
  });
  await Promise.all([training.load(), models.load()]);
  return { api, training, models, played };
}

describe('a training run with the real trainer', () => {
  it('estimates, trains with live curves, listens, pauses, resumes, ends with a model, and uses a checkpoint', async () => {
    const { api, training, models, played } = await setUp();
    const disconnect = training.connect();
    flushSync();
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
    expect(training.loss.length).toBeGreaterThan(0);
    expect(training.gradNorm.length).toBeGreaterThan(0);

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

    const [first] = training.checkpoints;
    await training.useCheckpoint(first.step);
    expect(models.message?.error).toBe(false);
    const { active } = await api.invoke('models.list', {});
    expect(models.active).toBe(active);
    expect(active).not.toBe('default');
    disconnect();
  });
});
