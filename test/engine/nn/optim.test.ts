import { describe, expect, it } from 'vitest';
import { Adam, clipGradNorm } from '../../../engine/nn/index.js';

describe('Adam', () => {
  it('takes the bias-corrected first step: each weight moves by lr against the sign of its gradient', () => {
    const params = new Float32Array([1, -2, 0.5]);
    const adam = new Adam(3, { learningRate: 0.1 });
    adam.step(params, new Float32Array([0.3, -4, 0]));
    // m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps); a zero gradient does not move.
    expect(Array.from(params)).toEqual([Math.fround(1 - 0.1), Math.fround(-2 + 0.1), 0.5]);
  });

  it('matches a hand-computed second step', () => {
    const params = new Float32Array([1]);
    const adam = new Adam(1, { learningRate: 0.01 });
    adam.step(params, new Float32Array([2]));
    adam.step(params, new Float32Array([-1]));
    // Step 2: m = 0.9·0.2 + 0.1·(−1) = 0.08; v = 0.999·0.004 + 0.001·1 = 0.004996;
    // m̂ = 0.08/0.19 = 0.421053; v̂ = 0.004996/0.001999 = 2.499250; Δ = −0.01·0.421053/1.580902 = −0.00266337.
    const afterFirst = Math.fround(1 - 0.01);
    expect(params[0]).toBeCloseTo(afterFirst - 0.00266337, 6);
    expect(adam.state.step).toBe(2);
  });

  it('rejects arrays of the wrong length with a one-line message', () => {
    const adam = new Adam(3, { learningRate: 0.1 });
    expect(() => adam.step(new Float32Array(2), new Float32Array(2))).toThrow(
      'adam: expected 3 params and grads, got 2 and 2',
    );
  });
});

describe('clipGradNorm', () => {
  it('returns the global norm and rescales to the threshold when above it', () => {
    const g = new Float32Array([3, 4, 0, 0]);
    expect(clipGradNorm(g, 1)).toBeCloseTo(5, 6);
    expect(Array.from(g).map((x) => Number(x.toFixed(5)))).toEqual([0.6, 0.8, 0, 0]);
  });

  it('leaves gradients below the threshold untouched', () => {
    const g = new Float32Array([0.3, 0.4]);
    expect(clipGradNorm(g, 1)).toBeCloseTo(0.5, 6);
    expect(Array.from(g)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('does not clip when the threshold is 0, and reports a non-finite norm without touching the gradients', () => {
    const g = new Float32Array([30, 40]);
    expect(clipGradNorm(g, 0)).toBeCloseTo(50, 4);
    expect(Array.from(g)).toEqual([30, 40]);
    const bad = new Float32Array([NaN, 1]);
    expect(clipGradNorm(bad, 1)).toBeNaN();
    expect(bad[1]).toBe(1);
  });
});
