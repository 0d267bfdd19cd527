import { describe, expect, it } from 'vitest';
import { GenerationState } from '../../renderer/lib/state/generation.svelte';
import { ModelsState } from '../../renderer/lib/state/models.svelte';
import { FakeTrainingApi, model } from './fake-trainer';

async function setUp(nativeDialogs = true) {
  const api = new FakeTrainingApi();
  api.models = [model('default', 'Default'), model('m1', 'Reels')];
  const models = new ModelsState(api, () => nativeDialogs);
  await models.load();
  return { api, models };
}

const modelFile = (name: string, text: string) => ({
  name,
  arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
});

describe('ModelsState', () => {
  it('lists the models with the one new generations use', async () => {
    const { models } = await setUp();
    expect([models.models.map((m) => m.name), models.activeModel?.id]).toEqual([
      ['Default', 'Reels'],
      'default',
    ]);
  });

  it('makes another model the active one', async () => {
    const { models } = await setUp();
    await models.use('m1');
    expect([models.active, models.message?.text]).toEqual([
      'm1',
      'Reels is now the model new generations use.',
    ]);
  });

  it('renames a model, refusing a blank name before asking', async () => {
    const { api, models } = await setUp();
    await models.rename('m1', '   ');
    expect([models.message, api.calls.some((c) => c.method === 'models.rename')]).toEqual([
      { text: 'A model needs a name: type one before renaming.', error: true },
      false,
    ]);
    await models.rename('m1', ' Reels, fine-tuned ');
    expect(models.models[1].name).toBe('Reels, fine-tuned');
    expect(models.message?.text).toBe('Renamed Reels to Reels, fine-tuned.');
  });

  it('deletes a trained model but never asks to delete the bundled one', async () => {
    const { api, models } = await setUp();
    await models.remove('default');
    expect(api.calls.filter((c) => c.method === 'models.delete')).toEqual([]);
    await models.remove('m1');
    expect([models.models.map((m) => m.id), models.message?.text]).toEqual([['default'], 'Deleted Reels.']);
  });

  it('exports a model file through the save dialog as kind "model"', async () => {
    const { api, models } = await setUp(true);
    await models.exportModel('m1');
    expect(api.inner.saved.map((s) => [s.suggestedName, s.kind])).toEqual([['Reels.continuo', 'model']]);
    expect(models.message?.text).toBe('Saved Reels.continuo.');
  });

  it('imports a model file, and names the file when it is refused', async () => {
    const { models } = await setUp();
    await models.importFile(modelFile('Hornpipes.continuo', 'model bytes'));
    expect(models.models.map((m) => m.name)).toContain('Hornpipes');
    await models.importFile(modelFile('notes.txt', 'hello'));
    expect(models.message).toEqual({
      text: 'Could not import notes.txt: notes.txt is not a Continuo model file',
      error: true,
    });
  });

  it('tells the Generate panel: the model made active is the one it generates with, a deleted one falls back', async () => {
    const api = new FakeTrainingApi();
    api.models = [model('default', 'Default'), model('m1', 'Reels')];
    const generation = new GenerationState(api);
    await generation.load();
    const models = new ModelsState(
      api,
      () => true,
      (list, activated) => generation.modelsChanged(list, activated),
    );
    await models.load();
    expect(generation.settings.modelId).toBe('default');
    await models.use('m1');
    expect([generation.settings.modelId, generation.models.map((m) => m.id)]).toEqual([
      'm1',
      ['default', 'm1'],
    ]);
    await models.remove('m1');
    expect([generation.settings.modelId, generation.models.map((m) => m.id)]).toEqual([
      'default',
      ['default'],
    ]);
  });
});
