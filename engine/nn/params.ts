/**
 * All weights live in one flat Float32Array; this module says where each tensor is and how it starts.
 *
 * Layout, in order (row-major; a layer computes `x · W`, so W is [inputs, outputs]):
 *   embed        [vocabSize, embedSize]
 *   extraEmbed   [extraVocabSize, extraEmbedSize]      (only when extraVocabSize > 0)
 *   lstmL.wx     [inL, 4·hiddenSize]   inL = embedSize + extraEmbedSize for L = 0, else hiddenSize
 *   lstmL.wh     [hiddenSize, 4·hiddenSize]
 *   lstmL.b      [4·hiddenSize]
 *   out.w        [hiddenSize, vocabSize]
 *   out.b        [vocabSize]
 * Gate blocks along the 4·hiddenSize axis are in PyTorch's order: input, forget, cell, output.
 */
import { inputSize, validateConfig, type ModelConfig } from './config.js';
import { mixSeed, mulberry32, normal } from './rng.js';

export type FloatArray = Float32Array | Float64Array;

export interface ParamTensor {
  name: string;
  offset: number;
  size: number;
  shape: number[];
}

export interface LayerViews<T extends FloatArray> {
  wx: T;
  wh: T;
  b: T;
}

export interface ParamViews<T extends FloatArray> {
  embed: T;
  extraEmbed: T | null;
  layers: LayerViews<T>[];
  outW: T;
  outB: T;
}

export function paramLayout(c: ModelConfig): ParamTensor[] {
  validateConfig(c);
  const out: ParamTensor[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    out.push({ name, offset, size, shape });
    offset += size;
  };
  add('embed', [c.vocabSize, c.embedSize]);
  if (c.extraVocabSize > 0) add('extraEmbed', [c.extraVocabSize, c.extraEmbedSize]);
  const h4 = 4 * c.hiddenSize;
  for (let l = 0; l < c.layers; l++) {
    add(`lstm${l}.wx`, [l === 0 ? inputSize(c) : c.hiddenSize, h4]);
    add(`lstm${l}.wh`, [c.hiddenSize, h4]);
    add(`lstm${l}.b`, [h4]);
  }
  add('out.w', [c.hiddenSize, c.vocabSize]);
  add('out.b', [c.vocabSize]);
  return out;
}

export function paramCount(c: ModelConfig): number {
  const layout = paramLayout(c);
  const last = layout[layout.length - 1]!;
  return last.offset + last.size;
}

/** Named subarrays sharing memory with `params` (or with a gradient array of the same layout). */
export function paramViews<T extends FloatArray>(c: ModelConfig, params: T): ParamViews<T> {
  const n = paramCount(c);
  if (params.length !== n)
    throw new Error(`parameter array has ${params.length} values, the config needs ${n}`);
  const byName = new Map(paramLayout(c).map((t) => [t.name, t]));
  const view = (name: string): T => {
    const t = byName.get(name)!;
    return params.subarray(t.offset, t.offset + t.size) as T;
  };
  const layers: LayerViews<T>[] = [];
  for (let l = 0; l < c.layers; l++)
    layers.push({ wx: view(`lstm${l}.wx`), wh: view(`lstm${l}.wh`), b: view(`lstm${l}.b`) });
  return {
    embed: view('embed'),
    extraEmbed: c.extraVocabSize > 0 ? view('extraEmbed') : null,
    layers,
    outW: view('out.w'),
    outB: view('out.b'),
  };
}

/**
 * Fresh weights from a seed, following PyTorch's defaults (embedding N(0, 1); LSTM and output
 * U(±1/√fan)) except the forget-gate bias, which starts at 1 so early training keeps its memory.
 * Each tensor draws from its own stream, so adding a layer does not change the others.
 */
export function initParams(c: ModelConfig, seed: number): Float32Array {
  const params = new Float32Array(paramCount(c));
  const layout = paramLayout(c);
  const H = c.hiddenSize;
  layout.forEach((t, i) => {
    const u = mulberry32(mixSeed(seed, i + 1));
    const v = params.subarray(t.offset, t.offset + t.size);
    if (t.name === 'embed' || t.name === 'extraEmbed') {
      const n = normal(u);
      for (let k = 0; k < v.length; k++) v[k] = n();
      return;
    }
    // PyTorch: LSTM weights use 1/√hidden, Linear 1/√fan-in, which is also the hidden size here.
    const bound = 1 / Math.sqrt(H);
    for (let k = 0; k < v.length; k++) v[k] = (2 * u() - 1) * bound;
    if (t.name.endsWith('.b') && t.name.startsWith('lstm')) v.fill(1, H, 2 * H);
  });
  return params;
}
