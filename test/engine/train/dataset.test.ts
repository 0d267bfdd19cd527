import { describe, expect, it } from 'vitest';
import { BatchStream, tokenSource, transposeRange } from '../../../engine/train/dataset.js';
import { lstmSequence } from '../../../engine/model/encoding.js';
import { PITCH_BASE, tokenKind } from '../../../engine/tokens/index.js';
import { tinyCorpus } from './tiny-corpus.js';

const { train } = tinyCorpus();
const fullRange = { min: 0, max: 127 };

/** Per lane, the tokens it read between resets, in order: one entry per tune read. */
function readTunes(stream: BatchStream, batches: number): number[][] {
  const finished: number[][] = [];
  let current: number[][] = [];
  for (let k = 0; k < batches; k++) {
    const b = stream.next();
    if (k === 0) current = Array.from({ length: b.batchSize }, () => []);
    for (let lane = 0; lane < b.batchSize; lane++) {
      if (b.reset[lane] && current[lane].length > 0) {
        finished.push(current[lane]);
        current[lane] = [];
      }
      for (let t = 0; t < b.windowLength; t++) {
        const i = lane * b.windowLength + t;
        if (b.weights[i] === 0) continue;
        if (current[lane].length === 0) current[lane].push(b.inputs[i]);
        current[lane].push(b.targets[i]);
      }
    }
  }
  return finished;
}

describe('engine/train: batch stream', () => {
  it('reads every training tune whole, from its start to its END, once per epoch, resetting the lane at each tune', () => {
    const stream = new BatchStream(train, tokenSource(fullRange), {
      batchSize: 2,
      windowLength: 16,
      seed: 7,
      maxTranspose: 0,
    });
    const tunes = readTunes(stream, 200);
    const expected = train.map((m) => Array.from(lstmSequence(m).tokens).join(','));
    const firstEpoch = tunes.slice(0, train.length).map((t) => t.join(','));
    expect(firstEpoch.slice().sort()).toEqual(expected.slice().sort());
  });

  it('pads the end of a window after a tune ends with weight 0 and starts the next tune at a new window', () => {
    const stream = new BatchStream(train, tokenSource(fullRange), {
      batchSize: 1,
      windowLength: 32,
      seed: 1,
      maxTranspose: 0,
    });
    let sawPadding = false;
    for (let k = 0; k < 60; k++) {
      const b = stream.next();
      const real = b.weights.reduce((s, w) => s + w, 0);
      expect(real).toBe(b.steps);
      if (real < 32) {
        sawPadding = true;
        // padding only at the end of the window
        expect(Array.from(b.weights.subarray(real)).every((w) => w === 0)).toBe(true);
        expect(stream.next().reset[0]).toBe(1);
      }
    }
    expect(sawPadding).toBe(true);
  });

  it('transposes each tune by a random amount that keeps every pitch inside the allowed range', () => {
    const range = { min: 55, max: 88 };
    const stream = new BatchStream(train, tokenSource(range), {
      batchSize: 2,
      windowLength: 16,
      seed: 3,
      maxTranspose: 6,
    });
    const shifts = new Set<number>();
    const original = new Set(train.map((m) => Array.from(lstmSequence(m).tokens).join(',')));
    for (const tune of readTunes(stream, 400)) {
      for (const t of tune)
        if (tokenKind(t) === 'pitch') {
          expect(t - PITCH_BASE).toBeGreaterThanOrEqual(range.min);
          expect(t - PITCH_BASE).toBeLessThanOrEqual(range.max);
        }
      shifts.add(original.has(tune.join(',')) ? 0 : 1);
    }
    expect(shifts.has(1)).toBe(true);
    for (const m of train) {
      const [lo, hi] = transposeRange(m, range, 6);
      expect(lo).toBeLessThanOrEqual(0);
      expect(hi).toBeGreaterThanOrEqual(0);
    }
  });

  it('produces the same next batches after its state is saved (as JSON) and restored into a new stream', () => {
    const options = { batchSize: 3, windowLength: 16, seed: 11, maxTranspose: 5 };
    const a = new BatchStream(train, tokenSource(fullRange), options);
    for (let k = 0; k < 37; k++) a.next();
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const b = new BatchStream(train, tokenSource(fullRange), options);
    b.setState(saved);
    for (let k = 0; k < 50; k++) {
      const x = a.next();
      const y = b.next();
      expect(Array.from(y.inputs)).toEqual(Array.from(x.inputs));
      expect(Array.from(y.targets)).toEqual(Array.from(x.targets));
      expect(Array.from(y.conditions)).toEqual(Array.from(x.conditions));
      expect(Array.from(y.reset)).toEqual(Array.from(x.reset));
    }
  });

  it('feeds END as the start input and pairs each input with the bar position of the token it predicts', () => {
    const melody = {
      bpm: 120,
      timeSignature: [4, 4] as [number, number],
      notes: [
        { pitch: 67, start: 4, duration: 4, velocity: 80 },
        { pitch: 69, start: 8, duration: 2, velocity: 80 },
        { pitch: 71, start: 12, duration: 40, velocity: 80 },
      ],
    };
    const piece = lstmSequence(melody);
    expect(Array.from(piece.tokens)).toEqual([0, 4, 100, 164, 102, 162, 2, 104, 192, 168, 0]);
    // conditions[i] goes with reading tokens[i], i.e. the position before tokens[i + 1]; the last is unused
    expect(Array.from(piece.conditions!)).toEqual([0, 4, 4, 8, 8, 10, 12, 12, 12, 4, 0]);
  });
});
