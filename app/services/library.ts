/**
 * The session's imported files. Parsing runs in the model worker; the library keeps each file's
 * bytes so `selectTrack` can re-extract from another track without asking the renderer again.
 * Import never throws for a bad file: every file yields its melody or a one-line reason.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ApiEvents, FileUpload, ImportOutcome, ImportedFile } from '../contract/api.js';
import { LIMITS } from '../contract/schemas.js';
import type { ParsedFile } from '../contract/worker.js';
import { ServiceError, firstLine } from './errors.js';
import type { ModelWorker } from './model-worker.js';

export const MIDI_EXTENSIONS = ['.mid', '.midi', '.kar'];

export interface Library {
  importFiles(files: FileUpload[]): Promise<ImportOutcome[]>;
  /** Files and folders main chose (native dialog); folders are searched for MIDI files. */
  importPaths(paths: string[]): Promise<ImportOutcome[]>;
  selectTrack(fileId: string, trackIndex: number): Promise<ImportedFile>;
  remove(fileId: string): { removed: boolean };
  get(fileId: string): ImportedFile | undefined;
  readonly size: number;
}

interface Entry {
  upload: FileUpload;
  file: ImportedFile;
}

export interface LibraryOptions {
  worker: ModelWorker;
  emit: <E extends 'library.progress'>(event: E, payload: ApiEvents[E]) => void;
}

function isMidiName(name: string): boolean {
  return MIDI_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

/** Every MIDI file under the chosen paths, folders searched recursively; symlinks are not followed. */
export async function collectMidiPaths(
  paths: string[],
): Promise<{ files: string[]; problems: ImportOutcome[] }> {
  const files: string[] = [];
  const problems: ImportOutcome[] = [];
  const visit = async (p: string, depth: number, explicit: boolean): Promise<void> => {
    if (files.length >= LIMITS.filesPerImport) return;
    let stat;
    try {
      stat = await fs.lstat(p);
    } catch (error) {
      problems.push({ ok: false, fileName: path.basename(p), error: `cannot be read (${firstLine(error)})` });
      return;
    }
    if (stat.isDirectory()) {
      if (depth > 32) return;
      const names = (await fs.readdir(p)).sort((a, b) => a.localeCompare(b));
      for (const name of names) await visit(path.join(p, name), depth + 1, false);
    } else if (stat.isFile() && (explicit || isMidiName(p))) {
      files.push(p);
    }
  };
  for (const p of paths) await visit(p, 0, true);
  return { files, problems };
}

export function createLibrary({ worker, emit }: LibraryOptions): Library {
  const entries = new Map<string, Entry>();

  const toFile = (parsed: Extract<ParsedFile, { ok: true }>, id: string): ImportedFile => ({
    id,
    fileName: parsed.fileName,
    tracks: parsed.tracks,
    melodyTrack: parsed.melodyTrack,
    melody: parsed.melody,
    report: parsed.report,
  });

  const tooLarge = (name: string, size: number): ImportOutcome => ({
    ok: false,
    fileName: name,
    error: `is ${size} bytes, more than the ${LIMITS.bytesPerMidiFile}-byte limit for a MIDI file`,
  });

  const importFiles = async (uploads: FileUpload[]): Promise<ImportOutcome[]> => {
    const outcomes: (ImportOutcome | null)[] = uploads.map((u) =>
      u.bytes.byteLength > LIMITS.bytesPerMidiFile ? tooLarge(u.name, u.bytes.byteLength) : null,
    );
    const toParse = uploads.filter((_, i) => outcomes[i] === null);
    if (toParse.length > 0) {
      const parsed = await worker.run(
        'midi.parse',
        { files: toParse.map((u) => ({ name: u.name, bytes: u.bytes })) },
        // Oversized files were settled up front; progress still counts every file of the call.
        {
          onProgress: (p) =>
            emit('library.progress', {
              done: p.done + uploads.length - toParse.length,
              total: uploads.length,
              fileName: p.fileName,
            }),
        },
      );
      let next = 0;
      outcomes.forEach((outcome, i) => {
        if (outcome !== null) return;
        const result = parsed[next++];
        if (!result.ok) {
          outcomes[i] = { ok: false, fileName: result.fileName, error: result.error };
          return;
        }
        const file = toFile(result, randomUUID());
        entries.set(file.id, { upload: uploads[i], file });
        outcomes[i] = { ok: true, file };
      });
    }
    return outcomes.filter((o): o is ImportOutcome => o !== null);
  };

  return {
    importFiles,

    async importPaths(paths) {
      const { files, problems } = await collectMidiPaths(paths);
      const uploads: FileUpload[] = [];
      const unreadable: ImportOutcome[] = [...problems];
      let total = 0;
      for (const file of files) {
        const name = path.basename(file);
        try {
          const stat = await fs.stat(file);
          if (stat.size > LIMITS.bytesPerMidiFile) {
            unreadable.push(tooLarge(name, stat.size));
            continue;
          }
          if (total + stat.size > LIMITS.bytesPerImport) {
            unreadable.push({
              ok: false,
              fileName: name,
              error: 'not imported: this import is over its total size limit; import it separately',
            });
            continue;
          }
          total += stat.size;
          uploads.push({ name, bytes: new Uint8Array(await fs.readFile(file)) });
        } catch (error) {
          unreadable.push({ ok: false, fileName: name, error: `cannot be read (${firstLine(error)})` });
        }
      }
      return [...(await importFiles(uploads)), ...unreadable];
    },

    async selectTrack(fileId, trackIndex) {
      const entry = entries.get(fileId);
      if (!entry)
        throw new ServiceError(
          `no imported file has id ${fileId} (it was removed, or the app was restarted)`,
        );
      const trackCount = entry.file.tracks.length;
      if (trackIndex >= trackCount) {
        throw new ServiceError(
          `${entry.file.fileName} has ${trackCount} tracks; there is no track ${trackIndex}`,
        );
      }
      const [parsed] = await worker.run('midi.parse', { files: [{ ...entry.upload, trackIndex }] });
      if (!parsed.ok) throw new ServiceError(`${entry.file.fileName}, track ${trackIndex}: ${parsed.error}`);
      const file = toFile(parsed, fileId);
      entries.set(fileId, { upload: entry.upload, file });
      return file;
    },

    remove(fileId) {
      return { removed: entries.delete(fileId) };
    },

    get(fileId) {
      return entries.get(fileId)?.file;
    },

    get size() {
      return entries.size;
    },
  };
}
