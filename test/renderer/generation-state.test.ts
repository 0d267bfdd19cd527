// @vitest-environment jsdom
/**
 * The Generate panel's state and the app's generation commands against the in-memory API (the real
 * generator service and worker jobs in-process, the bundled default model): settings from the
 * host's options, results as they stream, supersede, regenerate exactly, a bar range beside its
 * result, audition and A/B, Keep as an undoable edit, and the plain data a document file holds.
 */
import { describe, expect, it } from 'vitest';
import type { Melody } from '../../app/contract/api';
import { AppState } from '../../renderer/lib/state/app.svelte';
import { GenerationState, memorisationText, rollSeed } from '../../renderer/lib/state/generation.svelte';
import { InMemoryApi } from './in-memory-api';
import { keyPress } from './input/key-press';
import { RecordingPort } from './recording-port';

const seed: Melody = {
  notes: [60, 62, 64, 65, 67, 65, 64, 62].map((pitch, i) => ({
    pitch,
    start: i * 4,
    duration: 4,
    velocity: 90,
  })),
  bpm: 120,
  timeSignature: [4, 4],
};

async function loaded(api = new InMemoryApi()) {
  const state = new GenerationState(api);
  await state.load();
  state.update({ bars: 2, variations: 3, scale: { tonic: 0, name: 'major' }, randomSeed: 77 });
  return { state, api };
}

describe('GenerationState', () => {
  it("takes its defaults from the host's options and knows the default model", async () => {
    const state = new GenerationState(new InMemoryApi());
    await state.load();
    expect(state.settings).toMatchObject({
      modelId: 'default',
      bars: 8,
      variations: 4,
      temperature: 0.9,
      topP: 0.95,
    });
    expect(state.settings.novelty).toBeNull();
    expect(state.novelty).toBe(0.5);
    expect(state.model?.pitchRange).toEqual({ min: 52, max: 91 });
    expect(state.options?.scales.map((s) => s.name)).toContain('dorian');
  });

  it('lists every variation as it comes, then says how many', async () => {
    const { state } = await loaded();
    await state.generate(seed);
    expect(state.results.map((r) => r.label)).toEqual(['1', '2', '3']);
    expect(state.busy).toBeNull();
    expect(state.message).toEqual({ text: '3 variations.', error: false });
    for (const r of state.results) expect(r.melody.notes.slice(0, r.seedNotes)).toEqual(seed.notes);
  });

  it('a newer generation supersedes a running one: the list is the newer one', async () => {
    const { state } = await loaded();
    const older = state.generate(seed);
    state.update({ variations: 2, randomSeed: 78 });
    const newer = state.generate(seed);
    await Promise.all([older, newer]);
    expect(state.results.map((r) => r.label)).toEqual(['1', '2']);
    expect(state.results.every((r) => r.made?.settings.randomSeed === 78)).toBe(true);
    expect(state.message?.error).toBe(false);
  });

  it('makes a result again exactly from its recipe', async () => {
    const { state } = await loaded();
    await state.generate(seed);
    expect(await state.regenerateExactly(state.results[2])).toBe(true);
    expect(state.message?.text).toBe('Variation 3 made again: identical, note for note.');
  });

  it('adds a regenerated bar range right after its result, keeping the result', async () => {
    const { state } = await loaded();
    await state.generate(seed);
    const original = state.results[0];
    const added = await state.regenerateBars(original, 4, 4, 4);
    expect(added).not.toBeNull();
    expect(state.results.map((r) => r.label)).toEqual(['1', '1 · bars 4–4', '2', '3']);
    expect(state.results[0]).toBe(original);
    expect(added!.melody.notes.filter((n) => n.start < 48)).toEqual(
      original.melody.notes.filter((n) => n.start < 48),
    );
    expect(state.current).toBe(added!.key);
  });

  it('auditions and swaps A/B between the last two', async () => {
    const { state } = await loaded();
    await state.generate(seed);
    expect(state.swap()).toBe(false);
    state.audition(state.results[0].key);
    state.audition(state.results[2].key);
    expect(state.swap()).toBe(true);
    expect([state.current, state.other]).toEqual([state.results[0].key, state.results[2].key]);
  });

  it('gives its settings and results as plain data and restores them', async () => {
    const { state, api } = await loaded();
    await state.generate(seed);
    const data = state.toData();
    expect(structuredClone(data)).toEqual(data);
    const other = new GenerationState(api);
    other.restore(JSON.parse(JSON.stringify(data)));
    expect(other.settings).toEqual(state.settings);
    expect(other.results.map((r) => r.melody)).toEqual(state.results.map((r) => r.melody));
  });

  it('says a bad setting in one line naming the field', async () => {
    const { state } = await loaded();
    state.update({ range: { min: 61, max: 61 }, scale: { tonic: 0, name: 'major-pentatonic' } });
    await state.generate(seed);
    expect(state.message).toEqual({
      text: 'generator.generate: invalid arguments: settings.range: the scale and pitch range together allow no pitch at all',
      error: true,
    });
    expect(state.busy).toBeNull();
  });

  it('rolls random seeds in the contract range and words the memorisation meter', () => {
    expect(rollSeed(() => 0)).toBe(0);
    expect(rollSeed(() => 0.999999999)).toBeLessThanOrEqual(2 ** 32 - 1);
    expect(memorisationText({ longestRun: 0, warning: false })).toBe(
      'no run of 8 notes found in the training melodies',
    );
    expect(memorisationText({ longestRun: 9, warning: true })).toBe(
      '9 notes in a row found in the training melodies: it copies its training data',
    );
    expect(memorisationText({ missing: 'x' })).toMatch(/^memorisation unknown/);
  });
});

describe('the app with results', () => {
  async function app() {
    const port = new RecordingPort();
    const a = new AppState(new InMemoryApi(), async () => port);
    await a.generation.load();
    a.document.replaceWith(seed);
    a.generation.update({ bars: 2, variations: 2, randomSeed: 3 });
    await a.generate();
    return { a, port };
  }

  it('auditions a result: shows it and plays it', async () => {
    const { a } = await app();
    await a.audition(a.generation.results[1].key);
    expect(a.shown).toBe('result');
    expect(a.shownMelody).toBe(a.generation.results[1].melody);
    expect(a.player.playing).toBe(true);
  });

  it('B switches between the last two auditioned results', async () => {
    const { a } = await app();
    await a.audition(a.generation.results[0].key);
    await a.audition(a.generation.results[1].key);
    const event = { ...keyPress('KeyB'), target: null, timeStamp: 0, preventDefault: () => undefined };
    a.keyDown(event as unknown as KeyboardEvent);
    await Promise.resolve();
    expect(a.generation.current).toBe(a.generation.results[0].key);
  });

  it('keeps a result as the seed in one undoable step', async () => {
    const { a } = await app();
    const result = a.generation.results[0];
    await a.audition(result.key);
    a.keep(result);
    expect(a.shown).toBe('seed');
    expect(a.document.melody.notes).toEqual(result.melody.notes);
    a.document.editor.undo();
    expect(a.document.melody.notes).toEqual(seed.notes);
  });
});
