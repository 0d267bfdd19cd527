/**
 * The renderer tests' in-memory API trains like the hosts: the real trainer service with its real
 * training worker thread, learning from the files imported into the double, followed with the
 * page's startJob; the model it makes is listed and generates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GeneratedVariation, Melody, TrainingAdvanced, TrainProgress } from '../../app/contract/api';
import { startJob } from '../../renderer/lib/api/jobs';
import { fixturesDir, repoRoot } from '../helpers/shared';
import { InMemoryApi } from './in-memory-api';
import { generationSettings } from '../helpers/documents';

const FILES = ['nottingham-ashover1.mid', 'nottingham-reelsa-c29.mid', 'nottingham-waltzes1.mid'];
const seed: Melody = {
  notes: [62, 66, 69, 74].map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 80 })),
  bpm: 110,
  timeSignature: [4, 4],
};

const apis: InMemoryApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((a) => a.dispose()));
});

async function withFiles(): Promise<{ api: InMemoryApi; fileIds: string[] }> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/app/worker/train.js')))
    throw new Error('dist/app/worker/train.js is missing: run "npm run build" first (npm test does it)');
  const api = new InMemoryApi();
  apis.push(api);
  const files = FILES.map((name) => ({
    name,
    bytes: new Uint8Array(fs.readFileSync(path.join(fixturesDir, name))),
  }));
  const running = await startJob(
    api,
    'library.import',
    async () => (await api.invoke('library.importFiles', { files })).job,
    () => undefined,
  );
  expect((await running!.ended).status).toBe('done');
  return { api, fileIds: [...api.files.keys()] };
}

/** Starts a training from the default model on `fileIds` and follows it as the page does. */
function train(
  api: InMemoryApi,
  fileIds: string[],
  advanced: TrainingAdvanced,
  onProgress: (p: TrainProgress) => void,
) {
  return startJob(
    api,
    'trainer.train',
    async () =>
      (await api.invoke('trainer.start', { fileIds, from: 'default', preset: 'quick', advanced })).job,
    onProgress,
  );
}

describe('the in-memory API trains', () => {
  it('runs a trainer.train job on its imported files and lists the model it made, which generates', async () => {
    const { api, fileIds } = await withFiles();
    const progress: TrainProgress[] = [];
    const running = await train(
      api,
      fileIds,
      { steps: 4, seconds: null, validateEvery: 2, name: 'Three tunes' },
      (p) => progress.push(p),
    );
    const end = await running!.ended;
    if (end.status !== 'done') throw new Error(`training ended ${JSON.stringify(end)}`);
    expect(end.result.model.name).toBe('Three tunes');
    expect(progress.flatMap((p) => p.train).map((t) => t.step)).toEqual([1, 2, 3, 4]);
    expect(progress.find((p) => p.plan)!.plan!.warnings[0]).toMatch(/^only 3 files/);

    const { models } = await api.invoke('models.list', {});
    expect(models.map((m) => m.name)).toEqual(['Default model (folk tunes)', 'Three tunes']);
    const variations: GeneratedVariation[] = [];
    const generating = await startJob(
      api,
      'generator.generate',
      async () =>
        (
          await api.invoke('generator.generate', {
            seed,
            settings: { ...generationSettings, modelId: end.result.model.id, bars: 1, randomSeed: 2 },
          })
        ).job,
      (p) => variations.push(...p.variations),
    );
    expect((await generating!.ended).status).toBe('done');
    expect(variations[0].made.modelName).toBe('Three tunes');
  });

  it('pauses and resumes a training by its job id', async () => {
    const { api, fileIds } = await withFiles();
    let latest: TrainProgress | null = null;
    let wake = () => undefined as void;
    const running = await train(api, fileIds, { steps: 100_000, seconds: null }, (p) => {
      latest = p;
      wake();
    });
    const until = async (test: (p: TrainProgress) => boolean) => {
      while (!latest || !test(latest)) await new Promise<void>((resolve) => (wake = resolve));
    };
    await until((p) => p.step >= 2);
    expect(await api.invoke('jobs.pause', { job: running!.job })).toEqual({ paused: true });
    await until((p) => p.phase === 'paused');
    expect(await api.invoke('jobs.resume', { job: running!.job })).toEqual({ resumed: true });
    await until((p) => p.phase === 'training');
    expect(await running!.cancel()).toBe(true);
    expect((await running!.ended).status).toBe('cancelled');
  });
});
