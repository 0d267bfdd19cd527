/**
 * `continuo train --refit MODEL [--out PATH]`: fits again what sits around a trained LSTM (the
 * in-piece memory's gate, the metre correction: engine/train/finish.ts) on the data and split the
 * model file records, and writes the model with the same weights. How a model made before a change
 * to those parts gets them without training again; `continuo train` ends with the same step, so a
 * refitted model is what training from scratch would write.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_VALIDATION_FRACTION, splitByFile, splitOffsetOf } from '../eval/split.js';
import { ModelFileError } from '../model-file/index.js';
import { loadModel } from '../model-file/node.js';
import type { ModelConfig } from '../nn/index.js';
import { DEFAULT_MODEL } from '../train/default-model.js';
import { finishModel } from '../train/finish.js';
import { LstmTokenModel } from '../model/lstm-model.js';
import { listMidiFiles, loadMelodies, saveLstmModel } from '../train/node-io.js';
import { trainingPitchRange } from '../train/trainer.js';
import type { CliIo } from './verb.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Where a recipe's data folder is on this machine: beside the repository, or under CONTINUO_SHARED
 * (another copy of the team's shared folder, as in the tests' helper).
 */
export function recipeCorpus(data: string): string {
  const shared = process.env.CONTINUO_SHARED;
  return shared ? path.resolve(shared, path.relative('../shared', data)) : path.resolve(repoRoot, data);
}

export async function refitModel(file: string, out: string, io: CliIo): Promise<number> {
  let contents;
  try {
    contents = loadModel(file);
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    io.stderr.write(`continuo train: ${error.message}\n`);
    return 1;
  }
  const { header } = contents;
  const recorded = header.training.data;
  if (!Array.isArray(recorded) || recorded.length === 0 || !recorded.every((d) => typeof d === 'string')) {
    io.stderr.write(`continuo train: ${file}: records no training data to refit on\n`);
    return 1;
  }
  const isRecipe = recorded.length === 1 && recorded[0] === DEFAULT_MODEL.data;
  const data = isRecipe ? [recipeCorpus(DEFAULT_MODEL.data)] : (recorded as string[]);
  const listed = await listMidiFiles(data);
  if (listed.problems.length > 0) {
    for (const p of listed.problems) io.stderr.write(`continuo train: ${p}\n`);
    io.stderr.write(`continuo train: ${file}: its training data cannot be read here, nothing written\n`);
    return 1;
  }
  const loaded = loadMelodies(listed.files);
  for (const p of loaded.problems) io.stderr.write(`continuo train: ${p} (skipped)\n`);
  const { train, validation } = splitByFile(
    loaded.pieces,
    (p) => p.file,
    DEFAULT_VALIDATION_FRACTION,
    splitOffsetOf(header.training),
  );
  if (train.length !== header.training.trainFiles || validation.length !== header.training.validationFiles) {
    io.stderr.write(
      `continuo train: ${file} was trained on ${String(header.training.trainFiles)} + ${String(header.training.validationFiles)} tunes; ` +
        `its data here split into ${train.length} + ${validation.length}, so it is not the same data; nothing written\n`,
    );
    return 1;
  }
  const config = header.config as ModelConfig;
  const stored = header.training.pitchRange as { min: number; max: number } | undefined;
  const pitchRange = stored ?? trainingPitchRange(train.map((p) => p.melody));
  io.stderr.write(
    `continuo train: refitting ${file} on ${train.length} training and ${validation.length} validation tunes (same weights)\n`,
  );
  const finished = finishModel({
    lstm: new LstmTokenModel(config, contents.weights),
    train: train.map((p) => p.melody),
    validation: validation.map((p) => ({ name: p.file, melody: p.melody })),
    pitchRange,
    onStep: (line) => io.stderr.write(`${line}\n`),
  });
  const metrics = { ...header.metrics };
  for (const key of Object.keys(metrics)) if (key !== 'validationBitsPerNoteLstm') delete metrics[key];
  await saveLstmModel(out, config, contents.weights, {
    training: { ...header.training, pitchRange },
    metrics: { ...metrics, ...finished.metrics },
    memory: finished.memory,
    metre: finished.metre,
    memorisation: finished.memorisation,
  });
  io.stderr.write(`continuo train: wrote ${out}\n`);
  return 0;
}
