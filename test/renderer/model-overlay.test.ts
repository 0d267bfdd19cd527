import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Melody } from '../../app/contract/api';
import { nextNoteAt, analyseMelody } from '../../engine/eval/analysis';
import { engineModelFromFile } from '../../engine/model/lstm-model';
import { loadModel } from '../../engine/model-file/node';
import { ghostNotes } from '../../renderer/lib/piano-roll/ghosts';
import { ModelOverlay, seedBefore, type OverlaySource } from '../../renderer/lib/state/model-overlay.svelte';
import { InMemoryApi } from './in-memory-api';
import { Source } from './overlay-source.svelte';
import { repoRoot } from '../helpers/shared';

const engine = engineModelFromFile(
  loadModel(path.join(repoRoot, 'models/default.continuo')),
  'default.continuo',
);
const OWN_NOVELTY = 0.5; // the default model's own (its card says so; generator.test.ts checks it)

const melody = (pitches: number[], ts: [number, number] = [4, 4]): Melody => ({
  notes: pitches.map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 90 })),
  bpm: 120,
  timeSignature: ts,
});

const teardowns: (() => void)[] = [];
afterEach(() => {
  while (teardowns.length) teardowns.pop()!();
});

/** The first answer waits for the model file to load in-process (a second or so). */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 30_000, interval: 5 });

/** An overlay over `initial`, its models loaded and its first request made. */
async function overlay(initial: OverlaySource | null, api = new InMemoryApi()) {
  const source = new Source();
  source.current = initial;
  const state = new ModelOverlay(api, () => source.current, { delayMs: 0 });
  teardowns.push(state.start());
  await eventually(() => expect(state.modelId).toBe('default'));
  state.follow();
  return { api, source, state };
}

const analyseCalls = (api: InMemoryApi) => api.calls.filter((c) => c.method === 'generator.analyse');

describe('the model overlay', () => {
  const seed = melody([60, 62, 64, 65, 67, 65, 64, 62]);

  it('asks for the distribution at the cursor with the seed up to the cursor, and shows the engine’s', async () => {
    const { api, state } = await overlay({ melody: seed, cursor: 16, noteLength: 4 });
    await eventually(() => expect(state.next).not.toBeNull());
    const [call] = analyseCalls(api);
    expect(call.args).toMatchObject({ modelId: 'default', novelty: null, step: 16 });
    expect((call.args as { melody: Melody }).melody.notes).toEqual(seed.notes.slice(0, 4));
    const expected = nextNoteAt(engine.model, seed, 16, { novelty: OWN_NOVELTY });
    expect(state.next!.pitches).toEqual(Array.from(expected.pitches));
    expect(state.ghosts).toEqual(ghostNotes(Array.from(expected.pitches), 16, 4));
    expect(state.ghosts.length).toBeGreaterThan(0);
  });

  it('draws nothing for a seed or cursor the answer was not asked for, until the new answer comes', async () => {
    const { source, state } = await overlay({ melody: seed, cursor: 16, noteLength: 4 });
    await eventually(() => expect(state.ghosts.length).toBeGreaterThan(0));
    source.current = { melody: seed, cursor: 20, noteLength: 4 };
    state.follow();
    expect(state.ghosts).toEqual([]);
    await eventually(() => expect(state.next?.step).toBe(20));
    const expected = nextNoteAt(engine.model, seed, 20, { novelty: OWN_NOVELTY });
    expect(state.next!.pitches).toEqual(Array.from(expected.pitches));
  });

  it('gives ghosts the note length tool’s duration', async () => {
    const { source, state } = await overlay({ melody: seed, cursor: 32, noteLength: 4 });
    await eventually(() => expect(state.ghosts.length).toBeGreaterThan(0));
    source.current = { melody: seed, cursor: 32, noteLength: 2 };
    expect(state.ghosts.every((g) => g.duration === 2 && g.start === 32)).toBe(true);
  });

  it('asks nothing and shows nothing while hidden, or while no seed is shown', async () => {
    const { api, source, state } = await overlay({ melody: seed, cursor: 16, noteLength: 4 });
    await eventually(() => expect(state.ghosts.length).toBeGreaterThan(0));
    state.ghostsOn = false;
    state.follow();
    expect(state.ghosts).toEqual([]);
    const asked = analyseCalls(api).length;
    source.current = { melody: seed, cursor: 8, noteLength: 4 };
    state.follow();
    state.ghostsOn = true;
    source.current = null;
    state.follow();
    await new Promise((r) => setTimeout(r, 20));
    expect(analyseCalls(api)).toHaveLength(asked);
  });

  it('starts with the default model from models.list, and asks the one chosen', async () => {
    const { api, state } = await overlay({ melody: seed, cursor: 16, noteLength: 4 });
    await eventually(() => expect(state.modelId).toBe('default'));
    expect(state.models.map((m) => m.id)).toContain('default');
    state.chooseModel('no-such-model');
    expect(state.modelId).toBe('default');
    expect(analyseCalls(api).every((c) => (c.args as { modelId: string }).modelId === 'default')).toBe(true);
  });

  it('colours by surprise only when asked: each note’s bits, as the engine reads the whole seed', async () => {
    const { api, state } = await overlay({ melody: seed, cursor: 16, noteLength: 4 });
    await eventually(() => expect(state.next).not.toBeNull());
    expect(state.surpriseBits).toBeNull();
    expect(analyseCalls(api).every((c) => (c.args as { step: number | null }).step !== null)).toBe(true);
    state.surpriseOn = true;
    state.follow();
    await eventually(() => expect(state.surpriseBits).not.toBeNull());
    const expected = analyseMelody(engine.model, seed, { novelty: OWN_NOVELTY });
    expect(state.surpriseBits).toEqual(expected.notes.map((n) => n.bits));
    const surpriseCall = analyseCalls(api).find((c) => (c.args as { step: number | null }).step === null)!;
    expect((surpriseCall.args as { melody: Melody }).melody.notes).toEqual(seed.notes);
  });

  it('colours a result on screen (seed and continuation) by the same toggle, never with another result’s bits', async () => {
    const api = new InMemoryApi();
    const shownResult = new Source();
    const first = melody([60, 62, 64, 65, 67, 69, 71, 72]);
    const second = melody([60, 62, 64, 65, 64, 62, 60, 55, 60]);
    shownResult.current = { melody: first, cursor: 0, noteLength: 4 };
    const state = new ModelOverlay(api, () => null, {
      delayMs: 0,
      coloured: () => shownResult.current?.melody ?? null,
    });
    teardowns.push(state.start());
    await eventually(() => expect(state.modelId).toBe('default'));
    state.follow();
    expect(analyseCalls(api)).toEqual([]); // no ghosts without a seed on screen, no colours until asked
    state.surpriseOn = true;
    state.follow();
    // Switch to the second result before the first answer can be shown: only the second's bits appear.
    shownResult.current = { melody: second, cursor: 0, noteLength: 4 };
    state.follow();
    expect(state.surpriseBits).toBeNull();
    await eventually(() => expect(state.surpriseBits).not.toBeNull());
    const expected = analyseMelody(engine.model, second, { novelty: OWN_NOVELTY });
    expect(state.surpriseBits).toEqual(expected.notes.map((n) => n.bits));
    expect(analyseCalls(api).every((c) => (c.args as { step: number | null }).step === null)).toBe(true);
    // Back to the first: its own bits, not the second's.
    shownResult.current = { melody: first, cursor: 0, noteLength: 4 };
    state.follow();
    expect(state.surpriseBits).toBeNull();
    await eventually(() => expect(state.surpriseBits).not.toBeNull());
    expect(state.surpriseBits).toEqual(
      analyseMelody(engine.model, first, { novelty: OWN_NOVELTY }).notes.map((n) => n.bits),
    );
    state.surpriseOn = false;
    expect(state.surpriseBits).toBeNull();
  });

  it('says what went wrong when the model cannot answer, and shows no ghosts', async () => {
    const api = new InMemoryApi();
    const invoke = api.invoke.bind(api);
    vi.spyOn(api, 'invoke').mockImplementation((method, args) =>
      method === 'generator.analyse'
        ? Promise.reject(new Error('generator.analyse: the model file is damaged'))
        : invoke(method as never, args as never),
    );
    const { state } = await overlay({ melody: seed, cursor: 4, noteLength: 4 }, api);
    await eventually(() => expect(state.error).toBe('generator.analyse: the model file is damaged'));
    expect(state.ghosts).toEqual([]);
  });
});

describe('seedBefore', () => {
  it('keeps the notes that start before the step, cutting one still sounding there', () => {
    const cut = seedBefore(melody([60, 62, 64]), 6);
    expect(cut.notes).toEqual([
      { pitch: 60, start: 0, duration: 4, velocity: 90 },
      { pitch: 62, start: 4, duration: 2, velocity: 90 },
    ]);
    expect(seedBefore(melody([60, 62, 64], [3, 4]), 0)).toEqual({
      notes: [],
      bpm: 120,
      timeSignature: [3, 4],
    });
  });
});
