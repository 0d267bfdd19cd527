/**
 * The generation figure of `continuo bench`: 16 bars × 8 variations from nothing (4/4), with the real
 * sampler (grammar and length masks, temperature 1; the variations in lockstep, one LSTM batch step per
 * token position) and the engine's model of a model file — for the default model, its LSTM mixed with
 * the in-piece memory. Reported as the median of a few runs after
 * one warm-up run, because these machines are shared and noisy.
 */
import { loadModel } from '../model-file/node.js';
import { generate } from '../sample/index.js';
import { engineModelFromFile } from './lstm-model.js';

export interface GenerationMeasurement {
  totalMs: number; // median wall time of one 16 bars × 8 variations call
  runsMs: number[];
  notes: number; // notes generated in the median run's call, all variations
  model: string;
}

export function measureModelGeneration(
  modelPath: string,
  runs = 5,
  bars = 16,
  variations = 8,
): GenerationMeasurement {
  const { model } = engineModelFromFile(loadModel(modelPath), modelPath);
  generate(model, null, { bars, variations, randomSeed: 0 });
  const results: { ms: number; notes: number }[] = [];
  for (let r = 1; r <= runs; r++) {
    const t0 = performance.now();
    const out = generate(model, null, { bars, variations, randomSeed: r });
    results.push({ ms: performance.now() - t0, notes: out.reduce((n, v) => n + v.melody.notes.length, 0) });
  }
  const sorted = results.slice().sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)];
  return {
    totalMs: Math.round(median.ms * 10) / 10,
    runsMs: results.map((x) => Math.round(x.ms * 10) / 10),
    notes: median.notes,
    model: model.name,
  };
}
