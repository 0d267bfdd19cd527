import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMidi } from '../../../engine/midi/index.js';
import { SCALES } from '../../../engine/sample/index.js';
import { barSteps } from '../../../engine/tokens/index.js';
import { tinyCorpusDir } from '../train/tiny-corpus.js';
import { runCli, tinyModelPerFile } from '../train/cli-runner.js';

const tiny = tinyModelPerFile(9);
const seedMidi = path.join(tinyCorpusDir, 'ashover2.mid');

const read = (file: string) => importMidi(fs.readFileSync(file), file).melody;

describe('continuo generate', () => {
  it('writes byte-identical MIDI twice for the same --random-seed, and different MIDI for another seed', () => {
    const args = (out: string, seed: string) => [
      'generate',
      '--model',
      tiny.model,
      '--seed-midi',
      seedMidi,
      '--bars',
      '4',
      '--random-seed',
      seed,
      '--out',
      out,
    ];
    const a = path.join(tiny.dir, 'a.mid');
    const b = path.join(tiny.dir, 'b.mid');
    const c = path.join(tiny.dir, 'c.mid');
    expect(runCli(args(a, '42')).status).toBe(0);
    expect(runCli(args(b, '42')).status).toBe(0);
    expect(runCli(args(c, '43')).status).toBe(0);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
    expect(fs.readFileSync(c).equals(fs.readFileSync(a))).toBe(false);
  });

  it('continues the seed melody by whole bars: the seed notes come first and the result ends on a bar line', () => {
    const out = path.join(tiny.dir, 'cont.mid');
    const r = runCli([
      'generate',
      '--model',
      tiny.model,
      '--seed-midi',
      seedMidi,
      '--bars',
      '4',
      '--random-seed',
      '1',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    const seed = read(seedMidi);
    const result = read(out);
    expect(result.notes.slice(0, seed.notes.length).map((n) => [n.pitch, n.start, n.duration])).toEqual(
      seed.notes.map((n) => [n.pitch, n.start, n.duration]),
    );
    const bar = barSteps(seed.timeSignature);
    const seedEnd = Math.max(...seed.notes.map((n) => n.start + n.duration));
    const last = result.notes[result.notes.length - 1];
    expect(last.start + last.duration).toBe(Math.ceil(seedEnd / bar) * bar + 4 * bar);
    expect(result.notes.length).toBeGreaterThan(seed.notes.length);
  });

  it('writes several variations to PATH-1.mid, PATH-2.mid, … and prints each path', () => {
    const out = path.join(tiny.dir, 'vars.mid');
    const r = runCli([
      'generate',
      '--model',
      tiny.model,
      '--bars',
      '2',
      '--variations',
      '3',
      '--random-seed',
      '9',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const expected = [1, 2, 3].map((i) => path.join(tiny.dir, `vars-${i}.mid`));
    expect(r.stdout).toBe(expected.map((f) => `${f}\n`).join(''));
    for (const f of expected) expect(read(f).notes.length).toBeGreaterThan(0);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('keeps every new note in the requested key and scale', () => {
    const out = path.join(tiny.dir, 'dorian.mid');
    const r = runCli([
      'generate',
      '--model',
      tiny.model,
      '--seed-midi',
      seedMidi,
      '--bars',
      '8',
      '--key',
      'D',
      '--scale',
      'dorian',
      '--random-seed',
      '3',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const seedCount = read(seedMidi).notes.length;
    const dorian = new Set(SCALES.dorian.map((i) => (i + 2) % 12));
    const added = read(out).notes.slice(seedCount);
    expect(added.length).toBeGreaterThan(0);
    for (const n of added) expect(dorian.has(n.pitch % 12), `pitch ${n.pitch}`).toBe(true);
  });

  it('without --random-seed, prints the seed it drew so the result can be made again', () => {
    const first = path.join(tiny.dir, 'drawn.mid');
    const r = runCli(['generate', '--model', tiny.model, '--bars', '2', '--out', first]);
    expect(r.status).toBe(0);
    const seed = /^continuo generate: --random-seed (\d+)$/m.exec(r.stderr)![1];
    const again = path.join(tiny.dir, 'again.mid');
    expect(
      runCli(['generate', '--model', tiny.model, '--bars', '2', '--random-seed', seed, '--out', again])
        .status,
    ).toBe(0);
    expect(fs.readFileSync(again).equals(fs.readFileSync(first))).toBe(true);
  });

  it('rejects bad arguments and unreadable inputs with one line on stderr and exit status 1', () => {
    const out = path.join(tiny.dir, 'x.mid');
    const base = ['generate', '--model', tiny.model, '--out', out];
    const broken = path.join(tiny.dir, 'broken.mid');
    fs.writeFileSync(broken, 'not midi at all');
    const cases: [string[], RegExp][] = [
      [['generate', '--out', out], /^continuo generate: no model given \(--model MODEL\)$/],
      [['generate', '--model', tiny.model], /^continuo generate: no output given \(--out PATH\)$/],
      [[...base, '--temperature=-1'], /^continuo generate: temperature -1 must be a number ≥ 0$/],
      [[...base, '--bars', 'two'], /^continuo generate: --bars needs a whole number, got "two"$/],
      [[...base, '--scale', 'dorian'], /^continuo generate: --scale needs --key/],
      [[...base, '--key', 'H'], /^continuo generate: key "H" is not a note name/],
      [[...base, '--range', '80'], /^continuo generate: --range needs LO-HI/],
      [[...base, '--top-p', '1.5'], /^continuo generate: top-p 1.5 must be in \(0, 1\]$/],
      [[...base, '--seed-midi', path.join(tiny.dir, 'none.mid')], /none\.mid: no such file$/],
      [[...base, '--seed-midi', broken], /^continuo generate: .*broken\.mid: /],
      [
        ['generate', '--model', path.join(tiny.dir, 'none.continuo'), '--out', out],
        /none\.continuo: cannot read the model \(no such file\)$/,
      ],
      [['generate', '--model', seedMidi, '--out', out], /not a Continuo model file \(it is a MIDI file\)$/],
      [
        ['generate', '--model', tiny.model, '--out', path.join(tiny.dir, 'no/dir/x.mid')],
        /the folder .* does not exist$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.split('\n')[0], args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
