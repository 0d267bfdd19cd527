import { afterAll, describe, expect, it } from 'vitest';
import {
  createNetwork,
  disableThreads,
  enableThreads,
  initParams,
  presetConfig,
  threadsEnabled,
} from '../../../engine/nn/index.js';
import type { WasmNetwork } from '../../../engine/nn/wasm-backend.js';
import { builtGemmHelper, randomBatch, randomState } from './helpers.js';

describe('GEMMs on helper threads', () => {
  afterAll(() => disableThreads());
  const helperScript = builtGemmHelper();

  const config = { ...presetConfig('standard', 50, 8), hiddenSize: 96 };
  const params = initParams(config, 2);
  const batch = randomBatch(config, 8, 12, 3);
  const state = randomState(config, 8, 4);
  const single = createNetwork(config, 'wasm-simd') as WasmNetwork;
  const g1 = new Float32Array(params.length);
  const r1 = single.trainStep(params, batch, state, g1, { dropoutSeed: 5 });

  for (const threads of [2, 3]) {
    it(`give exactly the single-thread results on ${threads} threads (same sums, split by output column)`, async () => {
      expect(single.threads).toBe(1);
      const status = await enableThreads({ force: true, threads, helperScript });
      expect(status.enabled).toBe(true);
      expect(status.threads).toBe(threads);
      expect(status.measured.map((m) => m.threads)).toEqual(threads === 2 ? [2] : [2, 3]);
      const split = createNetwork(config, 'wasm-simd') as WasmNetwork;
      expect(split.threads).toBe(threads);
      const g2 = new Float32Array(params.length);
      const r2 = split.trainStep(params, batch, state, g2, { dropoutSeed: 5 });
      expect(r2.lossSum).toBe(r1.lossSum);
      expect(g2).toEqual(g1);
      expect(r2.state.h).toEqual(r1.state.h);
      split.dispose();
      await disableThreads();
    });
  }

  it('stop when disabled: networks created afterwards run on one thread', async () => {
    await disableThreads();
    expect(threadsEnabled()).toBe(false);
    expect((createNetwork(presetConfig('quick'), 'wasm-simd') as WasmNetwork).threads).toBe(1);
  });

  it('say why they stay off when one thread is asked for', async () => {
    const status = await enableThreads({ threads: 1, helperScript });
    expect(status).toMatchObject({
      enabled: false,
      threads: 1,
      reason: 'one thread requested or one core here',
    });
    expect(threadsEnabled()).toBe(false);
  });

  it('say why they stay off when a helper thread cannot start', async () => {
    const status = await enableThreads({ force: true, threads: 2, helperScript: '/nowhere/gemm-helper.js' });
    expect(status.enabled).toBe(false);
    expect(status.reason).toMatch(/^a helper thread could not start: .*gemm-helper\.js/);
    expect(threadsEnabled()).toBe(false);
  });
});
