/**
 * Choosing the piece memory's settings for a long-term model: every (memory order, b) of a grid is scored on validation melodies in one pass (the long-term model reads each piece once),
 * and the lowest bits/note wins. The trainer runs this after training and stores the winner in the
 * model file, so each model is mixed the way that is best for it (a sharper LSTM wants a different b
 * than an n-gram).
 */
import type { Melody } from '../midi/types.js';
import { END, countNotes, encode, type TokenModel } from '../tokens/index.js';
import type { MemorySettings } from './index.js';
import { relativeEntropy } from './mixture.js';
import {
  ExpertPanel,
  GATE_EXPERTS,
  GATE_FEATURES,
  fitGate,
  gateBits,
  type GateRows,
  type PitchRange,
} from './gate.js';

/**
 * Entropy weighting is the arithmetic mean only: IDyOM's geometric mean never won on the validation
 * split (best geometric 1.851 vs arithmetic 1.705 bits/note with a PPM-C n-gram, 1.869 vs 1.650 with
 * an LSTM) and cost a pass of exp() over the vocabulary per setting and token, most of the tuning
 * time; it was removed.
 */
export interface MemoryGrid {
  orders: readonly number[];
  b: readonly number[];
}

export const DEFAULT_GRID: MemoryGrid = {
  orders: [12, 16, 24, 32],
  b: [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3],
};

export interface MemoryTuning {
  /** The best entropy-weighting settings of the grid (in-sample: chosen on these melodies). */
  best: MemorySettings & { bitsPerNote: number };
  /**
   * The learned gate (./gate.ts) for the memory order where it does best. `settings.gate` is fitted
   * on all the melodies; `crossFittedBitsPerNote` scores each half of the melodies (alternate
   * pieces) with a gate fitted on the other half, the honest estimate to compare with `best`.
   */
  gated: { settings: MemorySettings; bitsPerNote: number; crossFittedBitsPerNote: number };
  /**
   * What to store in a model file: the gate when its cross-fitted estimate beats the best entropy
   * weighting, else that entropy weighting. `bitsPerNote` is the estimate it won with.
   */
  recommended: { settings: MemorySettings; bitsPerNote: number };
  /** Bits/note of the long-term model alone on the same melodies. */
  longTermBitsPerNote: number;
  notes: number;
  table: (MemorySettings & { bitsPerNote: number })[];
}

export function tuneMemory(
  longTerm: TokenModel,
  melodies: readonly Melody[],
  grid: MemoryGrid = DEFAULT_GRID,
  onPiece?: (done: number, total: number) => void,
  pitchRange: PitchRange = null,
): MemoryTuning {
  if (grid.orders.length === 0) throw new RangeError('the memory grid has no orders');
  const combos: MemorySettings[] = [];
  for (const order of grid.orders) for (const b of grid.b) combos.push({ order, method: 'arithmetic', b });
  const sums = new Float64Array(combos.length);
  // Per token, everything that does not depend on b is computed once: each model's relative
  // entropy. A mixture then needs only the probabilities of the actual token.
  const hMem = new Float64Array(grid.orders.length);
  const pMem = new Float64Array(grid.orders.length);
  const totalTokens = melodies.reduce((a, m) => a + encode(m).length, 0);
  const rows: GateRows[] = grid.orders.map(() => ({
    experts: new Float64Array(totalTokens * GATE_EXPERTS),
    features: new Float64Array(totalTokens * GATE_FEATURES),
    length: 0,
  }));
  const rowPiece = new Int32Array(totalTokens);
  let row = 0;
  let ltmBits = 0;
  let notes = 0;
  melodies.forEach((melody, k) => {
    const tokens = encode(melody);
    const n = countNotes(tokens);
    if (n > 0) {
      notes += n;
      const context = { timeSignature: melody.timeSignature };
      const lt = longTerm.begin(context);
      const panels = grid.orders.map((order) => ExpertPanel.start(order, context, pitchRange));
      for (let i = 0; i < tokens.length; i++, row++) {
        const t = tokens[i];
        const pl = lt.probabilities();
        ltmBits -= Math.log2(pl[t]);
        const hl = relativeEntropy(pl);
        rowPiece[row] = k;
        panels.forEach((panel, o) => {
          const x = panel.read(pl);
          const memDist = panel.memoryDist;
          hMem[o] = relativeEntropy(memDist);
          pMem[o] = memDist[t];
          const r = rows[o];
          const e = row * GATE_EXPERTS;
          r.experts[e] = pl[t];
          r.experts[e + 1] = memDist[t];
          r.experts[e + 2] = panel.intervalDist[t];
          r.experts[e + 3] = panel.copyProbability(pl, t);
          r.features.set(x, row * GATE_FEATURES);
          r.length = row + 1;
        });
        combos.forEach((c, j) => {
          const o = grid.orders.indexOf(c.order);
          // normalised weight of the long-term model, w_l / (w_l + w_m) with w = h^-b, overflow-safe
          const r = c.b * (Math.log(hl) - Math.log(hMem[o]));
          const wl = r > 0 ? Math.exp(-r) / (1 + Math.exp(-r)) : 1 / (1 + Math.exp(r));
          const wm = 1 - wl;
          sums[j] -= Math.log2(wl * pl[t] + wm * pMem[o]);
        });
        if (t !== END) {
          lt.advance(t);
          for (const panel of panels) panel.advance(t);
        }
      }
    }
    onPiece?.(k + 1, melodies.length);
  });
  const table = combos.map((c, j) => ({ ...c, bitsPerNote: sums[j] / notes }));
  const best = table.reduce((a, b) => (b.bitsPerNote < a.bitsPerNote ? b : a));

  let gated: MemoryTuning['gated'] | null = null;
  grid.orders.forEach((order, o) => {
    const r = { ...rows[o], length: row };
    const even = (i: number) => rowPiece[i] % 2 === 0;
    const odd = (i: number) => rowPiece[i] % 2 === 1;
    const cross = gateBits(fitGate(r, odd), r, even) + gateBits(fitGate(r, even), r, odd);
    if (gated === null || cross / notes < gated.crossFittedBitsPerNote) {
      const theta = fitGate(r);
      gated = {
        settings: { order, method: 'gated', b: 0, gate: theta },
        bitsPerNote: gateBits(theta, r) / notes,
        crossFittedBitsPerNote: cross / notes,
      };
    }
  });
  const g = gated!;
  const { bitsPerNote: _b, ...bestSettings } = best;
  const recommended =
    g.crossFittedBitsPerNote < best.bitsPerNote
      ? { settings: g.settings, bitsPerNote: g.crossFittedBitsPerNote }
      : { settings: bestSettings, bitsPerNote: best.bitsPerNote };
  return { best, gated: g, recommended, longTermBitsPerNote: ltmBits / notes, notes, table };
}
