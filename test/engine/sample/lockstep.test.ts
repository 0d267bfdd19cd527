import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Melody } from '../../../engine/midi/types.js';
import { loadModel } from '../../../engine/model-file/node.js';
import { SCALES, generate, type GenerateOptions } from '../../../engine/sample/index.js';
import { DEFAULT_MODEL } from '../../../engine/train/default-model.js';
import { engineModelFromFile } from '../../../engine/model/lstm-model.js';
import {
  VOCAB_SIZE,
  type PieceContext,
  type TokenModel,
  type TokenStream,
} from '../../../engine/tokens/index.js';
import { repoRoot } from '../../helpers/shared.js';

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

const note = (pitch: number, start: number, duration: number) => ({ pitch, start, duration, velocity: 90 });
const seed: Melody = deepFreeze({
  bpm: 110,
  timeSignature: [4, 4],
  notes: [note(67, 0, 4), note(72, 4, 4), note(71, 8, 2), note(69, 10, 2), note(67, 12, 6)],
});

describe('engine/sample: variations in lockstep with the default model (LSTM lanes in one batch + memory)', () => {
  const file = path.join(repoRoot, DEFAULT_MODEL.out);
  const { model } = engineModelFromFile(loadModel(file), file);
  const base: GenerateOptions = { bars: 16, variations: 8, randomSeed: 2026 };

  it('gives identical output for identical inputs', () => {
    const a = generate(model, seed, base);
    expect(generate(model, seed, base)).toEqual(a);
    expect(new Set(a.map((v) => JSON.stringify(v.melody.notes))).size).toBe(8);
  });

  it('gives variation i the same notes whether 1, 3 or 8 variations are asked for', () => {
    const eight = generate(model, seed, base);
    expect(generate(model, seed, { ...base, variations: 1 })[0]).toEqual(eight[0]);
    expect(generate(model, seed, { ...base, variations: 3 })[2]).toEqual(eight[2]);
  });

  it('keeps every variation in the scale, the range and the repeat limit, each ending on the bar line', () => {
    const opts: GenerateOptions = {
      ...base,
      scale: { tonic: 7, name: 'mixolydian' },
      range: { min: 60, max: 79 },
      maxRepeats: 2,
    };
    const inScale = new Set(SCALES.mixolydian.map((i) => (i + 7) % 12));
    const variations = generate(model, seed, opts);
    expect(variations).toHaveLength(8);
    for (const v of variations) {
      const added = v.melody.notes.slice(v.seedNotes);
      expect(added.length).toBeGreaterThan(0);
      for (const n of added)
        expect([inScale.has(n.pitch % 12), n.pitch >= 60 && n.pitch <= 79]).toEqual([true, true]);
      const pitches = v.melody.notes.map((n) => n.pitch);
      for (let i = v.seedNotes; i < pitches.length; i++)
        expect(pitches[i] === pitches[i - 1] && pitches[i] === pitches[i - 2]).toBe(false);
      const last = v.melody.notes[v.melody.notes.length - 1];
      expect(last.start + last.duration).toBe(v.endStep);
    }
  });

  it('does not modify the seed melody or the options (both frozen here)', () => {
    const opts = deepFreeze({
      ...base,
      scale: { tonic: 0, name: 'major' as const },
      range: { min: 55, max: 84 },
    });
    expect(() => generate(model, seed, opts)).not.toThrow();
  });
});

/** Uniform distributions; its streams fork into lanes that log every advance and read. */
class LaneLogModel implements TokenModel {
  readonly name = 'lane log';
  readonly vocabSize = VOCAB_SIZE;
  readonly forks: number[] = [];
  readonly log: { lane: number; op: 'advance' | 'read' }[] = [];
  private readonly probs = new Float64Array(VOCAB_SIZE).fill(1 / VOCAB_SIZE);

  begin(_context: PieceContext): TokenStream {
    const lane = (index: number): TokenStream => ({
      probabilities: () => (this.log.push({ lane: index, op: 'read' }), this.probs),
      advance: () => void this.log.push({ lane: index, op: 'advance' }),
      clone: () => lane(index),
    });
    return {
      probabilities: () => this.probs,
      advance: () => {},
      clone: () => lane(-1),
      forkLanes: (count: number) => (
        this.forks.push(count),
        Array.from({ length: count }, (_, i) => lane(i))
      ),
    } as TokenStream;
  }
}

describe('engine/sample: the lockstep protocol', () => {
  it('forks the seeded stream into one lane per variation and advances every running lane before reading any', () => {
    const model = new LaneLogModel();
    generate(model, null, { bars: 4, variations: 5, randomSeed: 9 });
    expect(model.forks).toEqual([5]);
    // rounds: a block of reads (running lanes, in order), then a block of advances (those still running)
    let i = 0;
    let running = [0, 1, 2, 3, 4];
    while (i < model.log.length) {
      const reads: number[] = [];
      while (i < model.log.length && model.log[i].op === 'read') reads.push(model.log[i++].lane);
      expect(reads).toEqual(running);
      const advances: number[] = [];
      while (i < model.log.length && model.log[i].op === 'advance') advances.push(model.log[i++].lane);
      expect(advances.every((l) => reads.includes(l))).toBe(true);
      expect(advances).toEqual([...advances].sort((a, b) => a - b));
      running = advances;
    }
    expect(running).toEqual([]);
  });
});
