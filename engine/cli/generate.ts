/**
 * `continuo generate --model MODEL [--seed-midi FILE] [--bars N] [--temperature T] [--top-k K]
 *   [--top-p P] [--variations N] [--random-seed S] [--key K --scale S] [--range LO-HI]
 *   [--max-repeats N] [--novelty X] [--regenerate-bars A-B [--candidates N]] --out PATH`
 *
 * Continues the seed melody (or starts from nothing) with the engine's model of MODEL and writes MIDI.
 * One variation is written to PATH; several go to PATH with -1, -2, … before its extension
 * (`out.mid` → `out-1.mid`, `out-2.mid`, …). Each written path is printed on stdout. The same model,
 * seed, options and --random-seed give byte-identical files; without --random-seed a seed is drawn and
 * printed on stderr so the result can be made again. Sampling defaults are the app's
 * (engine/sample/defaults.ts). `--regenerate-bars` writes the seed melody with those bars sampled
 * again (engine/sample/regenerate.ts). Each result's longest run found verbatim in the model's
 * training melodies is printed on stderr (engine/model/memorisation.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MidiError, importMidi, melodyToMidi, type Melody } from '../midi/index.js';
import { ModelFileError } from '../model-file/index.js';
import { writeFileAtomic } from '../disk/node.js';
import { loadModel } from '../model-file/node.js';
import {
  generate,
  generateOptionsProblem,
  parseScale,
  parseTonic,
  type GenerateOptions,
} from '../sample/index.js';
import { MEMO_NOTES, MEMO_WARNING_NOTES, memorisationOf } from '../model/memorisation.js';
import { GENERATION_DEFAULTS } from '../sample/defaults.js';
import { regenerateBars, regenerateOptionsProblem } from '../sample/regenerate.js';
import { engineModelFromFile } from '../model/lstm-model.js';
import { UsageError, type CliIo } from './verb.js';

export const usage = `--model MODEL --out PATH [--seed-midi FILE] [--bars N] [--temperature T] [--top-k K] [--top-p P]
       [--variations N] [--random-seed S] [--key K --scale S] [--range LO-HI] [--max-repeats N] [--novelty X]
       [--regenerate-bars A-B [--candidates N]]
  --seed-midi    a melody to continue (its melody track, as the app imports it); none = start fresh
  --bars         bars to add after the seed's last bar (default ${GENERATION_DEFAULTS.bars})
  --temperature  > 0 (default ${GENERATION_DEFAULTS.temperature}; 0 = always the most likely token); --top-k K (default off),
                 --top-p P (default ${GENERATION_DEFAULTS.topP}; 1 = off) narrow the choice
  --variations   how many continuations (default 1); several go to PATH-1.mid, PATH-2.mid, …
  --random-seed  whole number; same seed, same files (default: drawn and printed on stderr)
  --key, --scale keep new notes in a scale, e.g. --key D --scale dorian (--key alone means major)
  --range LO-HI  keep new notes within MIDI pitches LO..HI; --max-repeats N limits same-pitch runs
  --novelty      0 (develop the seed's motifs) … 1 (new ideas); default: the model's own setting
  --regenerate-bars A-B  write the seed melody with bars A..B (1-based) sampled again: --candidates N
                 (default 8) are drawn and the one after which the model finds the kept bars most
                 likely wins
  Each result's longest run of notes found verbatim in the model's training melodies goes to stderr.`;

function number(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} needs ${integer ? 'a whole number' : 'a number'}, got "${text}"`);
  }
  return n;
}

/** PATH for variation `index` (0-based) of `count`. */
export function variationPath(out: string, index: number, count: number): string {
  if (count === 1) return out;
  const ext = path.extname(out);
  return `${out.slice(0, out.length - ext.length)}-${index + 1}${ext}`;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      out: { type: 'string' },
      'seed-midi': { type: 'string' },
      bars: { type: 'string' },
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      variations: { type: 'string' },
      'random-seed': { type: 'string' },
      key: { type: 'string' },
      scale: { type: 'string' },
      range: { type: 'string' },
      'max-repeats': { type: 'string' },
      novelty: { type: 'string' },
      'regenerate-bars': { type: 'string' },
      candidates: { type: 'string' },
    },
    allowPositionals: false,
    strict: true,
  });
  void positionals;
  if (values.model === undefined) throw new UsageError('no model given (--model MODEL)');
  if (values.out === undefined) throw new UsageError('no output given (--out PATH)');

  const options: GenerateOptions = {
    bars: number('bars', values.bars, true) ?? GENERATION_DEFAULTS.bars,
    variations: number('variations', values.variations, true) ?? 1,
    temperature: number('temperature', values.temperature, false) ?? GENERATION_DEFAULTS.temperature,
    topK: number('top-k', values['top-k'], true) ?? GENERATION_DEFAULTS.topK,
    topP: number('top-p', values['top-p'], false) ?? GENERATION_DEFAULTS.topP,
    maxRepeats: number('max-repeats', values['max-repeats'], true),
    novelty: number('novelty', values.novelty, false),
  };
  const givenSeed = number('random-seed', values['random-seed'], true);
  options.randomSeed = givenSeed ?? Math.floor(Math.random() * 2 ** 31);
  if (values.scale !== undefined && values.key === undefined)
    throw new UsageError('--scale needs --key (the tonic), e.g. --key D --scale dorian');
  try {
    if (values.key !== undefined)
      options.scale = { tonic: parseTonic(values.key), name: parseScale(values.scale ?? 'major') };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.range !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(values.range);
    if (!m) throw new UsageError(`--range needs LO-HI in MIDI pitches, e.g. 60-84, got "${values.range}"`);
    options.range = { min: Number(m[1]), max: Number(m[2]) };
  }
  const problem = generateOptionsProblem(options);
  if (problem !== null) throw new UsageError(problem);
  let regenerate: { fromBar: number; toBar: number; candidates: number } | null = null;
  if (values['regenerate-bars'] !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(values['regenerate-bars']);
    if (!m)
      throw new UsageError(
        `--regenerate-bars needs A-B in bar numbers, e.g. 5-6, got "${values['regenerate-bars']}"`,
      );
    if (values.variations !== undefined || values.bars !== undefined)
      throw new UsageError(
        '--regenerate-bars writes one melody of the same length: no --variations or --bars',
      );
    regenerate = {
      fromBar: Number(m[1]),
      toBar: Number(m[2]),
      candidates: number('candidates', values.candidates, true) ?? 8,
    };
  } else if (values.candidates !== undefined)
    throw new UsageError('--candidates goes with --regenerate-bars');

  const outDir = path.dirname(path.resolve(values.out));
  if (!fs.existsSync(outDir)) {
    io.stderr.write(`continuo generate: ${values.out}: the folder ${outDir} does not exist\n`);
    return 1;
  }

  let engine;
  let loadedContents;
  try {
    loadedContents = loadModel(values.model);
    engine = engineModelFromFile(loadedContents, values.model);
  } catch (error) {
    if (
      !(error instanceof ModelFileError) &&
      !(error instanceof Error && error.message.startsWith(values.model))
    )
      throw error;
    io.stderr.write(`continuo generate: ${error.message}\n`);
    return 1;
  }

  let seed: Melody | null = null;
  if (values['seed-midi'] !== undefined) {
    const file = values['seed-midi'];
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? String(error.code) : '';
      io.stderr.write(
        `continuo generate: ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}\n`,
      );
      return 1;
    }
    try {
      seed = importMidi(bytes, file).melody;
    } catch (error) {
      if (!(error instanceof MidiError)) throw error;
      io.stderr.write(`continuo generate: ${error.message}\n`);
      return 1;
    }
  }

  if (givenSeed === undefined) io.stderr.write(`continuo generate: --random-seed ${options.randomSeed}\n`);
  const memo = memorisationOf(loadedContents, values.model);
  const report = (file: string, melody: Melody, from: number) => {
    if ('missing' in memo) return;
    const run = memo.index.longestRun(melody.notes, from).notes;
    const warn = run >= MEMO_WARNING_NOTES ? ` (copies the training data from ${MEMO_WARNING_NOTES} up)` : '';
    io.stderr.write(
      `continuo generate: ${file}: longest run found verbatim in the training melodies: ${run >= MEMO_NOTES ? `${run} notes` : `fewer than ${MEMO_NOTES} notes`}${warn}\n`,
    );
  };
  if ('missing' in memo) io.stderr.write(`continuo generate: memorisation unknown: ${memo.missing}\n`);

  if (regenerate) {
    if (seed === null)
      throw new UsageError('--regenerate-bars needs the melody to change (--seed-midi FILE)');
    const { bars: _b, variations: _v, ...sampling } = options;
    const why = regenerateOptionsProblem(seed, { ...sampling, ...regenerate });
    if (why !== null) throw new UsageError(why);
    const result = regenerateBars(engine.model, seed, { ...sampling, ...regenerate });
    await writeFileAtomic(values.out, melodyToMidi(result.melody, { name: 'Continuo' }));
    io.stdout.write(`${values.out}\n`);
    io.stderr.write(
      `continuo generate: bars ${regenerate.fromBar}-${regenerate.toBar}: candidate ${result.chosen + 1} of ${result.candidates.length} ` +
        `(bits of the kept notes after it: ${result.candidates.map((c) => c.keptBits.toFixed(1)).join(', ')})\n`,
    );
    report(values.out, result.melody, result.range.first);
    return 0;
  }

  const variations = generate(engine.model, seed, options);
  for (const v of variations) {
    const file = variationPath(values.out, v.index, variations.length);
    await writeFileAtomic(file, melodyToMidi(v.melody, { name: `Continuo variation ${v.index + 1}` }));
    io.stdout.write(`${file}\n`);
    report(file, v.melody, v.seedNotes);
  }
  return 0;
}
