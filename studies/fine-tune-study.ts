/**
 * The bar of the issue "Train on your own MIDI inside the app": with the default settings, 30 files
 * of a style the start model never saw give a model better on withheld files of that style than
 * both the untouched start model and the Markov baseline trained on the same files, in under a
 * minute here; ~300 files, clearly better.
 *
 * `npm run study -- fine-tune-study STYLE [--base MODEL] [--sizes 30,300]`
 *
 * STYLE is a file-name prefix of the folk corpus (jigs: 288 files in 6/8; reels: 393 in 4/4). The
 * bundled model was trained on all of the corpus's styles, so the study stands in a base model of
 * the bundled model's recipe trained without STYLE (`--base`; made here when missing, about 5
 * minutes, and kept in the system's temp folder). The withheld files are the STYLE files whose name
 * hash falls in [0.45, 0.55) (engine/eval/split.ts); the training sets are the first N of the others
 * in hash order. Printed, bits/note on the withheld files:
 *  - the base model untouched (its LSTM, gate and metre as stored), and its LSTM alone;
 *  - the Markov baseline (../shared/bench/markov-baseline, best LTM+STM by its own validation)
 *    trained on the same N files;
 *  - `runTraining` at its defaults from the base (what `continuo train --from BASE` does): the
 *    engine's model and the LSTM alone, with the wall-clock time of the whole pipeline (probe,
 *    training, memory tuning).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluateBitsPerNote, type EvalPiece } from '../engine/eval/index.js';
import { fnv1a32, isValidationFile } from '../engine/eval/split.js';
import { loadModel, saveModel } from '../engine/model-file/node.js';
import { engineModelFromFile } from '../engine/model/lstm-model.js';
import {
  disableThreads,
  enableThreads,
  loadKernels,
  presetConfig,
  type ModelConfig,
} from '../engine/nn/index.js';
import { VOCAB_SIZE } from '../engine/tokens/index.js';
import { CONDITION_CLASSES } from '../engine/model/encoding.js';
import { DEFAULT_MODEL } from '../engine/train/default-model.js';
import { listMidiFiles, loadMelodies, type LoadedPiece } from '../engine/train/node-io.js';
import { runTraining } from '../engine/train/pipeline.js';
import type { ModelContents } from '../engine/model-file/index.js';

const args = process.argv.slice(2);
const style = args[0];
if (!style || style.startsWith('--')) {
  console.error('usage: npm run study -- fine-tune-study STYLE [--base MODEL] [--sizes 30,300]');
  process.exit(1);
}
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (option('sizes') ?? '30,300').split(',').map(Number);
const corpus = path.resolve('../shared/corpus/nottingham');
// realpath: the baseline runs only when started by its own path (it compares import.meta.url).
const markovDir = fs.realpathSync(path.resolve('../shared/bench/markov-baseline'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-fine-tune-'));
const basePath = option('base') ?? path.join(os.tmpdir(), `continuo-base-without-${style}.continuo`);
const name = (p: LoadedPiece) => path.basename(p.file);

await loadKernels();
await enableThreads();
const listed = await listMidiFiles([corpus]);
const { pieces } = loadMelodies(listed.files);
const styled = pieces.filter((p) => name(p).startsWith(style));
const others = pieces.filter((p) => !name(p).startsWith(style));
if (styled.length === 0) throw new Error(`no file of ${corpus} starts with ${style}`);

if (!fs.existsSync(basePath)) {
  // The bundled model's recipe (network, schedule, transposition) on the other styles, 20 passes.
  const config: ModelConfig = {
    ...presetConfig(DEFAULT_MODEL.preset, VOCAB_SIZE, CONDITION_CLASSES),
    ...DEFAULT_MODEL.overrides,
  };
  console.log(`training ${basePath} on the ${others.length} files not starting with ${style} …`);
  const r = await runTraining(
    {
      pieces: others,
      start: { kind: 'scratch' },
      config,
      steps: 2000,
      seconds: null,
      patience: DEFAULT_MODEL.patience,
      maxTranspose: DEFAULT_MODEL.maxTranspose,
      minLearningRateFraction: DEFAULT_MODEL.minLearningRateFraction,
      extra: { data: [`${corpus} without ${style}*`] },
    },
    {
      onEvent: (e) => e.type === 'validation' && console.log(`  step ${e.step}: ${e.bitsPerNote.toFixed(3)}`),
    },
  );
  await saveModel(basePath, r.model);
}
const base = loadModel(basePath);

const withheld = styled.filter((p) => isValidationFile(name(p), 0.1, 0.45));
const pool = styled
  .filter((p) => !isValidationFile(name(p), 0.1, 0.45))
  .sort((a, b) => fnv1a32(name(a)) - fnv1a32(name(b)));
const scoreOn: EvalPiece[] = withheld.map((p) => ({ name: p.file, melody: p.melody }));
const notes = withheld.reduce((n, p) => n + p.melody.notes.length, 0);

function score(contents: ModelContents): { engine: number; lstm: number } {
  const m = engineModelFromFile(contents, 'model');
  return {
    engine: evaluateBitsPerNote(m.model, scoreOn).bitsPerNote,
    lstm: evaluateBitsPerNote(m.lstm, scoreOn).bitsPerNote,
  };
}

function jsonl(file: string, set: readonly LoadedPiece[]): void {
  const lines = set.map((p) =>
    JSON.stringify({
      file: name(p),
      stepsPerQuarter: 4,
      timeSignature: p.melody.timeSignature,
      notes: p.melody.notes.map((n) => ({ pitch: n.pitch, start: n.start, end: n.start + n.duration })),
    }),
  );
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

interface MarkovRun {
  validation?: { both?: { valBitsPerNote: number } };
  eval: Record<string, { both?: { bitsPerNote: number } }>;
}

function markov(set: readonly LoadedPiece[], tag: string): number {
  const train = path.join(work, `${tag}-train.jsonl`);
  const valid = path.join(work, 'withheld.jsonl');
  jsonl(train, set);
  jsonl(valid, withheld);
  const out = path.join(work, `${tag}-markov`);
  const r = spawnSync(
    process.execPath,
    [
      path.join(markovDir, 'baseline.mjs'),
      '--train',
      train,
      '--eval',
      `withheld=${valid}`,
      '--out',
      out,
      '--quiet',
      '--no-check',
      '--jobs',
      '2',
    ],
    { encoding: 'utf8', env: { ...process.env, TONEJS_DIR: path.resolve('node_modules/@tonejs/midi') } },
  );
  if (r.status !== 0) throw new Error(`the Markov baseline failed:\n${r.stderr}`);
  const runs = (JSON.parse(fs.readFileSync(`${out}.json`, 'utf8')) as { runs: Record<string, MarkovRun> })
    .runs;
  // Chosen by the baseline's own validation split of its training files, not by the withheld files.
  const best = Object.values(runs)
    .filter((run) => run.validation?.both && run.eval.withheld.both)
    .sort((a, b) => a.validation!.both!.valBitsPerNote - b.validation!.both!.valBitsPerNote)[0];
  return best.eval.withheld.both!.bitsPerNote;
}

const untouched = score(base);
console.log(
  `\n${style}: ${styled.length} files, ${withheld.length} withheld (${notes} notes), base ${basePath} ` +
    `(trained on ${others.length} files of the other styles)`,
);
const rows: string[] = [
  `| ${style} | ${sizes.map((n) => `${Math.min(n, pool.length)} files`).join(' | ')} |`,
  `|---|${sizes.map(() => '---|').join('')}`,
  `| base model untouched (engine's model / LSTM alone) | ${sizes.map(() => `${untouched.engine.toFixed(3)} / ${untouched.lstm.toFixed(3)}`).join(' | ')} |`,
];
const markovRow: string[] = [];
const tunedRow: string[] = [];
for (const n of sizes) {
  const set = pool.slice(0, n);
  markovRow.push(markov(set, `n${n}`).toFixed(3));
  const started = performance.now();
  const r = await runTraining({ pieces: set, start: { kind: 'model', name: basePath, contents: base } });
  const seconds = (performance.now() - started) / 1000;
  const s = score(r.model);
  tunedRow.push(
    `${s.engine.toFixed(3)} / ${s.lstm.toFixed(3)} (${seconds.toFixed(0)} s; ${r.stoppedBy} at step ${r.step} of ${r.plan.steps}, best ${r.model.header.training.bestStep as number})`,
  );
  console.log(`  ${n} files: ${r.plan.notes.join('; ')}`);
  for (const w of r.plan.warnings) console.log(`  warning: ${w}`);
}
rows.push(`| Markov baseline on the same files (LTM+STM) | ${markovRow.join(' | ')} |`);
rows.push(`| fine-tuned at defaults (engine's model / LSTM alone, time) | ${tunedRow.join(' | ')} |`);
console.log(`\n${rows.join('\n')}`);
await disableThreads();
fs.rmSync(work, { recursive: true, force: true });
