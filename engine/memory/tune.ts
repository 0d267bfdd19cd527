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
import { mixDistributions, type MixMethod } from './mixture.js';
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
  const out = new Float64Array(longTerm.vocabSize);
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
        combos.forEach((c, j) => {
          mixDistributions([pl, mem[grid.orders.indexOf(c.order)].probabilities()], c, out);
          sums[j] -= Math.log2(out[t]);
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
