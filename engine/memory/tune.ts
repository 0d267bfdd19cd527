/**
 * Choosing the piece memory's settings for a long-term model: every (memory order, mixing method, b)
 * of a grid is scored on validation melodies in one pass (the long-term model reads each piece once),
 * and the lowest bits/note wins. The trainer runs this after training and stores the winner in the
 * model file, so each model is mixed the way that is best for it (a sharper LSTM wants a different b
 * than an n-gram).
 */
import type { Melody } from '../midi/types.js';
import { END, countNotes, encode, type TokenModel } from '../tokens/index.js';
import type { MemorySettings } from './index.js';
import { relativeEntropy, type MixMethod } from './mixture.js';
import { PieceMemoryModel } from './models.js';

export interface MemoryGrid {
  orders: readonly number[];
  methods: readonly MixMethod[];
  b: readonly number[];
}

export const DEFAULT_GRID: MemoryGrid = {
  orders: [6, 8, 12, 16, 24],
  methods: ['arithmetic', 'geometric'],
  b: [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3],
};

export interface MemoryTuning {
  best: MemorySettings & { bitsPerNote: number };
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
): MemoryTuning {
  const combos: MemorySettings[] = [];
  for (const order of grid.orders) for (const method of grid.methods) for (const b of grid.b) combos.push({ order, method, b });
  const sums = new Float64Array(combos.length);
  const V = longTerm.vocabSize;
  // Per token, everything that does not depend on b is computed once: each model's relative
  // entropy, and (for the geometric mean) its log-probabilities. An arithmetic mixture then needs
  // only the probabilities of the actual token.
  const lnLong = new Float64Array(V);
  const lnMem = grid.orders.map(() => new Float64Array(V));
  const hMem = new Float64Array(grid.orders.length);
  const pMem = new Float64Array(grid.orders.length);
  const needLogs = grid.methods.includes('geometric');
  let ltmBits = 0;
  let notes = 0;
  melodies.forEach((melody, k) => {
    const tokens = encode(melody);
    const n = countNotes(tokens);
    if (n > 0) {
      notes += n;
      const context = { timeSignature: melody.timeSignature };
      const lt = longTerm.begin(context);
      const mem = grid.orders.map((o) => new PieceMemoryModel(o).begin(context));
      for (const t of tokens) {
        const pl = lt.probabilities();
        ltmBits -= Math.log2(pl[t]);
        const hl = relativeEntropy(pl);
        if (needLogs) for (let i = 0; i < V; i++) lnLong[i] = Math.log(pl[i]);
        mem.forEach((m, o) => {
          const ps = m.probabilities();
          hMem[o] = relativeEntropy(ps);
          pMem[o] = ps[t];
          if (needLogs) for (let i = 0; i < V; i++) lnMem[o][i] = Math.log(ps[i]);
        });
        combos.forEach((c, j) => {
          const o = grid.orders.indexOf(c.order);
          // normalised weight of the long-term model, w_l / (w_l + w_m) with w = h^-b, overflow-safe
          const r = c.b * (Math.log(hl) - Math.log(hMem[o]));
          const wl = r > 0 ? Math.exp(-r) / (1 + Math.exp(-r)) : 1 / (1 + Math.exp(r));
          const wm = 1 - wl;
          if (c.method === 'arithmetic') {
            sums[j] -= Math.log2(wl * pl[t] + wm * pMem[o]);
          } else {
            const lm = lnMem[o];
            let max = -Infinity;
            for (let i = 0; i < V; i++) max = Math.max(max, wl * lnLong[i] + wm * lm[i]);
            let z = 0;
            for (let i = 0; i < V; i++) z += Math.exp(wl * lnLong[i] + wm * lm[i] - max);
            sums[j] -= (wl * lnLong[t] + wm * lm[t] - max - Math.log(z)) / Math.LN2;
          }
        });
        if (t !== END) {
          lt.advance(t);
          for (const m of mem) m.advance(t);
        }
      }
    }
    onPiece?.(k + 1, melodies.length);
  });
  const table = combos.map((c, j) => ({ ...c, bitsPerNote: sums[j] / notes }));
  const best = table.reduce((a, b) => (b.bitsPerNote < a.bitsPerNote ? b : a));
  return { best, longTermBitsPerNote: ltmBits / notes, notes, table };
}
