/**
 * `continuo train --data DIR|FILE... --out MODEL [--preset P] [--epochs N] [--resume MODEL]`
 *
 * Trains an LSTM on the melodies of MIDI files, split by file into training and validation sets
 * (engine/eval/split.ts). Progress goes to stderr. MODEL always holds the best weights so far (a
 * usable model from the first checkpoint on); `MODEL.ckpt` holds what resuming needs. Checkpoints are
 * written every few minutes, after each validation and at the end. Ctrl-C (or SIGTERM) finishes the
 * current step, saves a checkpoint and exits with status 130; `--resume MODEL` continues exactly.
 *
 * `continuo train --default-model` is the recipe of the bundled model (models/MODEL.md): the folk
 * corpus in ../shared/corpus/nottingham, preset and epochs fixed in engine/train/default-model.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_VALIDATION_FRACTION, splitByFile } from '../eval/split.js';
import {
  PRESET_NAMES,
  disableThreads,
  enableThreads,
  loadKernels,
  paramCount,
  presetConfig,
  type ModelConfig,
  type PresetName,
} from '../nn/index.js';
import { VOCAB_SIZE } from '../tokens/index.js';
import { checkpointPathFor, decodeCheckpoint, encodeCheckpoint } from '../train/checkpoint.js';
import { DEFAULT_MODEL } from '../train/default-model.js';
import { CONDITION_CLASSES } from '../model/encoding.js';
import { listMidiFiles, loadMelodies, saveLstmModel } from '../train/node-io.js';
import { writeFileAtomic } from '../disk/node.js';
import { LstmTokenModel } from '../model/lstm-model.js';
import { ResumeError, train, type TrainerSnapshot, type TrainerState } from '../train/trainer.js';
import { finishModel } from '../train/finish.js';
import { recipeCorpus, refitModel } from './train-refit.js';
import { UsageError, type CliIo } from './verb.js';

function presetSize(name: PresetName): string {
  const c = presetConfig(name, VOCAB_SIZE, CONDITION_CLASSES);
  return `${c.layers}x${c.hiddenSize}, ${(paramCount(c) / 1e6).toFixed(2)} M weights`;
}

export const usage = `--data DIR|FILE... --out MODEL [--preset P] [--epochs N] [--resume MODEL] [--seed S]
       [--patience N] [--checkpoint-minutes M] [--threads auto|N] [--split-offset F]
   or: continuo train --default-model [--split-offset F --out MODEL]
   or: continuo train --refit MODEL [--out PATH]
  --data        MIDI files or folders (searched recursively); all other positional arguments too
  --out         model file to write; MODEL.ckpt beside it holds the training state for --resume
  --preset      ${PRESET_NAMES.map((p) => `${p} (${presetSize(p)})`).join(', ')}; default standard
  --epochs      passes over the training tunes (default 20)
  --resume      continue the training saved in MODEL.ckpt (same data; --out defaults to MODEL)
  --seed        seed of weights, batches and dropout (default 1)
  --patience    stop after N validations (one per epoch) without a new best (default 5, 0 = never)
  --checkpoint-minutes  minutes between checkpoints (default 2)
  --threads     threads for the big matrix products: auto (default) measures and uses more only where
                faster here; N forces N (1 = none). Results are bit-identical either way.
  --split-offset   validate on the files whose name hash falls in [F, F + 0.1) of its range instead of
                [0, 0.1) (engine/eval/split.ts): a disjoint validation set, recorded in MODEL
  --default-model  train the bundled default model (see models/MODEL.md)
  --refit       fit the memory gate and metre of MODEL again on the data and split it records and
                write it (to PATH, default MODEL) with the same weights`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function positiveInt(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || (!allowZero && n === 0))
    throw new UsageError(`--${name} needs a whole number${allowZero ? ' ≥ 0' : ' ≥ 1'}, got "${text}"`);
  return n;
}

function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', multiple: true },
      out: { type: 'string' },
      preset: { type: 'string' },
      epochs: { type: 'string' },
      resume: { type: 'string' },
      seed: { type: 'string' },
      patience: { type: 'string' },
      'checkpoint-minutes': { type: 'string' },
      threads: { type: 'string' },
      'default-model': { type: 'boolean' },
      'split-offset': { type: 'string' },
      refit: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });

  if (values.refit !== undefined) {
    const others = Object.keys(values).filter((k) => k !== 'refit' && k !== 'out');
    if (others.length > 0 || positionals.length > 0)
      throw new UsageError(`--refit takes only --out (got --${others[0] ?? 'data'})`);
    return refitModel(values.refit, values.out ?? values.refit, io);
  }

  let resume: TrainerSnapshot | undefined;
  let resumeState: TrainerState | undefined;
  let resumedFrom = '';
  if (values.resume !== undefined) {
    const ckptPath = values.resume.endsWith('.ckpt') ? values.resume : checkpointPathFor(values.resume);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(ckptPath);
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? String(error.code) : '';
      io.stderr.write(
        `continuo train: ${ckptPath}: ${code === 'ENOENT' ? 'no checkpoint to resume from (no such file)' : `cannot read (${code})`}\n`,
      );
      return 1;
    }
    try {
      resume = decodeCheckpoint(bytes, ckptPath) as TrainerSnapshot;
    } catch (error) {
      io.stderr.write(`continuo train: ${(error as Error).message}\n`);
      return 1;
    }
    resumeState = resume.state;
    resumedFrom = ckptPath;
    if (resumeState?.kind !== 'continuo-training-state') {
      io.stderr.write(`continuo train: ${ckptPath}: not a training checkpoint of this version\n`);
      return 1;
    }
  }

  const resumesDefault = (resumeState?.extra as { recipe?: string } | undefined)?.recipe === 'default-model';
  const recipe = values['default-model'] || resumesDefault ? DEFAULT_MODEL : null;
  let dataArgs = [...(values.data ?? []), ...positionals];
  let out = values.out;
  if (recipe) {
    if (dataArgs.length > 0 || values.preset || values.epochs || values.seed) {
      throw new UsageError('--default-model fixes data, preset, epochs and seed; give none of them');
    }
    const corpus = recipeCorpus(recipe.data);
    if (!fs.existsSync(corpus)) {
      io.stderr.write(
        `continuo train: the default model is trained on ${corpus}, which does not exist (the team's shared corpus is not beside this clone)\n`,
      );
      return 1;
    }
    dataArgs = [corpus];
    if (values['split-offset'] !== undefined && Number(values['split-offset']) !== 0 && out === undefined)
      throw new UsageError('--default-model with --split-offset makes another model: give --out MODEL');
    out ??= path.resolve(repoRoot, recipe.out);
  }
  if (resumeState) {
    const extra = resumeState.extra as { data?: string[]; out?: string };
    if (dataArgs.length === 0 && Array.isArray(extra.data)) dataArgs = extra.data;
    out ??= values.resume!.endsWith('.ckpt') ? values.resume!.slice(0, -'.ckpt'.length) : values.resume!;
  }
  if (dataArgs.length === 0) throw new UsageError('no training data given (--data DIR|FILE...)');
  if (out === undefined) throw new UsageError('no output model given (--out MODEL)');

  let preset: PresetName = recipe?.preset ?? 'standard';
  if (values.preset !== undefined) {
    if (!(PRESET_NAMES as readonly string[]).includes(values.preset)) {
      throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got "${values.preset}"`);
    }
    preset = values.preset as PresetName;
  }
  let config: ModelConfig = {
    ...presetConfig(preset, VOCAB_SIZE, CONDITION_CLASSES),
    ...(recipe?.overrides ?? {}),
  };
  if (resumeState) {
    if (values.preset !== undefined && JSON.stringify(config) !== JSON.stringify(resumeState.config)) {
      throw new UsageError(
        `--preset ${values.preset} differs from the configuration of the training being resumed`,
      );
    }
    config = resumeState.config;
  }
  const epochs = positiveInt('epochs', values.epochs, recipe?.epochs ?? resumeState?.settings.epochs ?? 20);
  const seed = positiveInt('seed', values.seed, recipe?.seed ?? resumeState?.seed ?? 1, true);
  const patience = positiveInt(
    'patience',
    values.patience,
    resumeState?.settings.patience ?? recipe?.patience ?? 5,
    true,
  );
  const minutesText = values['checkpoint-minutes'];
  const checkpointMinutes = minutesText === undefined ? 2 : Number(minutesText);
  if (!(checkpointMinutes > 0))
    throw new UsageError(`--checkpoint-minutes needs a positive number, got "${minutesText}"`);
  const threadsText = values.threads ?? 'auto';
  if (threadsText !== 'auto' && !/^[1-9]\d*$/.test(threadsText)) {
    throw new UsageError(`--threads needs "auto" or a whole number ≥ 1, got "${threadsText}"`);
  }

  const outDir = path.dirname(path.resolve(out));
  if (!fs.existsSync(outDir)) {
    io.stderr.write(`continuo train: ${out}: the folder ${outDir} does not exist\n`);
    return 1;
  }

  const listed = await listMidiFiles(dataArgs);
  for (const p of listed.problems) io.stderr.write(`continuo train: ${p}\n`);
  const loaded = loadMelodies(listed.files);
  for (const p of loaded.problems) io.stderr.write(`continuo train: ${p} (skipped)\n`);
  if (loaded.pieces.length === 0) {
    io.stderr.write('continuo train: no usable melodies in the data given\n');
    return 1;
  }
  const resumedOffset = (resumeState?.extra as { splitOffset?: number } | undefined)?.splitOffset ?? 0;
  const offsetText = values['split-offset'];
  const splitOffset = offsetText === undefined ? resumedOffset : Number(offsetText);
  if (!(splitOffset >= 0 && splitOffset <= 1 - DEFAULT_VALIDATION_FRACTION) || offsetText?.trim() === '')
    throw new UsageError(
      `--split-offset needs a number 0..${1 - DEFAULT_VALIDATION_FRACTION}, got "${offsetText}"`,
    );
  if (resumeState && splitOffset !== resumedOffset)
    throw new UsageError(
      `--split-offset ${splitOffset} differs from the training being resumed (${resumedOffset})`,
    );
  let { train: trainSet, validation } = splitByFile(
    loaded.pieces,
    (p) => p.file,
    DEFAULT_VALIDATION_FRACTION,
    splitOffset,
  );
  if (trainSet.length === 0) {
    io.stderr.write(
      'continuo train: every file falls in the validation split; training on all of them without validation\n',
    );
    trainSet = validation;
    validation = [];
  }
  if (validation.length === 0)
    io.stderr.write('continuo train: no file falls in the validation split; the last weights are kept\n');

  const checkpointPath = checkpointPathFor(out);
  const trainingInfo = (
    state: TrainerState,
  ): { training: Record<string, unknown>; metrics: Record<string, unknown> } => ({
    training: {
      data: dataArgs.map((d) => (recipe ? recipe.data : d)),
      trainFiles: trainSet.length,
      validationFiles: validation.length,
      split: `engine/eval/split.ts (FNV-1a of the base name, 10 %${splitOffset ? `, from ${splitOffset}` : ''})`,
      ...(splitOffset ? { splitOffset } : {}),
      preset,
      seed,
      epochs,
      steps: state.step,
      bestStep: state.bestStep,
      trainingSeconds: Math.round(state.elapsedSec),
      parameters: paramCount(config),
      finished: state.finished,
      // generation keeps the in-piece memories to the pitches the LSTM learned (engine/memory)
      pitchRange: state.settings.pitchRange,
    },
    metrics: state.bestBitsPerNote === null ? {} : { validationBitsPerNoteLstm: state.bestBitsPerNote },
  });

  const abort = new AbortController();
  const onSignal = () => {
    if (!abort.signal.aborted)
      io.stderr.write(
        '\ncontinuo train: interrupted; saving a checkpoint after this step (Ctrl-C again to quit at once)\n',
      );
    else process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  io.stderr.write(
    `continuo train: ${trainSet.length} training and ${validation.length} validation tunes; preset ${preset} ` +
      `(${config.layers}x${config.hiddenSize} LSTM, ${paramCount(config).toLocaleString('en-US')} weights); ` +
      (resumeState ? `resuming at step ${resumeState.step}` : `${epochs} epochs`) +
      '\n',
  );
  // Helper threads split the big GEMMs; threaded products are bit-identical to one thread's, so
  // checkpoints, resume and the default model's reproducibility do not depend on this choice.
  await loadKernels();
  const threads =
    threadsText === 'auto'
      ? await enableThreads()
      : threadsText === '1'
        ? null
        : await enableThreads({ force: true, threads: Number(threadsText) });
  io.stderr.write(
    threads === null
      ? 'continuo train: 1 thread (--threads 1)\n'
      : threads.enabled
        ? `continuo train: ${threads.threads} threads (matrix products ${threads.speedup}× as fast as on one, measured now)\n`
        : `continuo train: 1 thread (${threads.reason})\n`,
  );
  let lastLine = 0;
  try {
    const result = await train({
      config,
      train: trainSet.map((p) => p.melody),
      validation: validation.map((p) => p.melody),
      seed,
      epochs,
      patience,
      maxTranspose: resumeState?.settings.maxTranspose ?? recipe?.maxTranspose ?? 6,
      pitchRange: resumeState?.settings.pitchRange,
      minLearningRateFraction:
        resumeState?.settings.minLearningRateFraction ?? recipe?.minLearningRateFraction ?? 0.1,
      checkpointEveryMs: checkpointMinutes * 60_000,
      resume,
      signal: abort.signal,
      extra: {
        data: dataArgs,
        ...(recipe ? { recipe: 'default-model' } : {}),
        ...(splitOffset ? { splitOffset } : {}),
      },
      callbacks: {
        onStep: (r) => {
          const now = Date.now();
          if (now - lastLine < 10_000 && r.step > 1) return;
          lastLine = now;
          io.stderr.write(
            `step ${r.step}  epoch ${r.epoch.toFixed(2)}  loss ${r.loss.toFixed(3)}  grad ${r.gradNorm.toFixed(2)}  ` +
              `lr ${r.learningRate.toExponential(1)}  ${Math.round(r.tokensPerSec)} tok/s  ETA ${formatDuration(r.etaSec)}\n`,
          );
        },
        onValidation: (v) =>
          io.stderr.write(
            `validation at step ${v.step} (epoch ${v.epoch.toFixed(2)}): ${v.bitsPerNote.toFixed(3)} bits/note` +
              `${v.improved ? ' (best)' : `, best ${v.bestBitsPerNote.toFixed(3)} at step ${v.bestStep}`}\n`,
          ),
        onCheckpoint: (step) => io.stderr.write(`checkpoint at step ${step}: ${out} and ${checkpointPath}\n`),
      },
      saveCheckpoint: async (snapshot, bestParams) => {
        // Model first: a checkpoint never points past the model file that goes with it.
        await saveLstmModel(out, config, bestParams, trainingInfo(snapshot.state));
        await writeFileAtomic(checkpointPath, encodeCheckpoint(snapshot));
      },
    });
    const best =
      result.bestBitsPerNote === null
        ? 'no validation'
        : `validation ${result.bestBitsPerNote.toFixed(3)} bits/note (LSTM alone, step ${result.bestStep})`;
    if (result.stoppedBy === 'abort') {
      io.stderr.write(
        `continuo train: stopped at step ${result.step}; ${best}; resume with: continuo train --resume ${out}\n`,
      );
      return 130;
    }
    const why =
      result.stoppedBy === 'early-stop'
        ? 'stopped early (validation stopped improving)'
        : `finished ${epochs} epochs`;
    io.stderr.write(
      `continuo train: ${why} at step ${result.step} in ${formatDuration(result.elapsedSec)}; ${best}\n`,
    );
    const info = trainingInfo(result.snapshot.state);
    const finished = finishModel({
      lstm: new LstmTokenModel(config, result.params),
      train: trainSet.map((p) => p.melody),
      validation: validation.map((p) => ({ name: p.file, melody: p.melody })),
      pitchRange: result.snapshot.state.settings.pitchRange,
      onStep: (line) => io.stderr.write(`${line}\n`),
    });
    info.metrics = { ...info.metrics, ...finished.metrics };
    await saveLstmModel(out, config, result.params, {
      ...info,
      memory: finished.memory,
      metre: finished.metre,
      memorisation: finished.memorisation,
    });
    io.stderr.write(`continuo train: wrote ${out}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ResumeError)) throw error;
    io.stderr.write(`continuo train: ${resumedFrom}: ${error.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await disableThreads();
  }
}
