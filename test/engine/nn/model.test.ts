import { describe, expect, it } from 'vitest';
import {
  createNetwork,
  createStream,
  initParams,
  paramCount,
  paramLayout,
  paramViews,
  presetConfig,
  PRESET_NAMES,
  type Batch,
} from '../../../engine/nn/index.js';
import { randomBatch, randomState, relMaxDiff, smallConfig } from './helpers.js';

describe('configs and parameters', () => {
  it('the reference preset is exactly the PyTorch workload', () => {
    const c = presetConfig('reference');
    expect([
      c.vocabSize,
      c.embedSize,
      c.hiddenSize,
      c.layers,
      c.seqLen,
      c.batchSize,
      c.extraVocabSize,
    ]).toEqual([130, 64, 256, 2, 64, 32, 0]);
    // nn.Embedding + 2-layer nn.LSTM (two biases there, one here) + nn.Linear
    expect(paramCount(c)).toBe(
      130 * 64 + (64 * 1024 + 256 * 1024 + 1024) + (256 * 1024 + 256 * 1024 + 1024) + 256 * 130 + 130,
    );
  });

  it('every preset is valid and a second input adds its embedding table', () => {
    for (const name of PRESET_NAMES) {
      const with2 = presetConfig(name, 100, 16);
      expect(paramLayout(with2).map((t) => t.name)).toContain('extraEmbed');
      expect(paramCount(with2)).toBeGreaterThan(paramCount(presetConfig(name, 100)));
    }
  });

  it('rejects a bad config with a message naming the field', () => {
    expect(() => createNetwork({ ...smallConfig(), hiddenSize: 0 })).toThrow(
      'model config: hiddenSize must be a positive integer, got 0',
    );
    expect(() => createNetwork({ ...smallConfig(), dropout: 1 })).toThrow(
      'model config: dropout must be in [0, 1), got 1',
    );
    expect(() => createNetwork({ ...smallConfig(), extraEmbedSize: 0 })).toThrow(
      'extraVocabSize and extraEmbedSize must both be 0 or both be positive',
    );
  });

  it('named views cover the flat array exactly once, in layout order', () => {
    const c = smallConfig();
    const p = initParams(c, 1);
    const v = paramViews(c, p);
    const views = [v.embed, v.extraEmbed!, ...v.layers.flatMap((l) => [l.wx, l.wh, l.b]), v.outW, v.outB];
    expect(views.reduce((n, a) => n + a.length, 0)).toBe(p.length);
    expect(views.map((a) => a.byteOffset / 4)).toEqual(paramLayout(c).map((t) => t.offset));
    expect(views.every((a) => a.buffer === p.buffer)).toBe(true);
  });

  it('initialisation is reproducible from the seed and differs between seeds', () => {
    const c = presetConfig('quick', 50, 8);
    expect(initParams(c, 7)).toEqual(initParams(c, 7));
    expect(initParams(c, 7)).not.toEqual(initParams(c, 8));
    const b = paramViews(c, initParams(c, 7)).layers[0]!.b;
    expect(Array.from(b.subarray(c.hiddenSize, 2 * c.hiddenSize)).every((x) => x === 1)).toBe(true);
  });
});

describe('reference network behaviour', () => {
  const c = smallConfig({ dropout: 0 });
  const params = initParams(c, 3);

  it('carrying state across two windows equals one long window', () => {
    const net = createNetwork(c, 'reference');
    const long = randomBatch(c, 2, 8, 4);
    const half = (from: number): Batch => {
      const pick = (a: ArrayLike<number>) =>
        Int32Array.from({ length: 8 }, (_, i) => a[Math.floor(i / 4) * 8 + from + (i % 4)]!);
      return {
        batchSize: 2,
        seqLen: 4,
        tokens: pick(long.tokens),
        targets: pick(long.targets),
        extras: pick(long.extras!),
      };
    };
    const state0 = randomState(c, 2, 1);
    const whole = net.evaluate(params, long, state0);
    const a = net.evaluate(params, half(0), state0);
    const b = net.evaluate(params, half(4), a.state);
    expect(a.count + b.count).toBe(whole.count);
    expect(a.lossSum + b.lossSum).toBeCloseTo(whole.lossSum, 5);
    expect(relMaxDiff(b.state.h, whole.state.h)).toBeLessThan(1e-6);
  });

  it('dropout changes the training loss only through its seed', () => {
    const cd = smallConfig({ dropout: 0.5 });
    const p = initParams(cd, 3);
    const net = createNetwork(cd, 'reference');
    const batch = randomBatch(cd, 2, 4, 1);
    const g = new Float32Array(p.length);
    const l1 = net.trainStep(p, batch, null, g, { dropoutSeed: 1 }).loss;
    expect(net.trainStep(p, batch, null, g, { dropoutSeed: 1 }).loss).toBe(l1);
    expect(net.trainStep(p, batch, null, g, { dropoutSeed: 2 }).loss).not.toBe(l1);
  });

  it('rejects a token outside the vocabulary with a one-line message', () => {
    const net = createNetwork(c, 'reference');
    const batch = randomBatch(c, 1, 2, 1);
    (batch.tokens as Int32Array)[1] = 7;
    expect(() => net.evaluate(params, batch, null)).toThrow(
      'batch: token 7 at index 1 is outside the vocabulary 0..6',
    );
  });

  it('a stream fed token by token gives the logits of the batch forward at every step', () => {
    const net = createNetwork(c, 'reference');
    const batch = randomBatch(c, 2, 6, 8);
    const logits = new Float32Array(2 * 6 * c.vocabSize);
    net.evaluate(params, batch, null, logits);
    const stream = createStream(c, params, 2, 'reference');
    for (let t = 0; t < 6; t++) {
      const out = stream.step(
        [batch.tokens[t]!, batch.tokens[6 + t]!],
        [batch.extras![t]!, batch.extras![6 + t]!],
      );
      for (let b = 0; b < 2; b++) {
        const want = logits.subarray((b * 6 + t) * c.vocabSize, (b * 6 + t + 1) * c.vocabSize);
        expect(relMaxDiff(out.subarray(b * c.vocabSize, (b + 1) * c.vocabSize), want)).toBeLessThan(1e-6);
      }
    }
  });
});

describe('both backends', () => {
  it.each(['reference', 'wasm-simd'] as const)(
    'refuses (%s backend) a logits array that is not B·T·V long, with a one-line message',
    (backend) => {
      const c = smallConfig({ dropout: 0 });
      const net = createNetwork(c, backend);
      expect(() =>
        net.evaluate(initParams(c, 3), randomBatch(c, 2, 3, 1), null, new Float32Array(41)),
      ).toThrow('evaluate: logits must have B·T·V = 42 entries, got 41');
    },
  );
});
