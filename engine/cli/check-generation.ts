/**
 * `continuo check-generation [--model MODEL] [FILE|DIR...] [--variations N] [--json]`
 *
 * Does the model's generation sound like the tunes it learned from? On the model's validation tunes
 * (tunes it never trained on: the validation split of engine/eval/split.ts, by default of the team's
 * folk corpus), the first 8 bars of each tune are continued by 8 bars as `continuo generate` does, at
 * temperature 1, at temperature 0.8 with top-p 0.95 and at the app's defaults, and compared with the
 * tunes' own bars 9–16 (engine/eval/generation-check.ts): mechanical loops, notes outside the pitch
 * range the model was trained on, notes held across a bar line, restatements of the seed. At the
 * app's defaults it sweeps the novelty too (0, 0.25, the model's own, 0.75, 1), so users see what
 * their choice does. The LSTM alone is measured too, and the model's bits/note on the same tunes.
 * `continuo bench` prints the same report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_VALIDATION_FRACTION,
  evaluateBitsPerNote,
  isValidationFile,
  splitOffsetOf,
} from '../eval/index.js';
import {
  LOOP_MIN_NOTES,
  RESTATED_SHARE,
  checkGeneration,
  checkRealContinuations,
  type CheckSummary,
  type CheckTune,
} from '../eval/generation-check.js';
import type { Note } from '../midi/types.js';
import { ModelFileError, type ModelContents } from '../model-file/index.js';
import { MEMO_WARNING_NOTES, memorisationOf } from '../model/memorisation.js';
import { loadModel } from '../model-file/node.js';
import { DEFAULT_NOVELTY } from '../memory/novelty.js';
import { GENERATION_DEFAULTS } from '../sample/defaults.js';
import type { SamplingSettings } from '../sample/index.js';
import { DEFAULT_MODEL } from '../train/default-model.js';
import { engineModelFromFile } from '../model/lstm-model.js';
import { listMidiFiles, loadMelodies } from '../train/node-io.js';
import { trainingPitchRange } from '../train/trainer.js';
import { UsageError, type CliIo } from './verb.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEFAULT_CORPUS = path.resolve(repoRoot, DEFAULT_MODEL.data);

export const usage = `[--model MODEL] [FILE|DIR...] [--variations N] [--json]
  --model       the model to check (default ${DEFAULT_MODEL.out})
  FILE|DIR      the corpus whose validation tunes are continued (default ${DEFAULT_MODEL.data}), split
                where the model was (its --split-offset); the other files give the training pitch
                range when the model file does not record it
  --variations  continuations per tune (default 4)
  --json        print one JSON object instead of a table`;

export interface CheckRow {
  label: string;
  summary: Omit<CheckSummary, 'perContinuation'>;
}

export interface GenerationReport {
  model: string;
  tunes: number;
  variations: number;
  range: { min: number; max: number; from: string };
  bitsPerNote: number;
  notes: number;
  rows: CheckRow[];
}

/** The settings measured: the issue's two and the app's defaults. */
export const CHECK_SETTINGS: { label: string; sampling: SamplingSettings }[] = [
  { label: 'temperature 1', sampling: { temperature: 1 } },
  { label: 'temperature 0.8, top-p 0.95', sampling: { temperature: 0.8, topP: 0.95 } },
  {
    label: 'app defaults',
    sampling: {
      temperature: GENERATION_DEFAULTS.temperature,
      topK: GENERATION_DEFAULTS.topK,
      topP: GENERATION_DEFAULTS.topP,
    },
  },
];

/** The novelties swept at the app's defaults (besides the model's own). */
export const NOVELTY_SWEEP = [0, 0.25, 0.75, 1];

/** Runs the whole check; throws ModelFileError (or an Error naming the file) for an unusable model. */
export async function generationReport(
  modelFile: string,
  corpus: readonly string[],
  variations = 4,
  onRow?: (row: CheckRow) => void,
): Promise<GenerationReport> {
  const contents: ModelContents = loadModel(modelFile);
  const engine = engineModelFromFile(contents, modelFile);
  const listed = await listMidiFiles(corpus);
  const offset = splitOffsetOf(contents.header.training);
  const isValidation = (f: string) => isValidationFile(f, DEFAULT_VALIDATION_FRACTION, offset);
  const validationFiles = listed.files.filter(isValidation);
  const tunes: CheckTune[] = loadMelodies(validationFiles).pieces.map((p) => ({
    name: path.basename(p.file),
    melody: p.melody,
  }));
  if (tunes.length === 0) throw new RangeError(`no validation tunes in ${corpus.join(', ')}`);
  const stored = contents.header.training.pitchRange as { min: number; max: number } | undefined;
  const range = stored
    ? { ...stored, from: `${path.basename(modelFile)}'s training range` }
    : {
        ...trainingPitchRange(
          loadMelodies(listed.files.filter((f) => !isValidation(f))).pieces.map((p) => p.melody),
        ),
        from: 'the training tunes of the corpus ± 3',
      };
  const memo = memorisationOf(contents, modelFile);
  const options = {
    range,
    variations,
    ...('index' in memo
      ? { longestRun: (notes: readonly Note[], from: number) => memo.index.longestRun(notes, from).notes }
      : {}),
  };
  const rows: CheckRow[] = [];
  const add = (label: string, s: CheckSummary) => {
    const { perContinuation: _p, ...summary } = s;
    const row = { label, summary };
    rows.push(row);
    onRow?.(row);
  };
  add('the tunes themselves (bars 9–16)', checkRealContinuations(tunes, options));
  for (const s of CHECK_SETTINGS) add(s.label, checkGeneration(engine.model, tunes, s.sampling, options));
  const own = engine.memory?.novelty ?? DEFAULT_NOVELTY;
  const appDefaults = CHECK_SETTINGS[CHECK_SETTINGS.length - 1];
  if (engine.memory !== null)
    for (const novelty of [...new Set([...NOVELTY_SWEEP, own])].sort((a, b) => a - b)) {
      const label = `app defaults, novelty ${novelty}${novelty === own ? ' (default)' : ''}`;
      add(label, checkGeneration(engine.model, tunes, { ...appDefaults.sampling, novelty }, options));
    }
  for (const s of CHECK_SETTINGS.slice(0, 2))
    add(`LSTM alone, ${s.label}`, checkGeneration(engine.lstm, tunes, s.sampling, options));
  const scored = evaluateBitsPerNote(engine.model, tunes);
  return {
    model: modelFile,
    tunes: tunes.length,
    variations,
    range,
    bitsPerNote: scored.bitsPerNote,
    notes: scored.notes,
    rows,
  };
}

const percent = (n: number, of: number) => (of > 0 ? `${((100 * n) / of).toFixed(1)}%` : '–');

/** One line of the table: the row's counts, bar-line crossings by the metres present. */
export function formatRow(row: CheckRow, metres: readonly string[]): string {
  const s = row.summary;
  const held = metres.map((m) => {
    const x = s.metre[m];
    return `${m} ${x ? percent(x.crossings, x.notes) : '–'}`;
  });
  return (
    `${row.label.padEnd(42)} ${String(s.loops).padStart(3)} of ${String(s.continuations).padEnd(4)} loops; ` +
    `${String(s.strayNotes).padStart(3)} stray notes in ${String(s.strayContinuations).padStart(2)}; ` +
    `pitches ${s.lowest}–${s.highest}; held over a bar line ${percent(s.crossings, s.notes)} (${held.join(', ')}); ` +
    `restate the seed ${percent(s.restated, s.continuations)} (${percent(s.copied, s.continuations)} note for note)` +
    (s.copying >= 0
      ? `; ${percent(s.copying, s.continuations)} with a run of ≥ ${MEMO_WARNING_NOTES} training notes (median longest run ${s.medianVerbatim >= MEMO_WARNING_NOTES ? s.medianVerbatim : `< ${MEMO_WARNING_NOTES}`})`
      : '')
  );
}

export const METRES_SHOWN = ['4/4', '6/8', '3/4', '2/4'];

export function formatReport(r: GenerationReport): string[] {
  return [
    `generation check: ${r.model}, ${r.tunes} validation tunes, first 8 bars continued by 8 bars, ${r.variations} continuations each`,
    `  loop = a figure of ≤ 8 notes repeated over ≥ ${LOOP_MIN_NOTES} notes; stray = outside MIDI ${r.range.min}–${r.range.max} (${r.range.from}); ` +
      `restate = ≥ ${RESTATED_SHARE * 100}% of the notes as in bars 1–8 (note for note: all of them, nothing else)`,
    ...r.rows.map((row) => '  ' + formatRow(row, METRES_SHOWN)),
    `  bits/note of the model on these tunes: ${r.bitsPerNote.toFixed(3)} over ${r.notes} notes`,
  ];
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      variations: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const variations = values.variations === undefined ? 4 : Number(values.variations);
  if (!Number.isInteger(variations) || variations < 1 || variations > 64)
    throw new UsageError(`--variations needs a whole number 1..64, got "${values.variations}"`);
  const modelFile = values.model ?? path.join(repoRoot, DEFAULT_MODEL.out);
  const corpus = positionals.length > 0 ? positionals : [DEFAULT_CORPUS];
  for (const c of corpus) {
    if (!fs.existsSync(c)) {
      io.stderr.write(`continuo check-generation: ${c}: no such file or directory\n`);
      return 1;
    }
  }
  let report: GenerationReport;
  try {
    report = await generationReport(modelFile, corpus, variations);
  } catch (error) {
    const oneLine =
      error instanceof ModelFileError ||
      error instanceof RangeError ||
      (error instanceof Error && error.message.startsWith(modelFile));
    if (!oneLine) throw error;
    io.stderr.write(`continuo check-generation: ${error.message}\n`);
    return 1;
  }
  io.stdout.write(values.json ? JSON.stringify(report) + '\n' : formatReport(report).join('\n') + '\n');
  return 0;
}
