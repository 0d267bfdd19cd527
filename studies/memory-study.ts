/**
 * How the piece memory and its mixing were chosen (not a test: a reproducible measurement, by hand).
 *
 *   npm run study -- memory-study ../shared/corpus/nottingham [MODEL.continuo]
 *
 * Melodies come from importMidi (the app's own extraction); train/validation by
 * engine/eval/split.ts. The long-term model is a PPM-C n-gram counted on the training files in 12
 * transpositions (order chosen on the validation files), or, with MODEL.continuo, the trained LSTM.
 * Then, on the validation files: the piece memory alone for several orders, and the mixture for
 * every (memory order, method, b) of a grid. Prints bits/note for each.
 *
 * Measured (808 training / 71 validation tunes, 15 489 validation notes), bits/note:
 *   n-gram long-term model (PPM-C counted in 12 transpositions; ~100 s on this machine):
 *     by max order 0..10: 7.855 5.798 4.721 4.718 4.105 4.291 4.393 4.778 5.075 5.481 5.769
 *     n-gram alone (order 4)                       4.105
 *     piece memory alone (order 4 / 8 / 12 / 24)   3.132 / 3.000 / 3.058 / 3.244
 *     entropy weighting, best of the grid          1.704 (memory order 32, arithmetic, b = 0.25)
 *       (geometric means never won: best 1.851, order 16, b = 0)
 *     learned gate, 2 experts (LTM + memory)       1.630 cross-fitted
 *     learned gate, 4 experts (+ interval, copy)   1.537 cross-fitted (1.533 fitted on all)
 *   LSTM 1x256 snapshot of the default model's training (alone 3.639):
 *     entropy weighting 1.650 (order 24, b = 0.25); 2-expert gate 1.537; 4-expert gate 1.463
 *   models/default.continuo as trained at 05:28 (LSTM 1x256, alone 3.282):
 *     entropy weighting 1.567 (order 24, b = 0.25); 4-expert gate 1.389 cross-fitted (order 16)
 *   ../shared/bench/markov-baseline on the same split (its extract.mjs):
 *     best without memory 3.658 (joint tokens, IKN order 12, 12 transpositions);
 *     best LTM+STM 1.833 (per-step tokens, IKN@8 + STM PPM-C@16, arithmetic, b = 0.5).
 */
import fs from 'node:fs';
import path from 'node:path';
import { importMidi } from '../engine/midi/index.js';
import type { Melody } from '../engine/midi/types.js';
import { isValidationFile } from '../engine/eval/split.js';
import { evaluateBitsPerNote, type EvalPiece } from '../engine/eval/index.js';
import { DEFAULT_GRID, PieceMemoryModel, tuneMemory, withPieceMemory } from '../engine/memory/index.js';
import { PpmCounts } from '../engine/memory/ppm.js';
import { VOCAB_SIZE, encode, type TokenModel, type TokenStream } from '../engine/tokens/index.js';
import { loadModel } from '../engine/model-file/node.js';
import { LstmTokenModel } from '../engine/model/lstm-model.js';
import type { ModelConfig } from '../engine/nn/index.js';

/**
 * The corpus n-gram that stood in for the LSTM while the memory was developed, kept here because
 * only this study uses it: PPM-C counts over the training tunes (contexts up to counts.maxOrder).
 */
class CorpusNGram implements TokenModel {
  readonly vocabSize = VOCAB_SIZE;
  readonly name: string;

  constructor(private readonly counts: PpmCounts) {
    this.name = `ppm-c order ${counts.maxOrder}`;
  }

  begin(): TokenStream {
    return new CorpusNGramStream(this.counts, []);
  }
}

class CorpusNGramStream implements TokenStream {
  private readonly probs = new Float64Array(VOCAB_SIZE);
  private fresh = false;

  constructor(
    private readonly counts: PpmCounts,
    private readonly history: number[],
  ) {}

  probabilities(): Float64Array {
    if (!this.fresh) this.counts.distribution(this.history, this.history.length, this.probs);
    this.fresh = true;
    return this.probs;
  }

  advance(token: number): void {
    this.history.push(token);
    this.fresh = false;
  }

  clone(): TokenStream {
    return new CorpusNGramStream(this.counts, this.history.slice());
  }
}

/** PPM-C counts of `melodies`, each also in every transposition that stays inside MIDI's 0..127. */
function countCorpus(melodies: readonly Melody[], maxOrder: number, transpositions: number[]): PpmCounts {
  const counts = new PpmCounts(VOCAB_SIZE, maxOrder, 1 << 16);
  for (const m of melodies) {
    for (const shift of transpositions) {
      if (m.notes.some((n) => n.pitch + shift < 0 || n.pitch + shift > 127)) continue;
      counts.addSequence(encode({ ...m, notes: m.notes.map((n) => ({ ...n, pitch: n.pitch + shift })) }));
    }
  }
  return counts;
}

const corpusDir = process.argv[2] ?? '../shared/corpus/nottingham';
const modelPath = process.argv[3];
const t0 = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);

const pieces: EvalPiece[] = [];
for (const f of fs
  .readdirSync(corpusDir)
  .filter((x) => /\.midi?$/i.test(x))
  .sort()) {
  pieces.push({
    name: f,
    melody: importMidi(new Uint8Array(fs.readFileSync(path.join(corpusDir, f))), f).melody,
  });
}
const train = pieces.filter((p) => !isValidationFile(p.name));
const valid = pieces.filter((p) => isValidationFile(p.name) && p.melody.notes.length > 0);
const validNotes = valid.reduce((a, p) => a + p.melody.notes.length, 0);
log(`${pieces.length} files: train ${train.length}, validation ${valid.length} (${validNotes} notes)`);

let ltm: TokenModel;
if (modelPath) {
  const { header, weights } = loadModel(modelPath);
  ltm = new LstmTokenModel(header.config as ModelConfig, weights);
  log(`long-term model: ${ltm.name} from ${modelPath}`);
} else {
  const maxOrder = 10;
  const transpositions = [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5];
  const trainMelodies = train.map((p: EvalPiece): Melody => p.melody);
  const counts = countCorpus(trainMelodies, maxOrder, transpositions);
  log(`n-gram counted: orders 0..${maxOrder}, 12 transpositions`);
  const bits = new Float64Array(maxOrder + 1);
  const pr = new Float64Array(maxOrder + 1);
  for (const p of valid) {
    const t = encode(p.melody);
    for (let i = 0; i < t.length; i++) {
      counts.probabilityAllOrders(t, i, pr);
      for (let k = 0; k <= maxOrder; k++) bits[k] -= Math.log2(pr[k]);
    }
  }
  let best = 0;
  for (let k = 1; k <= maxOrder; k++) if (bits[k] < bits[best]) best = k;
  log(`n-gram by order: ${Array.from(bits, (b) => (b / validNotes).toFixed(3)).join(' ')}`);
  // Counts up to order `best` give exactly the distributions of the order-10 counts cut at `best`.
  ltm = new CorpusNGram(countCorpus(trainMelodies, best, transpositions));
}
const ltmResult = evaluateBitsPerNote(ltm, valid);
log(`LTM alone (${ltm.name}): ${ltmResult.bitsPerNote.toFixed(4)} bits/note over ${ltmResult.notes} notes`);

for (const k of [4, 8, 12, 24]) {
  log(
    `piece memory alone, order ${k}: ${evaluateBitsPerNote(new PieceMemoryModel(k), valid).bitsPerNote.toFixed(4)}`,
  );
}

const tuning = tuneMemory(
  ltm,
  valid.map((p) => p.melody),
  DEFAULT_GRID,
);
for (const order of DEFAULT_GRID.orders) {
  const row = tuning.table.filter((r) => r.order === order);
  log(`mixture memory order ${order}: ${row.map((r) => `b=${r.b} ${r.bitsPerNote.toFixed(4)}`).join('  ')}`);
}
const b = tuning.best;
log(
  `best mixture: ${b.bitsPerNote.toFixed(4)} bits/note (memory order ${b.order}, ${b.method}, b=${b.b}); LTM alone ${tuning.longTermBitsPerNote.toFixed(4)}`,
);
const check = evaluateBitsPerNote(withPieceMemory(ltm, b), valid);
log(
  `check through withPieceMemory + evaluateBitsPerNote: ${check.bitsPerNote.toFixed(4)} bits/note over ${check.notes} notes`,
);
const g = tuning.gated;
log(
  `learned gate: memory order ${g.settings.order}, θ = [${g.settings.gate!.map((x) => x.toFixed(3)).join(', ')}]: ` +
    `${g.crossFittedBitsPerNote.toFixed(4)} bits/note cross-fitted (2 folds over the validation tunes), ${g.bitsPerNote.toFixed(4)} fitted on all`,
);
const gcheck = evaluateBitsPerNote(withPieceMemory(ltm, g.settings), valid);
log(`check through withPieceMemory(gated) + evaluateBitsPerNote: ${gcheck.bitsPerNote.toFixed(4)} bits/note`);
