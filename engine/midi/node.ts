/**
 * Finding MIDI files on disk (Node only): the one folder walker behind `continuo train|eval|extract`
 * and the app's folder import, so both take the same files from the same folder.
 *
 * Paths named explicitly are taken whatever their extension (the user chose them; the reader says
 * what is wrong with one that is not MIDI). Folders are searched recursively for names that
 * isMidiFileName accepts. Symbolic links inside folders are not followed, so a walk cannot loop or
 * leave the folder that was chosen; a named path that is a link is followed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isMidiFileName } from './file-names.js';

/** Folders nested deeper than this below a named folder are not searched. */
export const MAX_FOLDER_DEPTH = 32;

export interface FoundMidiFiles {
  /** In walk order: named paths in the order given, each folder's entries in `compare` order. */
  files: string[];
  /** Named paths and folders inside them that could not be read; the walk goes on past them. */
  problems: { path: string; error: unknown }[];
}

export interface FindMidiOptions {
  /** Stop once this many files are found. */
  limit?: number;
  /** Order of the names inside a folder: UTF-16 code-unit order (the same on every machine) unless given. */
  compare?: (a: string, b: string) => number;
}

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export async function findMidiFiles(
  paths: readonly string[],
  { limit = Infinity, compare = codeUnitOrder }: FindMidiOptions = {},
): Promise<FoundMidiFiles> {
  const files: string[] = [];
  const problems: FoundMidiFiles['problems'] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: dir, error });
      return;
    }
    entries.sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      if (files.length >= limit) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_FOLDER_DEPTH) await walk(full, depth + 1);
      } else if (entry.isFile() && isMidiFileName(entry.name)) {
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    if (files.length >= limit) break;
    try {
      if ((await fs.stat(p)).isDirectory()) await walk(p, 0);
      else files.push(p);
    } catch (error) {
      problems.push({ path: p, error });
    }
  }
  return { files, problems };
}
