/**
 * Generation through the services with a real model worker thread and the bundled default model:
 * the contract's `models.list`, `generator.*` methods and jobs, as a window sees them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  GeneratedVariation,
  GenerationSettings,
  Melody,
  MelodyAnalysis,
  ModelInfo,
  RegenerateResult,
} from '../../app/contract/api.js';
import { createServices, type Services } from '../../app/services/index.js';
import type * as ModelsModule from '../../app/services/models.js';
import { analyseMelody, nextNoteAt } from '../../engine/eval/analysis.js';
import { importMidi } from '../../engine/midi/index.js';
import { engineModelFromFile } from '../../engine/model/lstm-model.js';
import { loadModel } from '../../engine/model-file/node.js';
import { GENERATION_DEFAULTS } from '../../engine/sample/defaults.js';
import { SCALES } from '../../engine/sample/constraints.js';
import { repoRoot } from '../helpers/shared.js';
import { expectOneLine, followJob, rejection, requireBuiltWorker, tempDir } from './helpers.js';

const modelsDir = path.join(repoRoot, 'models');
let workerPath: string;
const owned: Services[] = [];

function services(dir = modelsDir): Services {
  const s = createServices({ host: 'web', userDataDir: tempDir(), workerPath, modelsDir: dir });
  owned.push(s);
  return s;
}

beforeAll(() => {
  workerPath = requireBuiltWorker();
});
afterEach(async () => {
  await Promise.all(owned.splice(0).map((s) => s.dispose()));
});

/** Two bars of 4/4 in C major: C D E F | G E C –. */
const seed: Melody = {
  notes: [60, 62, 64, 65, 67, 64]
    .map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 90 }))
    .concat([{ pitch: 60, start: 24, duration: 8, velocity: 90 }]),
  bpm: 120,
  timeSignature: [4, 4],
};

const settings: GenerationSettings = {
  modelId: 'default',
  bars: 4,
  variations: 6,
  temperature: GENERATION_DEFAULTS.temperature,
  topK: 0,
  topP: GENERATION_DEFAULTS.topP,
  novelty: null,
  scale: { tonic: 0, name: 'major' },
  range: { min: 55, max: 79 },
  maxRepeats: 2,
  randomSeed: 1234,
};

async function generateAll(s: Services, args: Parameters<typeof s.invoke>[1]) {
  const record = await followJob<'generator.generate'>(s, () => s.invoke('generator.generate', args));
  const variations = record.progress.flatMap((p) => p.variations);
  return { record, variations };
}

const newNotes = (v: GeneratedVariation) => v.melody.notes.slice(v.seedNotes);

describe('models.list', () => {
  it('lists the bundled default model with its card, its own novelty, pitch range and memorisation index', async () => {
    const { models } = (await services().invoke('models.list', {})) as { models: ModelInfo[] };
    expect(models).toHaveLength(1);
    const [model] = models;
    expect(model).toMatchObject({
      id: 'default',
      builtIn: true,
      novelty: 0.5,
      pitchRange: { min: 52, max: 91 },
      memorisationIndex: true,
      problem: null,
      training: { data: ['nottingham'], trainTunes: 808, validationTunes: 71, epochs: 32 },
    });
    expect(model.bitsPerNote).toBeCloseTo(1.3237, 3);
    expect(model.bitsPerNoteLstm).toBeCloseTo(3.0764, 3);
  });

  it('lists a model whose file cannot be read with the reason, and generating with it fails in one line', async () => {
    const s = services(tempDir());
    const { models } = (await s.invoke('models.list', {})) as { models: ModelInfo[] };
    expect(models[0]).toMatchObject({ id: 'default', builtIn: true, memorisationIndex: false });
    expect(models[0].problem).toContain('default.continuo: cannot read the model (no such file)');
    const { record } = await generateAll(s, { seed, settings });
    expect(record.end.event).toBe('job.failed');
    const { message } = record.end.payload as { message: string };
    expectOneLine(message);
    expect(message).toContain('no such file');
  });
});

describe('where the bundled models are found', () => {
  it('from dist/ (the browser host, a checkout): models/ of the checkout; packaged: what main passes', async () => {
    const built = path.join(repoRoot, 'dist/app/services/models.js');
    const { defaultModelsDir, bundledModels } = (await import(built)) as typeof ModelsModule;
    expect(defaultModelsDir()).toBe(modelsDir);
    expect(bundledModels(defaultModelsDir())).toEqual([
      { id: 'default', path: path.join(modelsDir, 'default.continuo'), builtIn: true },
    ]);
    // Packaged, electron-builder.yml puts models/ in the resources folder and main passes that.
    const main = fs.readFileSync(path.join(repoRoot, 'app/main/index.ts'), 'utf8');
    expect(main).toContain("modelsDir: path.join(process.resourcesPath, 'models')");
  });
});

describe('generator.options', () => {
  it("offers the engine's scales, defaults and the contract's limits", async () => {
    const options = await services().invoke('generator.options', {});
    expect(options).toMatchObject({
      defaults: { ...GENERATION_DEFAULTS },
      limits: { variations: 16, candidates: 16 },
      defaultModelId: 'default',
    });
    const scales = (options as { scales: { name: string; intervals: number[] }[] }).scales;
    expect(scales.map((x) => x.name)).toEqual(Object.keys(SCALES));
    expect(scales.find((x) => x.name === 'dorian')?.intervals).toEqual([...SCALES.dorian]);
  });
});

describe('generator.generate', () => {
  it('streams every variation once, in order, each obeying the scale, range, repeats and bars asked', async () => {
    const { record, variations } = await generateAll(services(), { seed, settings });
    expect(record.end).toMatchObject({
      event: 'job.done',
      payload: { result: { variations: 6, scale: { tonic: 0, name: 'major' }, detected: false } },
    });
    expect(variations.map((v) => v.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(record.progress.at(-1)).toMatchObject({ done: 6, total: 6 });
    const major = new Set(SCALES.major);
    for (const v of variations) {
      expect(v.seedNotes).toBe(seed.notes.length);
      expect(v.melody.notes.slice(0, v.seedNotes)).toEqual(seed.notes);
      expect(v.endStep).toBe(32 + 4 * 16);
      const added = newNotes(v);
      expect(added.length).toBeGreaterThan(0);
      let run = 1;
      added.forEach((n, i) => {
        expect(major.has((n.pitch % 12) as 0)).toBe(true);
        expect(n.pitch).toBeGreaterThanOrEqual(55);
        expect(n.pitch).toBeLessThanOrEqual(79);
        expect(n.start).toBeGreaterThanOrEqual(32);
        expect(n.start + n.duration).toBeLessThanOrEqual(v.endStep);
        const previous = i === 0 ? v.melody.notes[v.seedNotes - 1] : added[i - 1];
        run = previous.pitch === n.pitch ? run + 1 : 1;
        expect(run).toBeLessThanOrEqual(2);
      });
      expect(v.made).toEqual({
        modelId: 'default',
        modelName: 'Default model (folk tunes)',
        settings: { ...settings, novelty: 0.5 },
        variation: v.index,
      });
      expect(v.memorisation).toEqual({
        longestRun: expect.any(Number),
        warning: (v.memorisation as { longestRun: number }).longestRun >= 8,
      });
    }
  });

  it('gives the same notes for the same random seed, other notes for another, and one variation alone exactly', async () => {
    const s = services();
    const first = (await generateAll(s, { seed, settings })).variations;
    const again = (await generateAll(s, { seed, settings })).variations;
    expect(again.map((v) => v.melody)).toEqual(first.map((v) => v.melody));
    const other = (await generateAll(s, { seed, settings: { ...settings, randomSeed: 99 } })).variations;
    expect(other.map((v) => newNotes(v))).not.toEqual(first.map((v) => newNotes(v)));
    // "regenerate exactly": the recipe of variation 4 makes variation 4 again, note for note
    const chosen = first[4];
    const exactly = (
      await generateAll(s, {
        seed: { ...chosen.melody, notes: chosen.melody.notes.slice(0, chosen.seedNotes) },
        settings: { ...chosen.made.settings, variations: 1 },
        firstVariation: chosen.made.variation,
      })
    ).variations;
    expect(exactly).toHaveLength(1);
    expect(exactly[0].index).toBe(4);
    expect(exactly[0].melody).toEqual(chosen.melody);
  });

  it('detects the key from the seed when asked, keeps to it and reports it', async () => {
    const inG: Melody = { ...seed, notes: seed.notes.map((n) => ({ ...n, pitch: n.pitch + 7 })) };
    const { record, variations } = await generateAll(services(), {
      seed: inG,
      settings: { ...settings, scale: 'detect', range: null, variations: 2 },
    });
    expect(record.end).toMatchObject({
      event: 'job.done',
      payload: { result: { scale: { tonic: 7, name: 'major' }, detected: true } },
    });
    const gMajor = new Set(SCALES.major.map((i) => (i + 7) % 12));
    for (const v of variations) {
      expect(v.made.settings.scale).toEqual({ tonic: 7, name: 'major' });
      for (const n of newNotes(v)) expect(gMajor.has(n.pitch % 12)).toBe(true);
    }
  });

  it('supersedes a running generation: the older ends cancelled, the newer completes', async () => {
    const s = services();
    const long = { ...settings, bars: 64, variations: 16, range: null, scale: null };
    const older = followJob<'generator.generate'>(s, () =>
      s.invoke('generator.generate', { seed, settings: long }),
    );
    // the older job has begun in the worker before the newer one is asked for
    await new Promise((resolve) => setTimeout(resolve, 50));
    const newer = await generateAll(s, { seed, settings: { ...settings, variations: 2 } });
    const old = await older;
    expect(old.end.event).toBe('job.cancelled');
    expect(old.progress.flatMap((p) => p.variations).length).toBeLessThan(16);
    expect(newer.record.end.event).toBe('job.done');
    expect(newer.variations).toHaveLength(2);
    expect(s.generator.current).toBeNull();
  });

  it('stops when cancelled with jobs.cancel, keeping what it delivered', async () => {
    const s = services();
    const long = { ...settings, bars: 64, variations: 16, range: null, scale: null };
    const record = await followJob<'generator.generate'>(
      s,
      () => s.invoke('generator.generate', { seed, settings: long }),
      (_progress, job) => void s.invoke('jobs.cancel', { job }),
    );
    expect(record.end.event).toBe('job.cancelled');
    const delivered = record.progress.flatMap((p) => p.variations);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.length).toBeLessThan(16);
    expect(delivered.map((v) => v.index)).toEqual(delivered.map((_, i) => i));
  });

  it('refuses bad settings with one line naming the field, before any job starts', async () => {
    const s = services();
    const cases: [unknown, string][] = [
      [{ ...settings, variations: 17 }, 'settings.variations: must be between 1 and 16, got 17'],
      [
        { ...settings, modelId: 'mine' },
        'settings.modelId: no model has id "mine" (the models are: default)',
      ],
      [
        { ...settings, scale: { tonic: 0, name: 'major-pentatonic' }, range: { min: 61, max: 61 } },
        'settings.range: the scale and pitch range together allow no pitch at all',
      ],
      [{ ...settings, scale: { tonic: 0, name: 'bebop' } }, 'settings.scale'],
    ];
    for (const [bad, mentions] of cases) {
      const message = await rejection(s.invoke('generator.generate', { seed, settings: bad }));
      expectOneLine(message);
      expect(message).toContain('generator.generate: invalid arguments: ');
      expect(message).toContain(mentions);
    }
    expect(s.jobs.running).toBe(0);
  });
});

describe('generator.regenerate', () => {
  it('samples a bar range again and keeps the bars before and after it', async () => {
    const s = services();
    const [variation] = (await generateAll(s, { seed, settings: { ...settings, variations: 1 } })).variations;
    const { bars: _b, variations: _v, ...sampling } = settings;
    const record = await followJob<'generator.regenerate'>(s, () =>
      s.invoke('generator.regenerate', {
        melody: variation.melody,
        fromBar: 4,
        toBar: 4,
        candidates: 4,
        settings: { ...sampling, randomSeed: 7 },
      }),
    );
    expect(record.end.event).toBe('job.done');
    const result = (record.end.payload as { result: RegenerateResult }).result;
    const outside = (m: Melody) => m.notes.filter((n) => n.start < 48 || n.start >= 64);
    expect(outside(result.melody)).toEqual(outside(variation.melody));
    expect(result.candidates).toHaveLength(4);
    expect(result.chosen).toBe(
      result.candidates.reduce((best, c, i) => (c.keptBits < result.candidates[best].keptBits ? i : best), 0),
    );
    const inRange = result.melody.notes.slice(result.range.first, result.range.end);
    expect(inRange).toEqual(result.candidates[result.chosen].notes);
    for (const n of inRange) {
      expect(n.start).toBeGreaterThanOrEqual(48);
      expect(n.start + n.duration).toBeLessThanOrEqual(64);
    }
    expect(result.made).toMatchObject({ modelId: 'default', candidates: 4, settings: { novelty: 0.5 } });
    expect('longestRun' in result.memorisation).toBe(true);
  });
});

describe('generator.analyse', () => {
  const engine = engineModelFromFile(loadModel(path.join(modelsDir, 'default.continuo')), 'default.continuo');
  afterAll(() => undefined);

  it("answers each note's surprise and the next-note distribution at a step, as the engine computes them", async () => {
    const analysis = (await services().invoke('generator.analyse', {
      melody: seed,
      modelId: 'default',
      novelty: null,
      step: 16,
    })) as MelodyAnalysis;
    const expected = analyseMelody(engine.model, seed, { novelty: 0.5 });
    expect(analysis.notes).toEqual(expected.notes);
    expect(analysis.totalBits).toBeCloseTo(expected.totalBits, 9);
    const next = nextNoteAt(engine.model, seed, 16, { novelty: 0.5 });
    expect(analysis.next).toEqual({
      step: 16,
      pitches: Array.from(next.pitches),
      rest: next.rest,
      end: next.end,
    });
    expect(analysis.next!.pitches.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('answers surprise only when no step is given', async () => {
    const analysis = (await services().invoke('generator.analyse', {
      melody: seed,
      modelId: 'default',
      novelty: 0.2,
      step: null,
    })) as MelodyAnalysis;
    expect(analysis.next).toBeNull();
    expect(analysis.notes).toHaveLength(seed.notes.length);
  });
});

describe('exporting a result', () => {
  it('exports a variation (seed + continuation) as MIDI that imports to the same notes', async () => {
    const s = services();
    const [variation] = (await generateAll(s, { seed, settings: { ...settings, variations: 1 } })).variations;
    const { bytes } = (await s.invoke('exporter.midi', { melody: variation.melody, name: 'take' })) as {
      bytes: Uint8Array;
    };
    expect(importMidi(bytes, 'take.mid').melody.notes).toEqual(variation.melody.notes);
  });
});
