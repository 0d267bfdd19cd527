import { describe, expect, it } from 'vitest';
import { MIN_VALIDATION_FILES, splitByFile, splitSmallCollection } from '../../../engine/eval/split.js';

const names = (n: number, prefix = 'tune') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}.mid`);
const self = (f: string) => f;

describe('engine/eval/split: small collections', () => {
  it('holds out the hash split when it has enough files, exactly the team split', () => {
    const files = names(400);
    const small = splitSmallCollection(files, self);
    expect(small.validation).toEqual(splitByFile(files, self).validation);
    expect(small.toppedUp).toBe(0);
  });

  it('tops a collection of 30 up to a tenth, keeping the files the hash split holds out', () => {
    for (const prefix of ['jig', 'reel', 'air']) {
      const files = names(30, prefix);
      const hash = splitByFile(files, self).validation;
      const small = splitSmallCollection(files, self);
      expect(small.validation.length).toBeGreaterThanOrEqual(
        Math.min(3, Math.max(MIN_VALIDATION_FILES, hash.length)),
      );
      for (const f of hash) expect(small.validation).toContain(f);
      expect(small.train.length + small.validation.length).toBe(30);
      expect(small.train.filter((f) => small.validation.includes(f))).toEqual([]);
    }
  });

  it('leaves at least one file to train on: of 3 files it holds out 1, of 4 files 2, of fewer none', () => {
    expect(splitSmallCollection(names(3), self).validation).toHaveLength(1);
    expect(splitSmallCollection(names(4), self).validation).toHaveLength(2);
    expect(splitSmallCollection(names(2), self)).toEqual({ train: names(2), validation: [], toppedUp: 0 });
  });
});
