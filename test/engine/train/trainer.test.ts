import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../../engine/train/checkpoint.js';
import { lstmSequence } from '../../../engine/model/encoding.js';
import { LstmTokenModel } from '../../../engine/model/lstm-model.js';
import { createNetwork } from '../../../engine/nn/index.js';
import { countNotes } from '../../../engine/tokens/index.js';
import {
  lstmBitsPerNote,
  train,
  type TrainerSnapshot,
  type TrainingSetup,
} from '../../../engine/train/trainer.js';
import { tinyConfig, tinyCorpus } from './tiny-corpus.js';

const corpus = tinyCorpus();

/** A fake clock: 10 ms per reading, so rates are finite and nothing depends on the machine's speed. */
function fakeClock(): () => number {
  let t = 0;
  return () => (t += 10);
}

function setup(overrides: Partial<TrainingSetup> = {}): TrainingSetup {
  return {
    config: tinyConfig({ dropout: 0.1 }),
    train: corpus.train,
    validation: corpus.validation,
    seed: 5,
    steps: 150,
    validateEvery: 2,
    maxTranspose: 4,
    now: fakeClock(),
    ...overrides,
  };
}

/** Trains until `steps` steps are done, then aborts; returns the result and every checkpoint written. */
async function trainSteps(steps: number, overrides: Partial<TrainingSetup> = {}) {
  const abort = new AbortController();
  const checkpoints: { step: number; bytes: Uint8Array }[] = [];
  const result = await train(
    setup({
      signal: abort.signal,
      callbacks: { onStep: (r) => r.step >= steps && abort.abort() },
      saveCheckpoint: (snapshot) => {
        checkpoints.push({ step: snapshot.state.step, bytes: encodeCheckpoint(snapshot) });
      },
      ...overrides,
    }),
  );
  return { result, checkpoints };
}

describe('engine/train: training loop', () => {
  it('resumed from a checkpoint after k steps, reaches bit-identical weights and optimizer state to an uninterrupted run', async () => {
    const whole = await trainSteps(7);
    const first = await trainSteps(3);
    const ckpt = first.checkpoints[first.checkpoints.length - 1];
    expect(ckpt.step).toBe(3);
    const resume = decodeCheckpoint<TrainerSnapshot['state']>(ckpt.bytes, 'test.ckpt') as TrainerSnapshot;
    const rest = await trainSteps(7, { resume });
    expect(whole.result.step).toBe(7);
    expect(rest.result.step).toBe(7);
    for (const name of ['params', 'bestParams', 'adamM', 'adamV', 'carriedH', 'carriedC']) {
      const a = whole.result.snapshot.blobs.get(name)!;
      const b = rest.result.snapshot.blobs.get(name)!;
      expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer)), name).toBe(true);
    }
    expect(rest.result.snapshot.state.adamStep).toBe(7);
    expect(rest.result.history).toEqual(whole.result.history);
  });

  it('reports step, epoch, loss, gradient norm, tokens/s and ETA through onStep, and validation bits/note through onValidation', async () => {
    const steps: {
      step: number;
      loss: number;
      gradNorm: number;
      tokensPerSec: number;
      etaSec: number;
      epoch: number;
    }[] = [];
    const validations: { step: number; bitsPerNote: number }[] = [];
    const abort = new AbortController();
    await train(
      setup({
        signal: abort.signal,
        callbacks: {
          onStep: (r) => {
            steps.push(r);
            if (r.step >= 4) abort.abort();
          },
          onValidation: (v) => validations.push(v),
        },
      }),
    );
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
    for (const s of steps) {
      expect(s.loss).toBeGreaterThan(0);
      expect(s.gradNorm).toBeGreaterThan(0);
      expect(s.epoch).toBeGreaterThan(0);
    }
    expect(steps[3].tokensPerSec).toBeGreaterThan(0);
    expect(steps[3].etaSec).toBeGreaterThan(0);
    expect(validations.map((v) => v.step)).toEqual([2, 4]);
    expect(validations[0].bitsPerNote).toBeGreaterThan(1);
  });

  it('lowers validation bits/note on the tiny corpus within a few dozen steps', async () => {
    const r = await train(
      setup({ steps: 18, validateEvery: 8, config: tinyConfig({ dropout: 0, learningRate: 1e-2 }) }),
    );
    expect(r.stoppedBy).toBe('steps');
    expect(r.history.length).toBeGreaterThan(2);
    expect(r.bestBitsPerNote!).toBeLessThan(r.history[0].bitsPerNote);
  });

  it('stops early after `patience` validations without a new best, and keeps the best weights', async () => {
    // A learning rate far below float32 resolution leaves the weights unchanged, so validation never improves.
    const r = await train(setup({ patience: 2, config: tinyConfig({ learningRate: 1e-30 }) }));
    expect(r.stoppedBy).toBe('early-stop');
    expect(r.history.map((h) => h.step)).toEqual([2, 4, 6]);
    expect(r.bestStep).toBe(2);
  });

  it('stops at the next step boundary when its AbortSignal fires and saves a checkpoint of that step', async () => {
    const { result, checkpoints } = await trainSteps(1, { validateEvery: 1000, checkpointEveryMs: 1e12 });
    expect(result.stoppedBy).toBe('abort');
    expect(result.step).toBe(1);
    expect(checkpoints.map((c) => c.step)).toEqual([1]);
  });

  it('writes a checkpoint when the wall-clock interval has passed, not only at validations', async () => {
    // the fake clock advances 10 ms per reading: an interval of 50 ms passes every few steps
    const { checkpoints } = await trainSteps(12, { validateEvery: 1000, checkpointEveryMs: 50 });
    expect(checkpoints.length).toBeGreaterThan(2);
  });

  it('measures the same validation bits/note as the LSTM token model reading each piece token by token', async () => {
    const { result } = await trainSteps(3, { config: tinyConfig({ dropout: 0 }) });
    const config = tinyConfig({ dropout: 0 });
    const params = result.currentParams;
    const pieces = corpus.validation.map(lstmSequence);
    const notes = pieces.reduce((n, p) => n + countNotes(p.tokens.subarray(1)), 0);
    const batched = lstmBitsPerNote(createNetwork(config), params, pieces, notes, 2, 16);
    const model = new LstmTokenModel(config, params);
    let bits = 0;
    for (const m of corpus.validation) {
      const stream = model.begin({ timeSignature: m.timeSignature });
      for (const t of lstmSequence(m).tokens.subarray(1)) {
        bits -= Math.log2(stream.probabilities()[t]);
        stream.advance(t);
      }
    }
    expect(batched).toBeCloseTo(bits / notes, 4);
  });

  it('gives each piece stream of the LSTM token model its own state: interleaved streams and clones read as if alone', async () => {
    const { result } = await trainSteps(2, { config: tinyConfig({ dropout: 0 }) });
    const config = tinyConfig({ dropout: 0 });
    const [a, b] = corpus.train.map((m) => ({
      ts: m.timeSignature,
      tokens: Array.from(lstmSequence(m).tokens.subarray(1, 40)),
    }));
    const alone = (piece: typeof a) => {
      const s = new LstmTokenModel(config, result.currentParams).begin({ timeSignature: piece.ts });
      return piece.tokens.map((t) => {
        const p = Array.from(s.probabilities());
        s.advance(t);
        return p;
      });
    };
    const model = new LstmTokenModel(config, result.currentParams);
    const sa = model.begin({ timeSignature: a.ts });
    const sb = model.begin({ timeSignature: b.ts });
    const got: { a: number[][]; b: number[][]; clone: number[][] } = { a: [], b: [], clone: [] };
    let clone: ReturnType<typeof sa.clone> | null = null;
    for (let i = 0; i < a.tokens.length; i++) {
      if (i === 20) clone = sa.clone();
      got.a.push(Array.from(sa.probabilities()));
      sa.advance(a.tokens[i]);
      got.b.push(Array.from(sb.probabilities()));
      sb.advance(b.tokens[i]);
      if (clone) {
        got.clone.push(Array.from(clone.probabilities()));
        clone.advance(a.tokens[i]);
      }
    }
    const expectedA = alone(a);
    expect(got.a).toEqual(expectedA);
    expect(got.b).toEqual(alone(b));
    expect(got.clone).toEqual(expectedA.slice(20));
  });

  it('refuses a checkpoint made with another model configuration, in one line', async () => {
    const { checkpoints } = await trainSteps(1);
    const resume = decodeCheckpoint(checkpoints[0].bytes, 'x.ckpt') as TrainerSnapshot;
    await expect(train(setup({ resume, config: tinyConfig({ hiddenSize: 13 }) }))).rejects.toThrow(
      /^checkpoint was trained with a different model configuration$/,
    );
  });
});

describe('engine/train: checkpoint file', () => {
  it('round-trips state and float arrays exactly', () => {
    const blobs = new Map([['w', new Float32Array([1.5, -2, Math.PI, 1e-30])]]);
    const bytes = encodeCheckpoint({ state: { step: 3, nested: [1, 2] }, blobs });
    const back = decodeCheckpoint<{ step: number }>(bytes, 'a.ckpt');
    expect(back.state).toEqual({ step: 3, nested: [1, 2] });
    expect(Array.from(back.blobs.get('w')!)).toEqual(Array.from(blobs.get('w')!));
  });

  it('rejects a damaged, truncated or foreign file with one line naming it', () => {
    const bytes = encodeCheckpoint({ state: { step: 1 }, blobs: new Map([['w', new Float32Array(8)]]) });
    const flipped = bytes.slice();
    flipped[30] ^= 0xff;
    expect(() => decodeCheckpoint(flipped, 'm.ckpt')).toThrow(
      'm.ckpt: checkpoint is damaged (checksum mismatch)',
    );
    expect(() => decodeCheckpoint(bytes.subarray(0, 10), 'm.ckpt')).toThrow(
      'm.ckpt: not a Continuo training checkpoint (file too short)',
    );
    expect(() => decodeCheckpoint(new TextEncoder().encode('MThd and more bytes here'), 'm.ckpt')).toThrow(
      'm.ckpt: not a Continuo training checkpoint',
    );
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8), 'm.ckpt')).toThrow(
      /^m\.ckpt: checkpoint is/,
    );
  });
});
