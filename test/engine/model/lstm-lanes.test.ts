import { describe, expect, it } from 'vitest';
import { initParams } from '../../../engine/nn/index.js';
import { forkLanes } from '../../../engine/sample/index.js';
import { LstmTokenModel } from '../../../engine/model/lstm-model.js';
import { DUR_BASE, PITCH_BASE, REST_BASE, type TokenStream } from '../../../engine/tokens/index.js';
import { tinyConfig } from '../train/tiny-corpus.js';

// A few bars' worth of tokens in 3/4 (rests and durations move the position-in-bar input).
const seedTokens = [REST_BASE + 2, PITCH_BASE + 62, DUR_BASE + 4, PITCH_BASE + 64, DUR_BASE + 6];
const laneTokens = (lane: number): number[] =>
  Array.from({ length: 12 }, (_, t) =>
    t % 2 === 0 ? PITCH_BASE + 55 + ((lane * 7 + t * 3) % 24) : DUR_BASE + 1 + ((lane + t) % 8),
  );

function seeded(model: LstmTokenModel): TokenStream {
  const s = model.begin({ timeSignature: [3, 4] });
  for (const t of seedTokens) s.advance(t);
  return s;
}

/** Every lane reads its own tokens, all lanes advanced before any is read; the distributions per step. */
function lockstep(lanes: TokenStream[]): Float64Array[][] {
  const out: Float64Array[][] = lanes.map(() => []);
  for (let t = 0; t < 12; t++) {
    lanes.forEach((s, i) => s.advance(laneTokens(i)[t]));
    lanes.forEach((s, i) => out[i].push(s.probabilities().slice()));
  }
  return out;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe.each(['wasm-simd', 'reference'] as const)(
  'engine/train %s: LSTM lanes stepped in lockstep',
  (backend) => {
    const config = tinyConfig({ hiddenSize: 24, dropout: 0 });
    const model = new LstmTokenModel(config, initParams(config, 7), backend);

    it('start from the forked stream: its distribution, and its state (lane reads match a clone of it)', () => {
      const source = seeded(model);
      const lanes = forkLanes(source, 3);
      for (const lane of lanes) expect(lane.probabilities()).toEqual(source.probabilities());
      const clones = [0, 1, 2].map(() => source.clone());
      const a = lockstep(lanes);
      const b = lockstep(clones);
      // batch and batch-1 arithmetic may round differently in the last float32 bits, nothing more
      for (let i = 0; i < 3; i++)
        for (let t = 0; t < 12; t++) expect(maxDiff(a[i][t], b[i][t])).toBeLessThan(1e-5);
    });

    it('give lane i bit-identical distributions whether 1 or 8 lanes were forked', () => {
      const eight = lockstep(forkLanes(seeded(model), 8));
      const one = lockstep(forkLanes(seeded(model), 1));
      expect(one[0]).toEqual(eight[0]);
      const three = lockstep(forkLanes(seeded(model), 3));
      expect(three[2]).toEqual(eight[2]);
    });

    it('leave a lane that did not advance where it was, while the others step', () => {
      const together = lockstep(forkLanes(seeded(model), 4));
      const lanes = forkLanes(seeded(model), 4);
      const late: Float64Array[] = [];
      for (let t = 0; t < 12; t++) {
        lanes.forEach((s, i) => i !== 3 && s.advance(laneTokens(i)[t]));
        lanes.forEach((s, i) => i !== 3 && expect(s.probabilities()).toEqual(together[i][t]));
      }
      for (let t = 0; t < 12; t++) {
        lanes[3].advance(laneTokens(3)[t]);
        late.push(lanes[3].probabilities().slice());
      }
      expect(late).toEqual(together[3]);
    });

    it('are not disturbed by another set of lanes of the same model stepping in between', () => {
      const alone = lockstep(forkLanes(seeded(model), 4));
      const a = forkLanes(seeded(model), 4);
      const b = forkLanes(seeded(model), 4);
      for (let t = 0; t < 12; t++) {
        for (const lanes of [a, b]) {
          lanes.forEach((s, i) => s.advance(laneTokens(i)[t]));
          lanes.forEach((s, i) => expect(s.probabilities()).toEqual(alone[i][t]));
        }
      }
    });

    it('clone into independent streams that continue from the lane', () => {
      const lanes = forkLanes(seeded(model), 4);
      lockstep(lanes);
      const copy = lanes[1].clone();
      expect(copy.probabilities()).toEqual(lanes[1].probabilities());
      copy.advance(PITCH_BASE + 60);
      lanes[1].advance(PITCH_BASE + 60);
      expect(maxDiff(copy.probabilities(), lanes[1].probabilities())).toBeLessThan(1e-5);
      lanes[1].advance(DUR_BASE + 2);
      const after = lanes[1].probabilities().slice();
      copy.advance(PITCH_BASE + 72); // the copy moving on must not move the lane
      expect(lanes[1].probabilities()).toEqual(after);
    });
  },
);
