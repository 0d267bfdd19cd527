import { describe, expect, it } from 'vitest';
import {
  barIndex,
  barStart,
  barSteps,
  beatInBar,
  beatStart,
  beatSteps,
  lengthInBars,
  type TimeSignature,
} from '../../../engine/time/index.js';
import { barSteps as tokensBarSteps } from '../../../engine/tokens/index.js';

const meters: [TimeSignature, number, number][] = [
  // time signature, steps per bar, steps per beat: the worked examples of engine/time/index.ts
  [[4, 4], 16, 4],
  [[3, 4], 12, 4],
  [[2, 2], 16, 8],
  [[6, 8], 12, 6],
  [[5, 8], 10, 2],
  [[7, 8], 14, 2],
  [[3, 8], 6, 2],
  [[3, 16], 3, 1],
  [[13, 16], 13, 1],
  [[7, 32], 4, 4],
];

describe('engine/time: bars and beats of a time signature', () => {
  for (const [ts, bar, beat] of meters) {
    it(`gives ${ts[0]}/${ts[1]} ${bar} steps a bar and ${beat} a beat`, () => {
      expect([barSteps(ts), beatSteps(ts)]).toEqual([bar, beat]);
    });
  }

  it('rounds a bar that is not a whole number of steps to the nearest step', () => {
    expect([barSteps([7, 32]), barSteps([5, 32]), barSteps([3, 32]), barSteps([1, 32])]).toEqual([
      4, 3, 2, 1,
    ]);
  });

  it('falls back to 16 steps for time signatures that give no bar', () => {
    expect([barSteps([0, 4]), barSteps([1, 64]), barSteps([3, 0]), barSteps([Number.NaN, 4])]).toEqual([
      16, 16, 16, 16,
    ]);
  });

  it('feels 9/8 and 12/8 in dotted quarters, 6/16 in dotted eighths', () => {
    expect([beatSteps([9, 8]), beatSteps([12, 8]), beatSteps([6, 16])]).toEqual([6, 6, 3]);
  });

  it('is the bar the token model and generation use', () => {
    expect(tokensBarSteps).toBe(barSteps);
  });
});

describe('engine/time: where a step is', () => {
  it('finds the bar of a step and where that bar starts, in 5/8', () => {
    expect([0, 9, 10, 25].map((s) => [barIndex(s, [5, 8]), barStart(s, [5, 8])])).toEqual([
      [0, 0],
      [0, 0],
      [1, 10],
      [2, 20],
    ]);
  });

  it('counts bars of a rounded meter on its rounded length: 7/32 bars start every 4 steps', () => {
    expect([3, 4, 7, 8].map((s) => barStart(s, [7, 32]))).toEqual([0, 4, 4, 8]);
  });

  it('puts steps before 0 in the first bar', () => {
    expect([barIndex(-3, [4, 4]), barStart(-3, [4, 4]), beatInBar(-3, [4, 4])]).toEqual([0, 0, 0]);
  });

  it('counts beats within the bar, in 6/8 and 7/8', () => {
    expect([0, 5, 6, 11, 12].map((s) => beatInBar(s, [6, 8]))).toEqual([0, 0, 1, 1, 0]);
    expect([0, 12, 13, 14].map((s) => beatInBar(s, [7, 8]))).toEqual([0, 6, 6, 0]);
  });

  it('finds the beat line at or before a step, within fractional steps too', () => {
    expect([
      beatStart(7.9, [4, 4]),
      beatStart(11, [6, 8]),
      beatStart(-3, [4, 4]),
      beatStart(13, [13, 16]),
    ]).toEqual([4, 6, 0, 13]);
  });

  it('rounds a length up to whole bars, at least one', () => {
    expect([lengthInBars(0, [4, 4]), lengthInBars(16, [4, 4]), lengthInBars(17, [4, 4])]).toEqual([1, 1, 2]);
    expect([lengthInBars(13, [13, 16]), lengthInBars(14, [13, 16]), lengthInBars(9, [7, 32])]).toEqual([
      1, 2, 3,
    ]);
  });
});
