import { describe, expect, it } from 'vitest';
import { createNetwork, initParams, paramLayout, type ModelConfig } from '../../../engine/nn/index.js';
import { randomBatch, randomState, smallConfig } from './helpers.js';

function checkEveryTensor(config: ModelConfig) {
  const net = createNetwork(config, 'reference');
  const params = Float64Array.from(initParams(config, 11));
  // Scale weights up so gates leave the linear region and every nonlinearity matters.
  for (let i = 0; i < params.length; i++) params[i]! *= 1.5;
  const batch = randomBatch(config, 3, 4, 5);
  const state = randomState(config, 3, 9);
  const grads = new Float64Array(params.length);
  net.trainStep(params, batch, state, grads, { dropoutSeed: 42 });
  const loss = () => {
    const scratch = new Float64Array(params.length);
    return net.trainStep(params, batch, state, scratch, { dropoutSeed: 42 }).loss;
  };
  const eps = 1e-5;
  const worst: Record<string, number> = {};
  for (const t of paramLayout(config)) {
    let err = 0;
    for (let i = t.offset; i < t.offset + t.size; i++) {
      const saved = params[i]!;
      params[i] = saved + eps;
      const up = loss();
      params[i] = saved - eps;
      const down = loss();
      params[i] = saved;
      const numeric = (up - down) / (2 * eps);
      err = Math.max(
        err,
        Math.abs(numeric - grads[i]!) / Math.max(1e-4, Math.abs(numeric) + Math.abs(grads[i]!)),
      );
    }
    worst[t.name] = err;
  }
  return worst;
}

describe('reference network gradients', () => {
  it('match central finite differences for every parameter tensor (two layers, second input, dropout, padded targets, state in)', () => {
    const worst = checkEveryTensor(smallConfig());
    expect(Object.keys(worst)).toEqual([
      'embed',
      'extraEmbed',
      'lstm0.wx',
      'lstm0.wh',
      'lstm0.b',
      'lstm1.wx',
      'lstm1.wh',
      'lstm1.b',
      'out.w',
      'out.b',
    ]);
    for (const [name, err] of Object.entries(worst)) expect(err, name).toBeLessThan(1e-5);
  });

  it('match finite differences for a one-layer model without a second input', () => {
    const worst = checkEveryTensor(
      smallConfig({ layers: 1, extraVocabSize: 0, extraEmbedSize: 0, dropout: 0 }),
    );
    expect(Object.keys(worst)).toEqual(['embed', 'lstm0.wx', 'lstm0.wh', 'lstm0.b', 'out.w', 'out.b']);
    for (const [name, err] of Object.entries(worst)) expect(err, name).toBeLessThan(1e-5);
  });
});
