/**
 * `continuo eval --model MODEL FILE|DIR... [--json] [--split validation|train|all] [--lstm-only]`
 *
 * Bits per note of the model on the melodies of the given MIDI files (engine/eval): each piece read
 * from its start to its end, leading rest, notes and END included. The model is the engine's scoring
 * model of the file: the LSTM mixed with the in-piece memory when the file says the mixture won on
 * validation; `--lstm-only` scores the LSTM alone. `--split validation` keeps only the files of the
 * team's validation split (engine/eval/split.ts), which is how models/MODEL.md's numbers are made.
 * Unreadable files are reported one line each on stderr, the rest are scored, and the exit status is 1.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_VALIDATION_FRACTION,
  evaluateBitsPerNote,
  isValidationFile,
  splitOffsetOf,
} from '../eval/index.js';
import { ModelFileError } from '../model-file/index.js';
import { loadModel } from '../model-file/node.js';
import { engineModelFromFile } from '../model/lstm-model.js';
import { listMidiFiles, loadMelodies } from '../train/node-io.js';
import { UsageError, type CliIo } from './verb.js';

export const usage = `--model MODEL FILE|DIR... [--json] [--split validation|train|all] [--lstm-only]
  Prints "bits/note: X over N notes in F files" (lower is better); --json prints {"bitsPerNote","notes","files"}.
  --split      score only the files of the validation (or training) split of engine/eval/split.ts
               (the model's own: a model trained with --split-offset is split at its offset)
  --lstm-only  score the LSTM without the in-piece memory`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      json: { type: 'boolean' },
      split: { type: 'string' },
      'lstm-only': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.model === undefined) throw new UsageError('no model given (--model MODEL)');
  if (positionals.length === 0) throw new UsageError('no MIDI files given');
  const split = values.split ?? 'all';
  if (split !== 'validation' && split !== 'train' && split !== 'all') {
    throw new UsageError(`--split must be validation, train or all, got "${split}"`);
  }

  let engine;
  let offset = 0;
  try {
    const contents = loadModel(values.model);
    offset = splitOffsetOf(contents.header.training);
    engine = engineModelFromFile(contents, values.model);
  } catch (error) {
    if (
      !(error instanceof ModelFileError) &&
      !(error instanceof Error && error.message.startsWith(values.model))
    )
      throw error;
    io.stderr.write(`continuo eval: ${error.message}\n`);
    return 1;
  }
  const model = values['lstm-only'] ? engine.lstm : engine.model;

  const listed = await listMidiFiles(positionals);
  const files =
    split === 'all'
      ? listed.files
      : listed.files.filter(
          (f) => isValidationFile(f, DEFAULT_VALIDATION_FRACTION, offset) === (split === 'validation'),
        );
  const loaded = loadMelodies(files);
  const problems = [...listed.problems, ...loaded.problems];
  for (const p of problems) io.stderr.write(`continuo eval: ${p}\n`);
  if (loaded.pieces.length === 0) {
    io.stderr.write('continuo eval: no melodies to score\n');
    return 1;
  }
  const result = evaluateBitsPerNote(
    model,
    loaded.pieces.map((p) => ({ name: p.file, melody: p.melody })),
  );
  if (values.json) {
    io.stdout.write(
      JSON.stringify({ bitsPerNote: result.bitsPerNote, notes: result.notes, files: result.pieces }) + '\n',
    );
  } else {
    io.stdout.write(
      `bits/note: ${result.bitsPerNote.toFixed(3)} over ${result.notes} notes in ${result.pieces} files\n`,
    );
  }
  return problems.length > 0 ? 1 : 0;
}
