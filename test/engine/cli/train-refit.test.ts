import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../../../engine/model-file/node.js';
import { tinyCorpusDir } from '../train/tiny-corpus.js';
import { runCli, tinyModelPerFile, tinyTrainArgs } from '../train/cli-runner.js';

const tiny = tinyModelPerFile(6);

describe('continuo train --refit', () => {
  it('fits the memory gate and metre again and writes the same weights, the pitch range recorded', async () => {
    // a file as older versions wrote it: no metre, no pitch range, a 33-number gate
    const old = loadModel(tiny.model);
    const { pitchRange: _range, ...training } = old.header.training;
    const { metre: _metre, ...extra } = old.header.extra!;
    const older = path.join(tiny.dir, 'older.continuo');
    await saveModel(older, { ...old, header: { ...old.header, training, extra } });
    const out = path.join(tiny.dir, 'refitted.continuo');
    const r = runCli(['train', '--refit', older, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^continuo train: refitting .*older\.continuo on 5 training and 2 validation tunes \(same weights\)$/m,
    );
    const refitted = loadModel(out);
    expect(Buffer.from(refitted.weights.buffer).equals(Buffer.from(old.weights.buffer))).toBe(true);
    expect(refitted.header.training.pitchRange).toEqual(old.header.training.pitchRange);
    expect(refitted.header.extra?.memory).toEqual(old.header.extra?.memory);
    expect(refitted.header.extra?.metre).toEqual(old.header.extra?.metre);
  });

  it('refuses a model whose recorded data is not there, writing nothing', async () => {
    const old = loadModel(tiny.model);
    const moved = path.join(tiny.dir, 'moved.continuo');
    await saveModel(moved, {
      ...old,
      header: { ...old.header, training: { ...old.header.training, data: [path.join(tiny.dir, 'gone')] } },
    });
    const out = path.join(tiny.dir, 'never.continuo');
    const r = runCli(['train', '--refit', moved, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/its training data cannot be read here, nothing written/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('continuo train --split-offset', () => {
  it('validates on another tenth of the files, records it, and eval --split validation follows it', () => {
    const out = path.join(tiny.dir, 'offset.continuo');
    const r = runCli(tinyTrainArgs(out, 3, '--split-offset', '0.7'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^continuo train: 5 training and 2 validation tunes/m); // ashover5 and ashover6
    expect(loadModel(out).header.training).toMatchObject({ splitOffset: 0.7, validationFiles: 2 });
    const e = runCli(['eval', '--model', out, '--split', 'validation', '--json', tinyCorpusDir]);
    expect(e.status, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { files: number }).files).toBe(2);
  });

  it('refuses an offset that leaves no room for a tenth of the files', () => {
    const r = runCli([
      'train',
      '--data',
      tinyCorpusDir,
      '--out',
      path.join(tiny.dir, 'x.continuo'),
      '--split-offset',
      '0.95',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('continuo train: --split-offset needs a number 0..0.9, got "0.95"');
  });
});
