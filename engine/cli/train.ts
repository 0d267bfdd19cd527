/**
 * `continuo train --data DIR|FILE... --out MODEL [--from MODEL|scratch] [--preset P] [--steps N]
 * [--minutes M] [--resume MODEL]`
 *
 * The file side of the training pipeline (engine/train/pipeline.ts, which the app's worker runs
 * too): reads the MIDI files and the start model, prints the pipeline's plan, warnings and progress
 * to stderr, writes checkpoints and the model. MODEL always holds the best weights so far (a usable
 * model from the first checkpoint on); `MODEL.ckpt` holds what resuming needs. Checkpoints are
 * written every few minutes, after each validation and at the end. Ctrl-C (or SIGTERM) finishes the
 * current step, saves a checkpoint and exits with status 130; `--resume MODEL` continues exactly.
 *
 * By default training starts from the bundled model (models/default.continuo) when it fits the
 * engine, and says so; otherwise, or with `--from scratch`, from random weights.
 *
 * `continuo train --default-model` is the recipe of the bundled model (models/MODEL.md): the folk
 * corpus in ../shared/corpus/nottingham, from scratch, network and steps fixed in
 * engine/train/default-model.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_VALIDATION_FRACTION } from '../eval/split.js';
import { ModelFileError, type ModelContents } from '../model-file/index.js';
import { loadModel, saveModel } from '../model-file/node.js';
import { disableThreads, enableThreads, loadKernels, presetConfig, type ModelConfig } from '../nn/index.js';
import { VOCAB_SIZE } from '../tokens/index.js';
import { checkpointPathFor, decodeCheckpoint, encodeCheckpoint } from '../train/checkpoint.js';
import { DEFAULT_MODEL } from '../train/default-model.js';
import { CONDITION_CLASSES } from '../model/encoding.js';
import { listMidiFiles, loadMelodies } from '../train/node-io.js';
import { writeFileAtomic } from '../disk/node.js';
import { ResumeError, type TrainerSnapshot, type TrainerState } from '../train/trainer.js';
import {
  TRAINING_PRESETS,
  TRAINING_PRESET_NAMES,
  TrainingRequestError,
  runTraining,
  type StartModel,
  type TrainingPresetName,
  type TrainingRequest,
} from '../train/pipeline.js';
import { recipeCorpus, refitModel } from './train-refit.js';
import { UsageError, type CliIo } from './verb.js';

function presetText(name: TrainingPresetName): string {
  const p = TRAINING_PRESETS[name];
  const c = presetConfig(p.network, VOCAB_SIZE, CONDITION_CLASSES);
  return `${name} (${p.summary}: ${p.seconds} s of training, at most ${p.maxSteps} steps; from scratch ${c.layers}x${c.hiddenSize})`;
}

export const usage = `--data DIR|FILE... --out MODEL [--from MODEL|scratch] [--preset P] [--steps N] [--minutes M]
       [--resume MODEL] [--seed S] [--patience N] [--checkpoint-minutes M] [--threads auto|N] [--split-offset F]
   or: continuo train --default-model [--split-offset F --out MODEL]
   or: continuo train --refit MODEL [--out PATH]
  --data        MIDI files or folders (searched recursively); all other positional arguments too
  --out         model file to write; MODEL.ckpt beside it holds the training state for --resume
  --from        the model to fine-tune, or "scratch" for random weights. Default: the bundled
                models/default.continuo whenever it fits this engine (said when it does not)
  --preset      how long to train: ${TRAINING_PRESET_NAMES.map(presetText).join('; ')}.
                Default quick from a model, standard from scratch. A short timed probe sizes the
                step budget to the time on this computer
  --steps       train exactly N steps (no time budget unless --minutes is given too)
  --minutes     time budget in minutes (pauses not counted)
  --resume      continue the training saved in MODEL.ckpt (same data; --out defaults to MODEL)
  --seed        seed of weights, batches and dropout (default 1)
  --patience    stop after N validations without a new best, counted once the model beats the
                note-frequency baseline of the data (default 8, 0 = never)
  --checkpoint-minutes  minutes between checkpoints (default 2)
  --threads     threads for the big matrix products: auto (default) measures and uses more only where
                faster here; N forces N (1 = none). Results are bit-identical either way.
  --split-offset   validate on the files whose name hash falls in [F, F + 0.1) of its range instead of
                [0, 0.1) (engine/eval/split.ts): a disjoint validation set, recorded in MODEL
  --default-model  train the bundled default model (see models/MODEL.md)
  --refit       fit the memory gate and metre of MODEL again on the data and split it records and
                write it (to PATH, default MODEL) with the same weights`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The bundled model `--from` defaults to. */
export const BUNDLED_MODEL = path.join(repoRoot, DEFAULT_MODEL.out);

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

function readStart(file: string, io: CliIo): ModelContents | null {
  try {
    return loadModel(file);
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    io.stderr.write(`continuo train: ${error.message}\n`);
    return null;
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', multiple: true },
      out: { type: 'string' },
      from: { type: 'string' },
      preset: { type: 'string' },
      steps: { type: 'string' },
      minutes: { type: 'string' },
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
  const resumedExtra = (resumeState?.extra ?? {}) as {
    recipe?: string;
    data?: string[];
    from?: string;
    splitOffset?: number;
  };

  const recipe = values['default-model'] || resumedExtra.recipe === 'default-model' ? DEFAULT_MODEL : null;
  let dataArgs = [...(values.data ?? []), ...positionals];
  let out = values.out;
  if (recipe) {
    if (
      dataArgs.length > 0 ||
      values.preset ||
      values.steps ||
      values.minutes ||
      values.seed ||
      values.from
    ) {
      throw new UsageError('--default-model fixes data, start, preset, steps and seed; give none of them');
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
    if (dataArgs.length === 0 && Array.isArray(resumedExtra.data)) dataArgs = resumedExtra.data;
    out ??= values.resume!.endsWith('.ckpt') ? values.resume!.slice(0, -'.ckpt'.length) : values.resume!;
    if (values.from !== undefined && values.from !== resumedExtra.from)
      throw new UsageError(
        `--from ${values.from} differs from the training being resumed (${resumedExtra.from})`,
      );
  }
  if (dataArgs.length === 0) throw new UsageError('no training data given (--data DIR|FILE...)');
  if (out === undefined) throw new UsageError('no output model given (--out MODEL)');

  let preset: TrainingPresetName | undefined;
  if (values.preset !== undefined) {
    if (!(TRAINING_PRESET_NAMES as readonly string[]).includes(values.preset)) {
      throw new UsageError(
        `--preset must be one of ${TRAINING_PRESET_NAMES.join(', ')}, got "${values.preset}"`,
      );
    }
    if (resumeState) throw new UsageError('--preset cannot change the training being resumed');
    preset = values.preset as TrainingPresetName;
  }
  const steps = values.steps === undefined ? undefined : positiveInt('steps', values.steps, 1);
  let seconds: number | null | undefined;
  if (values.minutes !== undefined) {
    const m = Number(values.minutes);
    if (!(m > 0) || values.minutes.trim() === '')
      throw new UsageError(`--minutes needs a positive number, got "${values.minutes}"`);
    seconds = m * 60;
  } else if (steps !== undefined) seconds = null;
  if (resumeState && (steps !== undefined || seconds !== undefined))
    throw new UsageError('--steps and --minutes cannot change the training being resumed');
  const seed = positiveInt('seed', values.seed, recipe?.seed ?? resumeState?.seed ?? 1, true);
  const patience =
    values.patience === undefined && recipe
      ? recipe.patience
      : values.patience === undefined
        ? undefined
        : positiveInt('patience', values.patience, 0, true);
  const minutesText = values['checkpoint-minutes'];
  const checkpointMinutes = minutesText === undefined ? 2 : Number(minutesText);
  if (!(checkpointMinutes > 0))
    throw new UsageError(`--checkpoint-minutes needs a positive number, got "${minutesText}"`);
  const threadsText = values.threads ?? 'auto';
  if (threadsText !== 'auto' && !/^[1-9]\d*$/.test(threadsText)) {
    throw new UsageError(`--threads needs "auto" or a whole number ≥ 1, got "${threadsText}"`);
  }
  const offsetText = values['split-offset'];
  const resumedOffset = resumedExtra.splitOffset ?? 0;
  const splitOffset = offsetText === undefined ? resumedOffset : Number(offsetText);
  if (!(splitOffset >= 0 && splitOffset <= 1 - DEFAULT_VALIDATION_FRACTION) || offsetText?.trim() === '')
    throw new UsageError(
      `--split-offset needs a number 0..${1 - DEFAULT_VALIDATION_FRACTION}, got "${offsetText}"`,
    );
  if (resumeState && splitOffset !== resumedOffset)
    throw new UsageError(
      `--split-offset ${splitOffset} differs from the training being resumed (${resumedOffset})`,
    );

  const outDir = path.dirname(path.resolve(out));
  if (!fs.existsSync(outDir)) {
    io.stderr.write(`continuo train: ${out}: the folder ${outDir} does not exist\n`);
    return 1;
  }

  // The start: --from MODEL must fit (refused in one line when not); the bundled default is used
  // when it fits and otherwise replaced by scratch, saying so (the pipeline's warning).
  const fromText = recipe ? 'scratch' : (values.from ?? resumedExtra.from ?? 'default');
  let start: StartModel = { kind: 'scratch' };
  let fallBackToScratch = false;
  if (fromText === 'default') {
    fallBackToScratch = true;
    if (!fs.existsSync(BUNDLED_MODEL))
      io.stderr.write(
        `continuo train: the bundled model ${BUNDLED_MODEL} is missing; training from scratch\n`,
      );
    else {
      const contents = readStart(BUNDLED_MODEL, io);
      if (contents) start = { kind: 'model', name: `the bundled model (${DEFAULT_MODEL.out})`, contents };
      else io.stderr.write('continuo train: training from scratch instead\n');
    }
  } else if (fromText !== 'scratch') {
    const contents = readStart(fromText, io);
    if (!contents) return 1;
    start = { kind: 'model', name: fromText, contents };
  }

  const listed = await listMidiFiles(dataArgs);
  for (const p of listed.problems) io.stderr.write(`continuo train: ${p}\n`);
  const loaded = loadMelodies(listed.files);
  for (const p of loaded.problems) io.stderr.write(`continuo train: ${p} (skipped)\n`);
  if (loaded.pieces.length === 0) {
    io.stderr.write('continuo train: no usable melodies in the data given\n');
    return 1;
  }

  const checkpointPath = checkpointPathFor(out);
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
  const request: TrainingRequest = {
    pieces: loaded.pieces,
    start,
    fallBackToScratch,
    preset: preset ?? (recipe ? 'standard' : undefined),
    steps: recipe?.steps ?? steps,
    seconds: recipe ? null : seconds,
    seed,
    patience,
    splitOffset,
    ...(recipe
      ? {
          config: {
            ...presetConfig(recipe.preset, VOCAB_SIZE, CONDITION_CLASSES),
            ...recipe.overrides,
          } as ModelConfig,
          validateEvery: recipe.validateEvery,
          maxTranspose: recipe.maxTranspose,
          minLearningRateFraction: recipe.minLearningRateFraction,
        }
      : {}),
    resume,
    checkpointEveryMs: checkpointMinutes * 60_000,
    extra: {
      data: recipe ? [recipe.data] : dataArgs,
      from: fromText,
      ...(recipe ? { recipe: 'default-model' } : {}),
      ...(splitOffset ? { splitOffset } : {}),
    },
  };
  let lastLine = 0;
  try {
    const result = await runTraining(request, {
      signal: abort.signal,
      onEvent: (e) => {
        switch (e.type) {
          case 'plan': {
            const p = e.plan;
            io.stderr.write(
              `continuo train: ${p.trainFiles.length} training and ${p.validationFiles.length} validation tunes; ` +
                `preset ${p.preset} (${p.config.layers}x${p.config.hiddenSize} LSTM, ${p.parameters.toLocaleString('en-US')} weights); ` +
                (resumeState ? `resuming at step ${resumeState.step}` : `${p.steps} steps`) +
                '\n',
            );
            for (const n of p.notes) io.stderr.write(`continuo train: ${n}\n`);
            for (const w of p.warnings) io.stderr.write(`continuo train: warning: ${w}\n`);
            if (p.floorBitsPerNote !== null)
              io.stderr.write(
                `continuo train: before training: note-frequency baseline ${p.floorBitsPerNote.toFixed(3)} bits/note` +
                  (p.startBitsPerNote === null ? '' : `, start model ${p.startBitsPerNote.toFixed(3)}`) +
                  ' on the validation tunes\n',
              );
            if (p.estimate)
              io.stderr.write(
                `continuo train: estimated training time here: ${formatDuration(p.estimate.seconds)} ` +
                  `(${(p.estimate.secondsPerStep * 1000).toFixed(0)} ms a step, measured now), then tuning the in-piece memory\n`,
              );
            return;
          }
          case 'step': {
            const now = Date.now();
            if (now - lastLine < 10_000 && e.step > 1) return;
            lastLine = now;
            io.stderr.write(
              `step ${e.step}/${e.plannedSteps}  loss ${e.bitsPerNote.toFixed(3)} bits/note  grad ${e.gradNorm.toFixed(2)}  ` +
                `lr ${e.learningRate.toExponential(1)}  ${Math.round(e.tokensPerSec)} tok/s  ETA ${formatDuration(e.etaSec)}\n`,
            );
            return;
          }
          case 'validation':
            io.stderr.write(
              `validation at step ${e.step}: ${e.bitsPerNote.toFixed(3)} bits/note` +
                `${e.improved ? ' (best)' : `, best ${e.bestBitsPerNote.toFixed(3)} at step ${e.bestStep}`}` +
                `${e.beatsFloor ? '' : ' (not yet below the note-frequency baseline)'}\n`,
            );
            return;
          case 'checkpoint':
            io.stderr.write(`checkpoint at step ${e.step}: ${out} and ${checkpointPath}\n`);
            return;
          case 'finishing':
            io.stderr.write(`${e.line}\n`);
            return;
        }
      },
      saveCheckpoint: async (snapshot, model) => {
        // Model first: a checkpoint never points past the model file that goes with it.
        await saveModel(out, model);
        await writeFileAtomic(checkpointPath, encodeCheckpoint(snapshot));
      },
    });
    const best =
      result.bestBitsPerNote === null
        ? 'no validation'
        : `validation ${result.bestBitsPerNote.toFixed(3)} bits/note (LSTM alone, step ${result.model.header.training.bestStep as number})`;
    if (result.stoppedBy === 'abort') {
      io.stderr.write(
        `continuo train: stopped at step ${result.step}; ${best}; resume with: continuo train --resume ${out}\n`,
      );
      return 130;
    }
    const why =
      result.stoppedBy === 'early-stop'
        ? 'stopped early (validation stopped improving)'
        : result.stoppedBy === 'time'
          ? 'time budget spent'
          : 'step budget spent';
    io.stderr.write(
      `continuo train: ${why} at step ${result.step} in ${formatDuration(result.elapsedSec)}; ${best}\n`,
    );
    await saveModel(out, result.model);
    io.stderr.write(`continuo train: wrote ${out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ResumeError) {
      io.stderr.write(`continuo train: ${resumedFrom}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof TrainingRequestError) {
      io.stderr.write(`continuo train: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await disableThreads();
  }
}
