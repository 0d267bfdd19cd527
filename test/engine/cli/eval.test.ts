import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateBitsPerNote, isValidationFile } from '../../../engine/eval/index.js';
import { importMidi } from '../../../engine/midi/index.js';
import { loadModel } from '../../../engine/model-file/node.js';
import { countNotes, encode } from '../../../engine/tokens/index.js';
import { engineModelFromFile } from '../../../engine/model/lstm-model.js';
import { tinyCorpusDir } from '../train/tiny-corpus.js';
import { requireBuiltCli, runCli, tempDir } from '../train/cli-runner.js';

let dir = '';
let model = '';
const files = fs
  .readdirSync(tinyCorpusDir)
  .filter((f) => f.endsWith('.mid'))
  .sort();
const melodyOf = (f: string) => importMidi(fs.readFileSync(path.join(tinyCorpusDir, f)), f).melody;
const notesIn = (names: string[]) => names.reduce((n, f) => n + countNotes(encode(melodyOf(f))), 0);

beforeAll(() => {
  requireBuiltCli();
  dir = tempDir();
  model = path.join(dir, 'tiny.continuo');
  const r = runCli([
    'train',
    '--data',
    tinyCorpusDir,
    '--out',
    model,
    '--preset',
    'quick',
    '--from',
    'scratch',
    '--steps',
    '9',
  ]);
  if (r.status !== 0) throw new Error(`training the tiny model failed:\n${r.stderr}`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('continuo eval', () => {
  it('prints bits/note over the notes and files it read', () => {
    const r = runCli(['eval', '--model', model, tinyCorpusDir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^bits/note: \\d+\\.\\d{3} over ${notesIn(files)} notes in ${files.length} files\\n$`),
    );
  });

  it('with --json prints exactly {"bitsPerNote","notes","files"}, the same number the engine computes with the model file', () => {
    const r = runCli(['eval', '--model', model, '--json', ...files.map((f) => path.join(tinyCorpusDir, f))]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['bitsPerNote', 'notes', 'files']);
    const engine = engineModelFromFile(loadModel(model), model);
    const expected = evaluateBitsPerNote(
      engine.model,
      files.map((f) => ({ name: f, melody: melodyOf(f) })),
    );
    expect(out).toEqual({ bitsPerNote: expected.bitsPerNote, notes: expected.notes, files: files.length });
  });

  it('scores with the LSTM mixed with the in-piece memory when training found the mixture better, and reproduces the model card numbers with --split validation', () => {
    const header = loadModel(model).header;
    expect(header.extra?.memory).toBeDefined();
    const mixed = JSON.parse(
      runCli(['eval', '--model', model, '--json', '--split', 'validation', tinyCorpusDir]).stdout,
    );
    const alone = JSON.parse(
      runCli(['eval', '--model', model, '--json', '--split', 'validation', '--lstm-only', tinyCorpusDir])
        .stdout,
    );
    expect(mixed.files).toBe(files.filter((f) => isValidationFile(f)).length);
    expect(mixed.bitsPerNote).toBeLessThan(alone.bitsPerNote);
    expect(mixed.bitsPerNote).toBeCloseTo(header.metrics.validationBitsPerNoteWithMemory as number, 9);
    expect(alone.bitsPerNote).toBeCloseTo(header.metrics.validationBitsPerNoteLstm as number, 9);
  });

  it('rejects a corrupted, truncated, empty or non-model file with one line naming it, exit status 1', () => {
    const bytes = fs.readFileSync(model);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1] ^= 0x5a;
    const cases: [string, Uint8Array, RegExp][] = [
      ['flipped.continuo', flipped, /checksum mismatch/],
      ['truncated.continuo', bytes.subarray(0, bytes.length - 100), /truncated/],
      ['empty.continuo', new Uint8Array(0), /empty/],
      [
        'midi.continuo',
        fs.readFileSync(path.join(tinyCorpusDir, files[0])),
        /not a Continuo model file \(it is a MIDI file\)/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      const r = runCli(['eval', '--model', file, tinyCorpusDir]);
      expect(r.status, name).toBe(1);
      expect(r.stderr.startsWith(`continuo eval: ${file}: `), r.stderr).toBe(true);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it('names each unreadable MIDI file on stderr, scores the rest and exits with status 1', () => {
    const bad = path.join(dir, 'broken.mid');
    fs.writeFileSync(bad, 'MThd this is not really a MIDI file');
    const r = runCli([
      'eval',
      '--model',
      model,
      bad,
      path.join(tinyCorpusDir, files[0]),
      path.join(dir, 'missing.mid'),
    ]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^continuo eval: .*missing\\.mid: no such file or directory$`));
    expect(lines[1]).toMatch(new RegExp(`^continuo eval: .*broken\\.mid: `));
    expect(r.stdout).toMatch(/^bits\/note: [\d.]+ over \d+ notes in 1 files\n$/);
  });

  it('rejects missing arguments with one line and the usage, exit status 1', () => {
    expect(runCli(['eval', tinyCorpusDir]).stderr.split('\n')[0]).toBe(
      'continuo eval: no model given (--model MODEL)',
    );
    expect(runCli(['eval', '--model', model]).stderr.split('\n')[0]).toBe(
      'continuo eval: no MIDI files given',
    );
    const r = runCli(['eval', '--model', model, '--split', 'some', tinyCorpusDir]);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      'continuo eval: --split must be validation, train or all, got "some"',
    );
  });
});
