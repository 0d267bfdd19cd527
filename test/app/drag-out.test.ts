/**
 * The files behind "drag a result out of the window": real files in a real temporary folder, each
 * drag in a folder of its own under the exporter's safe name, everything removed on dispose.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDragOut, type DragOut } from '../../app/services/drag-out.js';
import { exportMidi } from '../../app/services/exporter.js';
import { importMidi } from '../../engine/midi/index.js';
import { rejection, tempDir } from './helpers.js';

const melody = {
  bpm: 96,
  timeSignature: [3, 4] as [number, number],
  notes: [67, 69, 71, 72, 74].map((pitch, i) => ({ pitch, start: i * 4, duration: 3, velocity: 80 })),
};

const parents: string[] = [];
const owned: DragOut[] = [];
afterEach(async () => {
  await Promise.all(owned.splice(0).map((d) => d.dispose()));
  for (const dir of parents.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function dragOut(): { drag: DragOut; parent: string } {
  const parent = tempDir('continuo-drag-test-');
  parents.push(parent);
  const drag = createDragOut({ parentDir: parent });
  owned.push(drag);
  return { drag, parent };
}

describe('drag-out files', () => {
  it('makes no folder until the first drag', () => {
    const { drag, parent } = dragOut();
    expect(drag.folder).toBeNull();
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it("writes the exporter's bytes under its safe file name, inside one folder of its own", async () => {
    const { drag, parent } = dragOut();
    const file = await drag.write(melody, '../Tune: variation A');
    expect(path.basename(file)).toBe(exportMidi(melody, '../Tune: variation A').fileName);
    expect(path.basename(file)).toBe('Tune- variation A.mid');
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(exportMidi(melody, '../Tune: variation A').bytes);
    expect(importMidi(new Uint8Array(fs.readFileSync(file)), 'x.mid').melody.notes).toEqual(melody.notes);
    expect(path.dirname(path.dirname(file))).toBe(drag.folder);
    expect(fs.readdirSync(parent)).toEqual([path.basename(drag.folder!)]);
  });

  it('keeps every drag, even of the same name, in a separate folder (a drop may still be copying)', async () => {
    const { drag } = dragOut();
    const first = await drag.write(melody, 'tune');
    const second = await drag.write({ ...melody, notes: melody.notes.slice(0, 2) }, 'tune');
    expect(path.basename(first)).toBe(path.basename(second));
    expect(first).not.toBe(second);
    expect(fs.readFileSync(first).length).toBeGreaterThan(fs.readFileSync(second).length);
  });

  it('removes its folder and all files on dispose, waiting for a write under way, then refuses', async () => {
    const { drag, parent } = dragOut();
    const file = await drag.write(melody, 'one');
    const late = drag.write(melody, 'two');
    await drag.dispose();
    const written = await late;
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(written)).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([]);
    expect(drag.folder).toBeNull();
    expect(await rejection(drag.write(melody, 'three'))).toBe(
      'the app is quitting: nothing can be dragged out now',
    );
  });

  it('refuses a melody MIDI cannot hold with a message naming the file, writing nothing', async () => {
    const { drag, parent } = dragOut();
    const overlapping = {
      ...melody,
      notes: [
        { pitch: 60, start: 0, duration: 4, velocity: 80 },
        { pitch: 62, start: 2, duration: 4, velocity: 80 },
      ],
    };
    expect(await rejection(drag.write(overlapping, 'chord'))).toMatch(
      /^chord\.mid cannot be written: .*overlaps the note before it/,
    );
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('says which file could not be prepared when the folder is gone', async () => {
    const { drag } = dragOut();
    await drag.write(melody, 'first');
    fs.rmSync(drag.folder!, { recursive: true });
    expect(await rejection(drag.write(melody, 'second'))).toMatch(
      /^second\.mid could not be prepared for dragging \(ENOENT/,
    );
  });
});
