/**
 * The files a result becomes when it is dragged out of the window (Electron: `files.dragOut`). Each
 * drag gets the seed-and-result melody written as a Standard MIDI File (the exporter's bytes, under
 * its safe file name) in a folder of its own inside one temporary folder this module owns: the drop
 * target may still be copying an earlier file when the next drag starts, and a file keeps exactly
 * the name the user sees. The whole folder is removed by `dispose()` (when the app quits).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { firstLine } from '../../engine/errors/first-line.js';
import type { Melody } from '../contract/api.js';
import { ServiceError } from './errors.js';
import { exportMidi } from './exporter.js';

export interface DragOut {
  /** Writes the melody as `<safe name>.mid` and answers the file's absolute path. */
  write(melody: Melody, name: string): Promise<string>;
  /** The temporary folder, once the first drag made it (null before, and after `dispose()`). */
  readonly folder: string | null;
  /** Removes the folder and everything in it; a later `write` is refused. */
  dispose(): Promise<void>;
}

export function createDragOut(options: { parentDir?: string } = {}): DragOut {
  const parentDir = options.parentDir ?? os.tmpdir();
  let folder: Promise<string> | null = null;
  let made: string | null = null;
  let count = 0;
  let disposed = false;
  const pending = new Set<Promise<unknown>>();

  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.then(
      () => pending.delete(work),
      () => pending.delete(work),
    );
    return work;
  };

  const ownFolder = (): Promise<string> => {
    folder ??= fs.mkdtemp(path.join(parentDir, 'continuo-drag-')).then((dir) => (made = dir));
    return folder;
  };

  return {
    get folder() {
      return disposed ? null : made;
    },
    write(melody, name) {
      return track(
        (async () => {
          if (disposed) throw new ServiceError('the app is quitting: nothing can be dragged out now');
          // The exporter refuses what MIDI cannot hold, with the file's name, before anything is written.
          const { fileName, bytes } = exportMidi(melody, name);
          const dir = path.join(await ownFolder(), String(++count));
          try {
            await fs.mkdir(dir);
            const file = path.join(dir, fileName);
            await fs.writeFile(file, bytes);
            return file;
          } catch (error) {
            throw new ServiceError(`${fileName} could not be prepared for dragging (${firstLine(error)})`);
          }
        })(),
      );
    },
    async dispose() {
      disposed = true;
      await Promise.allSettled([...pending]);
      const dir = folder ? await folder.catch(() => null) : null;
      folder = null;
      made = null;
      if (dir) await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
