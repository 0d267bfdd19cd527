import { describe, expect, it } from 'vitest';
import {
  LANE_STABLE_BATCH,
  copyStateRow,
  createStream,
  initParams,
  mulberry32,
  zeroState,
  type BackendName,
} from '../../../engine/nn/index.js';
import { randomState, smallConfig } from './helpers.js';

// Wide enough that the GEMMs' inner loops run long and different summation orders would show.
const config = smallConfig({ vocabSize: 53, embedSize: 16, hiddenSize: 40, dropout: 0 });
const params = initParams(config, 11);

/** One lane's history: its starting state (batch 1) and the tokens/extras it reads. */
function laneInput(seed: number) {
  const u = mulberry32(seed);
  const steps = Array.from({ length: 6 }, () => [
    Math.floor(u() * config.vocabSize),
    Math.floor(u() * config.extraVocabSize),
  ]);
  return { start: randomState(config, 1, seed), steps };
}

/** Runs `lanes` in a stream of `width` rows, lane j in row rows[j]; returns each lane's logits per step. */
function runLanes(
  backend: BackendName,
  width: number,
  lanes: ReturnType<typeof laneInput>[],
  rows: number[],
): Float32Array[][] {
  const stream = createStream(config, params, width, backend);
  const state = zeroState(config, width);
  lanes.forEach((lane, j) => copyStateRow(config, lane.start, 0, state, rows[j]));
  stream.setState(state);
  const out: Float32Array[][] = lanes.map(() => []);
  for (let t = 0; t < 6; t++) {
    const tokens = new Int32Array(width);
    const extras = new Int32Array(width);
    lanes.forEach((lane, j) => ([tokens[rows[j]], extras[rows[j]]] = lane.steps[t]));
    const logits = stream.step(tokens, extras);
    rows.forEach((r, j) => out[j].push(logits.slice(r * config.vocabSize, (r + 1) * config.vocabSize)));
  }
  return out;
}

describe.each(['wasm-simd', 'reference'] as const)('engine/nn %s: lanes of a batch stream', (backend) => {
  it(`gives a lane bit-identical logits at every batch of ${LANE_STABLE_BATCH} or more, in any row`, () => {
    const lane = laneInput(5);
    const others = [1, 2, 3, 4, 6, 7, 8].map(laneInput);
    const alone = runLanes(backend, LANE_STABLE_BATCH, [lane], [0])[0];
    expect(runLanes(backend, 5, [lane, ...others.slice(0, 4)], [3, 0, 1, 2, 4])[0]).toEqual(alone);
    expect(runLanes(backend, 8, [lane, ...others], [6, 0, 1, 2, 3, 4, 5, 7])[0]).toEqual(alone);
    expect(runLanes(backend, 13, [...others, lane], [0, 1, 2, 3, 4, 5, 6, 12])[7]).toEqual(alone);
  });
});
