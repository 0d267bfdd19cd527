import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../../../engine/model-file/node.js';
import { decodeCheckpoint } from '../../../engine/train/checkpoint.js';
import type { TrainerSnapshot } from '../../../engine/train/trainer.js';
import { tinyCorpusDir } from '../train/tiny-corpus.js';
import { spawnSync } from 'node:child_process';
import { cliPath, requireBuiltCli, runCli, startCli, tempDir, tinyTrainArgs } from '../train/cli-runner.js';

const dirs: string[] = [];
function scratch(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
beforeAll(requireBuiltCli);

const readCheckpoint = (file: string) => decodeCheckpoint(fs.readFileSync(file), file) as TrainerSnapshot;
const sameFloats = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('continuo train', () => {
  it('trains a model on a folder of MIDI files, reporting progress and validation on stderr', () => {
    const out = path.join(scratch(), 'tiny.continuo');
    const r = runCli(tinyTrainArgs(out, 9));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^continuo train: 5 training and 2 validation tunes; preset quick \(1x128 LSTM, [\d,]+ weights\); 9 steps$/m,
    );
    expect(r.stderr).toMatch(
      /^step 1\/9 +loss [\d.]+ bits\/note +grad [\d.]+ +lr \S+ +\d+ tok\/s +ETA \S+$/m,
    );
    expect(r.stderr).toMatch(/^validation at step \d+: [\d.]+ bits\/note/m);
    expect(r.stderr).toMatch(
      /^continuo train: step budget spent at step 9 in \S+; validation [\d.]+ bits\/note \(LSTM alone, step \d+\)$/m,
    );
    expect(r.stderr).toMatch(
      /^in-piece memory \(tuned on validation in \S+\): LSTM alone [\d.]+, LSTM \+ memory [\d.]+ bits\/note/m,
    );
    expect(r.stderr).toMatch(
      /^metre \(fitted on the training tunes in \S+, \d+ of \d+ notes held over a bar line\): κ [\d.e-]+, validation [\d.]+ → [\d.]+ bits\/note/m,
    );
    expect(r.stderr.endsWith(`continuo train: wrote ${out}\n`)).toBe(true);
    const model = loadModel(out);
    expect(model.header.training).toMatchObject({
      preset: 'quick',
      trainFiles: 5,
      validationFiles: 2,
      finished: 'steps',
      from: 'scratch',
    });
    expect(model.header.metrics.validationBitsPerNoteLstm).toBeGreaterThan(0);
  });

  it('starts from the bundled model by default, saying so, with warnings about small data and a time estimate measured here', () => {
    const out = path.join(scratch(), 'tuned.continuo');
    const r = runCli(['train', '--data', tinyCorpusDir, '--out', out, '--steps', '3']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^continuo train: starting from the bundled model \(models\/default\.continuo\) \(1×256 LSTM\): fine-tuning its weights$/m,
    );
    expect(r.stderr).toMatch(/^continuo train: warning: only 7 files: /m);
    expect(r.stderr).toMatch(/^continuo train: warning: only 1,674 notes in all/m);
    expect(r.stderr).toMatch(
      /^continuo train: before training: note-frequency baseline [\d.]+ bits\/note, start model [\d.]+ on the validation tunes$/m,
    );
    expect(r.stderr).toMatch(
      /^continuo train: estimated training time here: \S+ \(\d+ ms a step, measured now\)/m,
    );
    const model = loadModel(out);
    expect(model.header.training).toMatchObject({
      from: 'the bundled model (models/default.continuo)',
      steps: 3,
    });
    expect(model.header.config).toMatchObject({ layers: 1, hiddenSize: 256 });
    expect(model.header.extra?.memory).toBeDefined();
  });

  it('--from MODEL fine-tunes that model; a file that cannot be the start is refused in one line', async () => {
    const dir = scratch();
    const first = path.join(dir, 'first.continuo');
    expect(runCli(tinyTrainArgs(first, 3)).status).toBe(0);
    const second = path.join(dir, 'second.continuo');
    const r = runCli(['train', '--data', tinyCorpusDir, '--out', second, '--from', first, '--steps', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `continuo train: starting from ${first} (1×128 LSTM): fine-tuning its weights`,
    );
    expect(loadModel(second).header.training.from).toBe(first);

    const contents = loadModel(first);
    const odd = path.join(dir, 'odd.continuo');
    await saveModel(odd, { ...contents, header: { ...contents.header, extra: { kind: 'ppm' } } });
    const refused = runCli([
      'train',
      '--data',
      tinyCorpusDir,
      '--out',
      path.join(dir, 'x.continuo'),
      '--from',
      odd,
    ]);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trimEnd().split('\n').pop()).toBe(
      `continuo train: ${odd} cannot be trained further: it is not an LSTM model`,
    );
  });

  it('after kill -9 following its first checkpoint, --resume continues from that step to the same weights and optimizer state as an uninterrupted run', async () => {
    const dir = scratch();
    const args = (out: string) => tinyTrainArgs(out, 36, '--patience', '0');
    const whole = path.join(dir, 'whole.continuo');
    expect(runCli(args(whole)).status).toBe(0);

    const killed = path.join(dir, 'killed.continuo');
    const run = startCli(args(killed), /checkpoint at step \d+/);
    await run.seen;
    run.child.kill('SIGKILL');
    const ended = await run.done;
    expect(ended.signal).toBe('SIGKILL');
    const atKill = readCheckpoint(`${killed}.ckpt`);
    expect(atKill.state.finished).toBeNull();
    const k = atKill.state.step;

    const resumed = runCli(['train', '--resume', killed]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming at step ${k}`);
    const a = readCheckpoint(`${whole}.ckpt`);
    const b = readCheckpoint(`${killed}.ckpt`);
    expect(b.state.step).toBe(a.state.step);
    expect(b.state.adamStep).toBe(a.state.adamStep);
    for (const name of ['params', 'adamM', 'adamV', 'bestParams'])
      expect(sameFloats(b.blobs.get(name)!, a.blobs.get(name)!), name).toBe(true);
    expect(sameFloats(loadModel(killed).weights, loadModel(whole).weights)).toBe(true);
  });

  it('on SIGINT (Ctrl-C) saves a checkpoint, says how to resume and exits with status 130', async () => {
    const out = path.join(scratch(), 'int.continuo');
    const run = startCli(tinyTrainArgs(out, 600, '--patience', '0'), /^step 1\//m);
    await run.seen;
    run.child.kill('SIGINT');
    const ended = await run.done;
    expect(ended.code).toBe(130);
    expect(ended.stderr).toMatch(
      /continuo train: stopped at step (\d+).*resume with: continuo train --resume /,
    );
    const step = Number(/stopped at step (\d+)/.exec(ended.stderr)![1]);
    expect(readCheckpoint(`${out}.ckpt`).state.step).toBe(step);
    expect(loadModel(out).header.training.steps).toBe(step);
  });

  it('rejects bad arguments and unreadable inputs with one line on stderr and exit status 1', () => {
    const dir = scratch();
    const cases: [string[], RegExp][] = [
      [['train', '--data', tinyCorpusDir], /^continuo train: no output model given \(--out MODEL\)$/],
      [['train', '--out', path.join(dir, 'm.continuo')], /^continuo train: no training data given/],
      [
        ['train', '--data', path.join(dir, 'nowhere'), '--out', path.join(dir, 'm.continuo')],
        /nowhere: no such file or directory$/m,
      ],
      [
        ['train', '--data', tinyCorpusDir, '--out', path.join(dir, 'm.continuo'), '--steps', 'many'],
        /^continuo train: --steps needs a whole number ≥ 1, got "many"$/,
      ],
      [
        ['train', '--data', tinyCorpusDir, '--out', path.join(dir, 'm.continuo'), '--minutes', 'soon'],
        /^continuo train: --minutes needs a positive number, got "soon"$/,
      ],
      [
        [
          'train',
          '--data',
          tinyCorpusDir,
          '--out',
          path.join(dir, 'm.continuo'),
          '--from',
          path.join(dir, 'none.continuo'),
        ],
        /^continuo train: .*none\.continuo: cannot read the model \(no such file\)$/,
      ],
      [
        ['train', '--data', tinyCorpusDir, '--out', path.join(dir, 'm.continuo'), '--preset', 'huge'],
        /^continuo train: --preset must be one of/,
      ],
      [
        ['train', '--resume', path.join(dir, 'none.continuo')],
        /none\.continuo\.ckpt: no checkpoint to resume from \(no such file\)$/,
      ],
      [
        ['train', '--data', tinyCorpusDir, '--out', path.join(dir, 'no/such/dir/m.continuo')],
        /the folder .* does not exist$/,
      ],
      [
        ['train', '--data', tinyCorpusDir, '--out', path.join(dir, 'm.continuo'), '--threads', '0'],
        /^continuo train: --threads needs "auto" or a whole number ≥ 1, got "0"$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.split('\n')[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
    }
  });

  it('splits its matrix products over helper threads with --threads 2, writing the same weights as one thread', () => {
    const dir = scratch();
    const weights = (threads: string) => {
      const out = path.join(dir, `t${threads}.continuo`);
      const r = runCli(tinyTrainArgs(out, 6, '--threads', threads));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        threads === '1'
          ? /^continuo train: 1 thread \(--threads 1\)$/m
          : /^continuo train: 2 threads \(matrix products [\d.]+× as fast/m,
      );
      return loadModel(out).weights;
    };
    expect(sameFloats(weights('2'), weights('1'))).toBe(true);
  });

  it('--default-model says plainly that the shared corpus is missing when it is', () => {
    const r = spawnSync(
      process.execPath,
      [cliPath, 'train', '--default-model', '--out', path.join(scratch(), 'd.continuo')],
      {
        encoding: 'utf8',
        env: { ...process.env, CONTINUO_SHARED: path.join(scratch(), 'no-shared-here') },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^continuo train: the default model is trained on .*no-shared-here\/corpus\/nottingham, which does not exist/,
    );
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses to resume on other data than the checkpoint was trained on, in one line', () => {
    const dir = scratch();
    const out = path.join(dir, 'm.continuo');
    expect(runCli(tinyTrainArgs(out, 3)).status).toBe(0);
    const r = runCli([
      'train',
      '--resume',
      out,
      '--data',
      path.join(tinyCorpusDir, 'ashover2.mid'),
      path.join(tinyCorpusDir, 'ashover3.mid'),
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n').pop()).toMatch(
      new RegExp(
        `^continuo train: .*m\\.continuo\\.ckpt: checkpoint was trained on 5 training tunes with \\d+ notes, this run has 2 with \\d+$`,
      ),
    );
  });

  it('refuses to resume from a damaged checkpoint, naming the file', () => {
    const dir = scratch();
    const out = path.join(dir, 'm.continuo');
    fs.writeFileSync(`${out}.ckpt`, fs.readFileSync(path.join(tinyCorpusDir, 'ashover2.mid')));
    const r = runCli(['train', '--resume', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`continuo train: ${out}.ckpt: not a Continuo training checkpoint\n`);
  });
});
