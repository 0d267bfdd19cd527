import { describe, expect, it } from 'vitest';
import {
  createNetwork,
  createStream,
  initParams,
  kernelsAvailable,
  kernelVariant,
  paramLayout,
  type ModelConfig,
} from '../../../engine/nn/index.js';
import { randomBatch, randomState, relMaxDiff, smallConfig } from './helpers.js';

// Shapes chosen to hit every edge of the kernels: sizes that are not multiples of 4 or 8, one row,
// more rows than a GEMM block (64), K longer than a K block (256), and the full-size reference layer.
const shapes: { name: string; config: ModelConfig; B: number; T: number }[] = [
  { name: 'tiny odd sizes, second input, dropout', config: smallConfig(), B: 3, T: 5 },
  {
    name: 'H = 13, V = 37, one layer, no second input',
    config: smallConfig({
      hiddenSize: 13,
      vocabSize: 37,
      embedSize: 9,
      extraVocabSize: 0,
      extraEmbedSize: 0,
      layers: 1,
      dropout: 0,
    }),
    B: 5,
    T: 7,
  },
  {
    name: 'H = 20, two layers without dropout',
    config: smallConfig({ hiddenSize: 20, vocabSize: 11, dropout: 0 }),
    B: 6,
    T: 5,
  },
  {
    name: 'H = 24, three layers, batch 1',
    config: smallConfig({ hiddenSize: 24, vocabSize: 19, embedSize: 6, layers: 3, dropout: 0.3 }),
    B: 1,
    T: 9,
  },
  {
    name: 'H = 36, batch 17 × 20 steps (340 rows > one block, K > 256 for dW)',
    config: smallConfig({
      hiddenSize: 36,
      vocabSize: 130,
      embedSize: 16,
      extraVocabSize: 16,
      extraEmbedSize: 8,
      dropout: 0.2,
    }),
    B: 17,
    T: 20,
  },
];

/** The kernel tests, run once per build (see wasm-kernels.test.ts and wasm-kernels-relaxed.test.ts). */
export function kernelTests(variant: 'simd' | 'relaxed') {
  describe(`WebAssembly SIMD kernels (${variant} build) against the reference`, () => {
    it('load in this runtime', () => {
      expect(kernelsAvailable()).toBe(true);
      expect(kernelVariant()).toBe(variant);
      expect(createNetwork(smallConfig()).backend).toBe('wasm-simd');
    });

    for (const { name, config, B, T } of shapes) {
      it(`forward: same logits, loss and state out (${name})`, () => {
        const params = initParams(config, 21);
        const batch = randomBatch(config, B, T, 2);
        const state = randomState(config, B, 3);
        const want = new Float32Array(B * T * config.vocabSize),
          got = new Float32Array(want.length);
        const r = createNetwork(config, 'reference').evaluate(params, batch, state, want);
        const w = createNetwork(config, 'wasm-simd').evaluate(params, batch, state, got);
        expect(relMaxDiff(got, want)).toBeLessThan(2e-5);
        expect(w.count).toBe(r.count);
        expect(w.lossSum / w.count).toBeCloseTo(r.lossSum / r.count, 4);
        expect(relMaxDiff(w.state.h, r.state.h)).toBeLessThan(2e-5);
        expect(relMaxDiff(w.state.c, r.state.c)).toBeLessThan(2e-5);
      });

      it(`backward: same gradient for every parameter tensor (${name})`, () => {
        const params = initParams(config, 22);
        const batch = randomBatch(config, B, T, 4);
        const state = randomState(config, B, 5);
        const want = new Float64Array(params.length),
          got = new Float32Array(params.length);
        const r = createNetwork(config, 'reference').trainStep(params, batch, state, want, {
          dropoutSeed: 9,
        });
        const w = createNetwork(config, 'wasm-simd').trainStep(params, batch, state, got, { dropoutSeed: 9 });
        expect(w.loss).toBeCloseTo(r.loss, 4);
        for (const t of paramLayout(config)) {
          const err = relMaxDiff(
            got.subarray(t.offset, t.offset + t.size),
            want.subarray(t.offset, t.offset + t.size),
          );
          expect(err, t.name).toBeLessThan(1e-4);
        }
      });
    }

    it('one network handles batches of different shapes in turn', () => {
      const config = smallConfig({ dropout: 0 });
      const params = initParams(config, 1);
      const net = createNetwork(config, 'wasm-simd');
      const ref = createNetwork(config, 'reference');
      for (const [B, T] of [
        [4, 6],
        [2, 3],
        [4, 6],
      ] as const) {
        const batch = randomBatch(config, B, T, B * 10 + T);
        expect(net.evaluate(params, batch, null).lossSum).toBeCloseTo(
          ref.evaluate(params, batch, null).lossSum,
          3,
        );
      }
    });

    it('a stream gives the logits of the batch forward at every step, and resumes from a saved state', () => {
      const config = smallConfig({ hiddenSize: 20, vocabSize: 23, dropout: 0 });
      const params = initParams(config, 6);
      const batch = randomBatch(config, 3, 8, 7);
      const want = new Float32Array(3 * 8 * config.vocabSize);
      createNetwork(config, 'reference').evaluate(params, batch, null, want);
      const stream = createStream(config, params, 3, 'wasm-simd');
      const V = config.vocabSize;
      let saved = stream.getState();
      for (let t = 0; t < 8; t++) {
        if (t === 4) saved = stream.getState();
        const out = stream.step(
          [0, 1, 2].map((b) => batch.tokens[b * 8 + t]!),
          [0, 1, 2].map((b) => batch.extras![b * 8 + t]!),
        );
        for (let b = 0; b < 3; b++)
          expect(
            relMaxDiff(out.subarray(b * V, (b + 1) * V), want.subarray((b * 8 + t) * V, (b * 8 + t + 1) * V)),
          ).toBeLessThan(2e-5);
      }
      stream.setState(saved);
      const again = stream.step(
        [0, 1, 2].map((b) => batch.tokens[b * 8 + 4]!),
        [0, 1, 2].map((b) => batch.extras![b * 8 + 4]!),
      );
      expect(relMaxDiff(again.subarray(0, V), want.subarray(4 * V, 5 * V))).toBeLessThan(2e-5);
      stream.reset();
      expect(stream.getState().h.every((x) => x === 0)).toBe(true);
    });
  });
}
