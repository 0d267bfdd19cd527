/**
 * The renderer tests' in-memory API generates like the hosts: the real generator service and the
 * worker's jobs in-process, behind the same schemas and job events, followed with the page's startJob.
 */
import { describe, expect, it } from 'vitest';
import type { GeneratedVariation, GenerationSettings, Melody } from '../../app/contract/api';
import { startJob } from '../../renderer/lib/api/jobs';
import { InMemoryApi } from './in-memory-api';

const seed: Melody = {
  notes: [60, 64, 67, 72].map((pitch, i) => ({ pitch, start: i * 8, duration: 8, velocity: 80 })),
  bpm: 100,
  timeSignature: [4, 4],
};
const settings: GenerationSettings = {
  modelId: 'default',
  bars: 2,
  variations: 3,
  temperature: 0.9,
  topK: 0,
  topP: 0.95,
  novelty: null,
  scale: { tonic: 0, name: 'major' },
  range: null,
  maxRepeats: null,
  randomSeed: 5,
};

async function generate(api: InMemoryApi, s: GenerationSettings) {
  const variations: GeneratedVariation[] = [];
  const running = await startJob(
    api,
    'generator.generate',
    async () => (await api.invoke('generator.generate', { seed, settings: s })).job,
    (p) => variations.push(...p.variations),
  );
  return { end: await running!.ended, variations };
}

describe('the in-memory API generates', () => {
  it('streams the variations of a generator.generate job, reproducibly', async () => {
    const api = new InMemoryApi();
    const first = await generate(api, settings);
    expect(first.end).toMatchObject({ status: 'done', result: { variations: 3 } });
    expect(first.variations.map((v) => v.index)).toEqual([0, 1, 2]);
    const again = await generate(api, settings);
    expect(again.variations.map((v) => v.melody)).toEqual(first.variations.map((v) => v.melody));
  });

  it('refuses bad settings with the contract message', async () => {
    const api = new InMemoryApi();
    await expect(
      api.invoke('generator.generate', { seed, settings: { ...settings, bars: 500 } }),
    ).rejects.toThrow(
      'generator.generate: invalid arguments: settings.bars: must be between 1 and 128, got 500',
    );
  });

  it('lists the default model', async () => {
    const { models } = await new InMemoryApi().invoke('models.list', {});
    expect(models.map((m) => [m.id, m.problem])).toEqual([['default', null]]);
  });
});
