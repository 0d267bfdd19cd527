import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FOLDER_DEPTH, findMidiFiles } from '../../../engine/midi/node.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-find-midi-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A fresh folder holding `files` (relative paths; folders made as needed). */
function tree(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(root, 't-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), 'x');
  }
  return dir;
}

const relative = (dir: string, files: string[]) => files.map((f) => path.relative(dir, f));

describe('engine/midi/node: finding MIDI files under chosen paths', () => {
  it('searches folders recursively for every MIDI extension, in code-unit name order', async () => {
    const dir = tree(['b.mid', 'a/x.rmi', 'a/y.KAR', 'B.midi', 'notes.txt', 'c.mid.txt']);
    const found = await findMidiFiles([dir]);
    expect(relative(dir, found.files)).toEqual(['B.midi', 'a/x.rmi', 'a/y.KAR', 'b.mid']);
    expect(found.problems).toEqual([]);
  });

  it('orders names by the given comparison', async () => {
    const dir = tree(['b.mid', 'B.midi', 'a.mid']);
    const found = await findMidiFiles([dir], { compare: (a, b) => a.localeCompare(b) });
    expect(relative(dir, found.files)).toEqual(['a.mid', 'b.mid', 'B.midi']);
  });

  it('takes a named file whatever its extension, in the order the paths were given', async () => {
    const dir = tree(['z.txt', 'a.mid']);
    const found = await findMidiFiles([path.join(dir, 'z.txt'), path.join(dir, 'a.mid')]);
    expect(relative(dir, found.files)).toEqual(['z.txt', 'a.mid']);
  });

  it('reports a path that cannot be read and goes on with the others', async () => {
    const dir = tree(['a.mid']);
    const missing = path.join(dir, 'gone');
    const found = await findMidiFiles([missing, dir]);
    expect(relative(dir, found.files)).toEqual(['a.mid']);
    expect(found.problems.map((p) => [p.path, (p.error as NodeJS.ErrnoException).code])).toEqual([
      [missing, 'ENOENT'],
    ]);
  });

  it('does not follow symbolic links inside a folder, but follows a named one', async () => {
    const outside = tree(['far.mid']);
    const dir = tree(['a.mid']);
    fs.symlinkSync(outside, path.join(dir, 'linked-folder'));
    fs.symlinkSync(path.join(outside, 'far.mid'), path.join(dir, 'linked.mid'));
    fs.symlinkSync(dir, path.join(dir, 'loop'));
    expect(relative(dir, (await findMidiFiles([dir])).files)).toEqual(['a.mid']);
    expect((await findMidiFiles([path.join(dir, 'linked-folder')])).files).toEqual([
      path.join(dir, 'linked-folder', 'far.mid'),
    ]);
  });

  it('stops at the limit', async () => {
    const dir = tree(['a.mid', 'b.mid', 'c/d.mid', 'e.mid']);
    const found = await findMidiFiles([dir, dir], { limit: 3 });
    expect(relative(dir, found.files)).toEqual(['a.mid', 'b.mid', 'c/d.mid']);
  });

  it(`searches folders nested at most ${MAX_FOLDER_DEPTH} deep below a named one`, async () => {
    const deep = (n: number) => [...Array.from({ length: n }, (_, i) => `d${i}`), `at-${n}.mid`].join('/');
    const dir = tree([deep(MAX_FOLDER_DEPTH), deep(MAX_FOLDER_DEPTH + 1)]);
    const found = await findMidiFiles([dir]);
    expect(found.files.map((f) => path.basename(f))).toEqual([`at-${MAX_FOLDER_DEPTH}.mid`]);
  });
});
