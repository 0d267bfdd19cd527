import { describe, expect, it } from 'vitest';
import { PieceMemoryModel } from '../../../engine/memory/index.js';
import { generate, generateInRounds, type Variation } from '../../../engine/sample/index.js';

const model = new PieceMemoryModel(4);
const seed = {
  bpm: 120,
  timeSignature: [4, 4] as [number, number],
  notes: [60, 62, 64, 65].map((pitch, i) => ({ pitch, start: 4 * i, duration: 4, velocity: 80 })),
};
const options = { bars: 2, variations: 7, randomSeed: 5 };

describe('generateInRounds', () => {
  it('makes the same variations as one call, handing each round over as it is done', async () => {
    const rounds: number[][] = [];
    const all = await generateInRounds(model, seed, options, {
      roundSize: 3,
      onRound: (v: Variation[], done, total) => {
        rounds.push(v.map((x) => x.index));
        expect(total).toBe(7);
        expect(done).toBe(v[v.length - 1].index + 1);
      },
    });
    expect(rounds).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(all).toEqual(generate(model, seed, options));
  });

  it('stops before the next round when its signal is aborted, rejecting with the reason', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = generateInRounds(model, seed, options, {
      roundSize: 2,
      signal: controller.signal,
      onRound: (v) => {
        seen.push(...v.map((x) => x.index));
        controller.abort(new Error('superseded'));
      },
    });
    await expect(run).rejects.toThrow('superseded');
    expect(seen).toEqual([0, 1]);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(generateInRounds(model, seed, options, { signal: controller.signal })).rejects.toMatchObject(
      {
        name: 'AbortError',
      },
    );
  });
});
