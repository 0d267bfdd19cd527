import { describe, expect, it } from 'vitest';
import { copyStateRow, type LstmState } from '../../../engine/nn/index.js';
import { smallConfig } from './helpers.js';

// Two layers of 2 units; h[(l·B + b)·H + u] is unit u of sequence b in layer l.
const config = smallConfig({ layers: 2, hiddenSize: 2 });
const state = (batchSize: number, h: number[], c: number[]): LstmState => ({
  batchSize,
  h: Float32Array.from(h),
  c: Float32Array.from(c),
});

describe('engine/nn: copyStateRow', () => {
  it('copies one sequence of a batch, every layer, into a batch-1 state', () => {
    const from = state(
      3,
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12],
    );
    const to = state(1, [0, 0, 0, 0], [0, 0, 0, 0]);
    copyStateRow(config, from, 1, to, 0);
    expect(Array.from(to.h)).toEqual([3, 4, 9, 10]);
    expect(Array.from(to.c)).toEqual([-3, -4, -9, -10]);
  });

  it('copies a batch-1 state into one row of a wider batch, leaving the other rows alone', () => {
    const from = state(1, [1, 2, 3, 4], [5, 6, 7, 8]);
    const to = state(2, [9, 9, 9, 9, 9, 9, 9, 9], [0, 0, 0, 0, 0, 0, 0, 0]);
    copyStateRow(config, from, 0, to, 1);
    expect(Array.from(to.h)).toEqual([9, 9, 1, 2, 9, 9, 3, 4]);
    expect(Array.from(to.c)).toEqual([0, 0, 5, 6, 0, 0, 7, 8]);
  });

  it('refuses a row outside either batch', () => {
    const one = state(1, [0, 0, 0, 0], [0, 0, 0, 0]);
    const two = state(2, [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => copyStateRow(config, two, 2, one, 0)).toThrow(
      'state: cannot copy row 2 of a batch of 2 to row 0 of a batch of 1',
    );
    expect(() => copyStateRow(config, one, 0, two, -1)).toThrow(
      'state: cannot copy row 0 of a batch of 1 to row -1 of a batch of 2',
    );
  });
});
