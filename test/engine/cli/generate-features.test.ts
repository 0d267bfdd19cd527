import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMidi } from '../../../engine/midi/index.js';
import { loadModel, saveModel } from '../../../engine/model-file/node.js';
import { barSteps } from '../../../engine/tokens/index.js';
import { tinyCorpusDir } from '../train/tiny-corpus.js';
import { runCli, tinyModelPerFile } from '../train/cli-runner.js';

const tiny = tinyModelPerFile(6);
const seedMidi = path.join(tinyCorpusDir, 'ashover2.mid');
const read = (file: string) => importMidi(fs.readFileSync(file), file).melody;

const base = (out: string) => [
  'generate',
  '--model',
  tiny.model,
  '--seed-midi',
  seedMidi,
  '--random-seed',
  '4',
  '--out',
  out,
];

describe('continuo generate: novelty, regenerating bars, memorisation', () => {
  it('--novelty changes what is generated, and 0.5 is the model as it is', () => {
    const outs = ['a', 'b', 'c'].map((x) => path.join(tiny.dir, `${x}.mid`));
    expect(runCli([...base(outs[0]), '--bars', '4']).status).toBe(0);
    expect(runCli([...base(outs[1]), '--bars', '4', '--novelty', '0.5']).status).toBe(0);
    expect(runCli([...base(outs[2]), '--bars', '4', '--novelty', '1']).status).toBe(0);
    expect(fs.readFileSync(outs[1]).equals(fs.readFileSync(outs[0]))).toBe(true);
    expect(fs.readFileSync(outs[2]).equals(fs.readFileSync(outs[0]))).toBe(false);
    const r = runCli([...base(outs[0]), '--novelty', '2']);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      "continuo generate: novelty 2 must be a number from 0 (develop the seed's motifs) to 1 (new ideas)",
    );
  });

  it('--regenerate-bars A-B writes the melody with only those bars new, the rest note for note', () => {
    const out = path.join(tiny.dir, 'regen.mid');
    const r = runCli([...base(out), '--regenerate-bars', '3-4', '--candidates', '4']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^continuo generate: bars 3-4: candidate \d of 4 \(bits of the kept notes after it: [\d., ]+\)$/m,
    );
    const seed = read(seedMidi);
    const bar = barSteps(seed.timeSignature);
    const got = read(out);
    const outside = (m: typeof seed) =>
      m.notes
        .filter((x) => x.start < 2 * bar || x.start >= 4 * bar)
        .map((x) => [x.pitch, x.start, x.duration]);
    expect(outside(got)).toEqual(
      outside({
        ...seed,
        notes: seed.notes.map((x) =>
          x.start < 2 * bar ? { ...x, duration: Math.min(x.duration, 2 * bar - x.start) } : x,
        ),
      }),
    );
    expect(got.notes.filter((x) => x.start >= 2 * bar && x.start < 4 * bar).length).toBeGreaterThan(0);
    const bad = runCli([...base(out), '--regenerate-bars', '3-4', '--variations', '2']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.split('\n')[0]).toBe(
      'continuo generate: --regenerate-bars writes one melody of the same length: no --variations or --bars',
    );
  });

  it('says for each result its longest run found verbatim in the training melodies', () => {
    const out = path.join(tiny.dir, 'memo.mid');
    const r = runCli([...base(out), '--variations', '2', '--bars', '4']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('longest run found verbatim'));
    expect(lines).toHaveLength(2);
    for (const l of lines)
      expect(l).toMatch(
        /memo-[12]\.mid: longest run found verbatim in the training melodies: (\d+ notes|fewer than 8 notes)/,
      );
  });

  it('with a model file from before the index, generates as before and says memorisation is unknown', async () => {
    const old = loadModel(tiny.model);
    const { memorisation: _m, ...extra } = old.header.extra!;
    const older = path.join(tiny.dir, 'older.continuo');
    await saveModel(older, { ...old, header: { ...old.header, extra } });
    const out = path.join(tiny.dir, 'old.mid');
    const r = runCli([
      'generate',
      '--model',
      older,
      '--seed-midi',
      seedMidi,
      '--random-seed',
      '4',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/memorisation unknown: .*older\.continuo has no index of its training melodies/);
  });
});
