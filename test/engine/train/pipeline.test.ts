import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMidi } from '../../../engine/midi/index.js';
import type { ModelContents } from '../../../engine/model-file/index.js';
import { initParams } from '../../../engine/nn/index.js';
import { noteFrequencyBitsPerNote } from '../../../engine/train/baseline.js';
import {
  dataStats,
  dataWarnings,
  lstmModelContents,
  PauseGate,
  planTraining,
  runTraining,
  splitPieceEnd,
  startModelProblem,
  TrainingRequestError,
  type PipelineEvent,
  type TrainingPiece,
  type TrainingRequest,
} from '../../../engine/train/pipeline.js';
import { barSteps } from '../../../engine/time/index.js';
import { fixturesDir } from '../../helpers/shared.js';
import { train, type WeightAccess } from '../../../engine/train/trainer.js';
import { tinyConfig, tinyCorpus, tinyCorpusDir } from './tiny-corpus.js';

const read = (file: string): TrainingPiece => ({
  file: path.basename(file),
  melody: importMidi(fs.readFileSync(file), file).melody,
});
const tiny: TrainingPiece[] = fs
  .readdirSync(tinyCorpusDir)
  .sort()
  .map((f) => read(path.join(tinyCorpusDir, f)));
const reel = read(path.join(fixturesDir, 'nottingham-reelsa-c29.mid'));
const waltz = read(path.join(fixturesDir, 'nottingham-waltzes1.mid'));

/** A fake clock: 10 ms per reading, so budgets and rates do not depend on the machine's speed. */
function fakeClock(): () => number {
  let t = 0;
  return () => (t += 10);
}

/** A start model of the tiny network with random weights, as a model file would hold it. */
function startModel(pitchRange = { min: 55, max: 90 }): ModelContents {
  const config = tinyConfig();
  return lstmModelContents(config, initParams(config, 3), { training: { pitchRange }, metrics: {} });
}

function request(overrides: Partial<TrainingRequest> = {}): TrainingRequest {
  return {
    pieces: tiny,
    start: { kind: 'scratch' },
    config: tinyConfig(),
    steps: 6,
    seconds: null,
    probe: false,
    ...overrides,
  };
}

describe('engine/train/pipeline: the start model', () => {
  it('accepts a model of this engine and says in words why another cannot be the start', () => {
    const good = startModel();
    expect(startModelProblem(good)).toBeNull();
    const otherVocabulary = {
      ...good,
      header: { ...good.header, vocabulary: { ...good.header.vocabulary, size: 130 } },
    };
    expect(startModelProblem(otherVocabulary)).toMatch(/^its token vocabulary is not this engine's/);
    const notLstm = { ...good, header: { ...good.header, extra: { kind: 'ppm' } } };
    expect(startModelProblem(notLstm)).toBe('it is not an LSTM model');
    const short = { ...good, weights: good.weights.subarray(1) };
    expect(startModelProblem(short)).toMatch(
      /^the start weights hold [\d,]+ numbers, the configuration needs [\d,]+$/,
    );
  });

  it('fine-tunes from the start weights: the first validation is near the start model score, not a random one', async () => {
    const contents = startModel();
    const events: PipelineEvent[] = [];
    const r = await runTraining(
      request({ start: { kind: 'model', name: 'start.continuo', contents }, steps: 2, validateEvery: 1 }),
      {
        onEvent: (e) => events.push(e),
        now: fakeClock(),
      },
    );
    expect(r.plan.start).toEqual({ kind: 'model', name: 'start.continuo' });
    expect(r.plan.notes[0]).toMatch(/^starting from start\.continuo \(1×12 LSTM\): fine-tuning its weights$/);
    expect(r.plan.startBitsPerNote).toBeGreaterThan(0);
    const first = events.find((e) => e.type === 'validation');
    expect(
      first?.type === 'validation' && Math.abs(first.bitsPerNote - r.plan.startBitsPerNote!),
    ).toBeLessThan(0.05);
    expect(r.model.header.training.from).toBe('start.continuo');
    // half the start model's learning rate, after a warm-up
    expect(r.plan.learningRate).toBe(tinyConfig().learningRate / 2);
    expect(r.plan.warmupSteps).toBe(10);
  });

  it('refuses a start model that does not fit, or falls back to scratch saying so when asked to', async () => {
    const bad = { ...startModel(), weights: new Float32Array(5) };
    const start = { kind: 'model' as const, name: 'bad.continuo', contents: bad };
    await expect(planTraining(request({ start }))).rejects.toThrow(TrainingRequestError);
    await expect(planTraining(request({ start }))).rejects.toThrow(
      /^bad\.continuo cannot be trained further: the start weights hold 5 numbers/,
    );
    const { plan } = await planTraining(request({ start, fallBackToScratch: true }));
    expect(plan.start.kind).toBe('scratch');
    expect(plan.warnings[0]).toMatch(
      /^bad\.continuo cannot be the start: .*; training from scratch instead$/,
    );
  });
});

describe('engine/train/pipeline: budgets and early stopping', () => {
  it('trains exactly the step budget when no time budget is given', async () => {
    const r = await runTraining(request({ steps: 5, patience: 0 }), { now: fakeClock() });
    expect(r.stoppedBy).toBe('steps');
    expect(r.step).toBe(5);
  });

  it('stops at the time budget, measured on its clock, before the step budget', async () => {
    // every clock reading is 10 ms later, so a step is several tens of ms: a 0.5 s budget ends early
    const r = await runTraining(request({ steps: 1000, seconds: 0.5, patience: 0 }), { now: fakeClock() });
    expect(r.stoppedBy).toBe('time');
    expect(r.step).toBeGreaterThan(1);
    expect(r.step).toBeLessThan(1000);
  });

  it('by default fine-tunes a few dozen files with the quick preset and a hundred or more with standard', async () => {
    const start = { kind: 'model' as const, name: 'm', contents: startModel() };
    const many = Array.from({ length: 100 }, (_, i) => ({ ...tiny[i % tiny.length], file: `tune${i}.mid` }));
    const few = await planTraining(request({ start, pieces: many.slice(0, 99) }));
    const lots = await planTraining(request({ start, pieces: many }));
    expect([few.plan.preset, lots.plan.preset]).toEqual(['quick', 'standard']);
    const fromScratch = await planTraining(request({ pieces: many.slice(0, 30) }));
    expect(fromScratch.plan.preset).toBe('standard');
  });

  it('sizes the step budget from a timed probe to fit the preset time, and says so', async () => {
    const { plan } = await planTraining(request({ steps: undefined, seconds: 2, probe: true }), fakeClock());
    expect(plan.estimate!.secondsPerStep).toBeGreaterThan(0);
    // the steps and their validations fill 90 % of the time budget, to within one step
    expect(plan.steps).toBeLessThanOrEqual(Math.floor((0.9 * 2) / plan.estimate!.secondsPerStep));
    expect(plan.estimate!.seconds).toBeLessThanOrEqual(1.8 + 1e-9);
    expect(plan.estimate!.seconds).toBeGreaterThan(1.5);
    expect(plan.notes).toContainEqual(
      expect.stringMatching(/^budget: \d+ steps \([\d.]+ passes over the training tunes\), at most 2 s$/),
    );
  });

  it('early stopping does not count validations until the best beats the floor, then stops after `patience`', async () => {
    // A learning rate far below float32 resolution: validation never improves after the first.
    const frozen = { config: tinyConfig({ learningRate: 1e-30 }), steps: 20, validateEvery: 2, patience: 2 };
    const never = await runTraining(request(frozen), { now: fakeClock() });
    // random weights of 7 tunes never get below the note-frequency baseline: the whole budget is used
    expect(never.history[0].bitsPerNote).toBeGreaterThan(never.plan.floorBitsPerNote!);
    expect(never.stoppedBy).toBe('steps');
    expect(never.history).toHaveLength(10);
    const beaten = await train({
      config: frozen.config,
      train: tinyCorpus().train,
      validation: tinyCorpus().validation,
      seed: 1,
      steps: 20,
      validateEvery: 2,
      patience: 2,
      floorBitsPerNote: 1000,
      now: fakeClock(),
    });
    expect(beaten.stoppedBy).toBe('early-stop');
    expect(beaten.history.map((h) => h.step)).toEqual([2, 4, 6]);
  });

  it('the floor is the note-frequency baseline of the training tunes, scored on the validation tunes', async () => {
    const { plan, train: t, validation: v } = await planTraining(request());
    expect(plan.floorBitsPerNote).toBe(
      noteFrequencyBitsPerNote(
        t.map((p) => p.melody),
        v.map((p) => p.melody),
      ),
    );
    expect(plan.floorBitsPerNote).toBeGreaterThan(4);
  });
});

describe('engine/train/pipeline: validation on small collections', () => {
  it('holds out whole files down to two of a small collection', async () => {
    const pieces = [...tiny, reel, waltz].slice(0, 5);
    const { plan } = await planTraining(request({ pieces }));
    expect(plan.validationFiles.length).toBeGreaterThanOrEqual(2);
    expect(plan.trainFiles.length + plan.validationFiles.length).toBe(5);
    expect(plan.validationFiles.every((f) => pieces.some((p) => p.file === f))).toBe(true);
  });

  it('with three files holds out one', async () => {
    const { plan } = await planTraining(request({ pieces: tiny.slice(0, 3) }));
    expect(plan.validation).toBe('topped-up');
    expect(plan.validationFiles).toHaveLength(1);
    expect(plan.notes).toContainEqual(expect.stringMatching(/^validation on 1 held-out whole files of 3 /));
  });

  it('with one file trains on the first three quarters of it and validates on the last quarter, cut at a bar line', async () => {
    const { plan, train, validation } = await planTraining(request({ pieces: [reel] }));
    expect(plan.validation).toBe('piece-ends');
    expect(plan.validationFiles).toEqual(['nottingham-reelsa-c29.mid (last quarter)']);
    expect(plan.notes).toContainEqual(
      '1 file cannot spare a whole one: training on the first three quarters of each piece, validating on the last quarter',
    );
    expect(train[0].melody.notes.length + validation[0].melody.notes.length).toBe(reel.melody.notes.length);
    const cut = splitPieceEnd(reel.melody)!;
    const bar = barSteps(reel.melody.timeSignature);
    const head = cut.head.notes[cut.head.notes.length - 1];
    expect(
      (head.start + head.duration) % bar === 0 || head.start + head.duration < cut.tail.notes[0].start + bar,
    ).toBe(true);
    expect(cut.tail.notes[0].start).toBeGreaterThanOrEqual(0);
    expect(cut.tail.notes[0].start).toBeLessThan(bar * 2);
  });

  it('keeps the in-piece memory of the start model and says so when nothing can be held out', async () => {
    const contents = startModel();
    contents.header.extra = { ...contents.header.extra, memory: { order: 16, method: 'arithmetic', b: 0.5 } };
    // the first three bars of a real tune: too short to cut, so no validation at all
    const whole = read(path.join(fixturesDir, 'nottingham-ashover1.mid'));
    const bars = 3 * barSteps(whole.melody.timeSignature);
    const short = {
      file: whole.file,
      melody: { ...whole.melody, notes: whole.melody.notes.filter((n) => n.start + n.duration <= bars) },
    };
    expect(splitPieceEnd(short.melody)).toBeNull();
    const lines: string[] = [];
    const r = await runTraining(
      request({ pieces: [short], start: { kind: 'model', name: 'm', contents }, steps: 2 }),
      {
        onEvent: (e) => e.type === 'finishing' && lines.push(e.line),
        now: fakeClock(),
      },
    );
    expect(r.plan.validation).toBe('none');
    expect(r.model.header.extra?.memory).toEqual({ order: 16, method: 'arithmetic', b: 0.5 });
    expect(lines).toContain("in-piece memory: no validation tunes to tune it on; kept the start model's");
  });
});

describe('engine/train/pipeline: warnings', () => {
  it('warns in words about few files, few notes, one time signature and pitches outside the start range', () => {
    const pieces = [tiny[0], tiny[3]]; // ashover2 and ashover4, both 2/2
    const w = dataWarnings(dataStats(pieces), pieces, { min: 70, max: 76 });
    expect(w).toEqual([
      'only 2 files: the model can pick up the surface of the style, not much more; 30 files help, a few hundred are better',
      'only 563 notes in all: expect the model to copy phrases of these pieces',
      'every piece is in 2/2: the model will learn no other time signature from them',
      '2 of 2 pieces have more than a tenth of their notes outside MIDI 70–76, the range the start model learned (these pieces: 62–83); it knows little of those pitches yet',
    ]);
  });

  it('says nothing of the metre or range when the pieces vary and fit', () => {
    const w = dataWarnings(dataStats(tiny), tiny, { min: 40, max: 100 });
    expect(w.some((x) => /time signature|range/.test(x))).toBe(false);
  });
});

describe('engine/train/pipeline: progress, pause, abort and weights', () => {
  it('reports the plan first, then steps with loss in bits/note, validations and the finishing steps, all plain data', async () => {
    const events: PipelineEvent[] = [];
    await runTraining(request({ steps: 4, validateEvery: 2 }), {
      onEvent: (e) => events.push(e),
      now: fakeClock(),
    });
    expect(events[0].type).toBe('plan');
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
    for (const s of steps) if (s.type === 'step') expect(s.bitsPerNote).toBeGreaterThan(s.loss);
    expect(events.filter((e) => e.type === 'validation').map((e) => e.step)).toEqual([2, 4]);
    expect(events.at(-1)?.type).toBe('finishing');
    expect(structuredClone(events)).toEqual(events);
  });

  it('stops at the next step when aborted, hands over a checkpoint with a usable model, and skips the finishing', async () => {
    const abort = new AbortController();
    const saved: { step: number; model: ModelContents }[] = [];
    const r = await runTraining(request({ steps: 50 }), {
      signal: abort.signal,
      now: fakeClock(),
      onEvent: (e) => e.type === 'step' && e.step === 3 && abort.abort(),
      saveCheckpoint: (snapshot, model) => {
        saved.push({ step: snapshot.state.step, model });
      },
    });
    expect(r.stoppedBy).toBe('abort');
    expect(r.step).toBe(3);
    expect(saved.at(-1)!.step).toBe(3);
    expect(startModelProblem(saved.at(-1)!.model)).toBeNull();
    expect(r.model.header.extra?.memorisation).toBeUndefined();
  });

  it('waits while paused (time paused not counted), and gives the current weights to read while it learns', async () => {
    const gate = new PauseGate();
    gate.pause();
    let access: WeightAccess | null = null;
    let clock = 0;
    const now = () => (clock += 10);
    const run = runTraining(request({ steps: 3, seconds: 100 }), {
      now,
      pause: gate.wait,
      onWeights: (a) => (access = a),
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(gate.paused).toBe(true);
    expect(access!.step()).toBe(0); // held before the first step
    const before = access!.current();
    clock += 1e9; // a long pause: not taken from the time budget
    gate.resume();
    const r = await run;
    expect(r.stoppedBy).toBe('steps');
    expect(access!.step()).toBe(3);
    expect(access!.current()).not.toEqual(before);
    expect(r.elapsedSec).toBeLessThan(100);
  });
});

describe('engine/train/pipeline: what the model file records of the data', () => {
  it("names the validation files by their base names, never the user's folders", async () => {
    const pieces = tiny.map((p) => ({ ...p, file: `/home/someone/Music/private/${p.file}` }));
    const r = await runTraining(request({ pieces, steps: 2, validateEvery: 1 }), { now: fakeClock() });
    const names = r.model.header.training.validationFileNames as string[];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).not.toMatch(/[\\/]/);
    expect(names.every((name) => tiny.some((p) => p.file === name))).toBe(true);
  });
});
