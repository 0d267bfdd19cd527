/**
 * The session's imported files. Parsing runs in the model worker; the library keeps each file's
 * bytes so `selectTrack` can re-extract from another track without asking the renderer again.
 * Import never throws for a bad file: every file yields its melody or a one-line reason.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { firstLine } from '../../engine/errors/first-line.js';
import { findMidiFiles } from '../../engine/midi/node.js';
import type { FileUpload, ImportOutcome, ImportedFile, JobId } from '../contract/api.js';
import { LIMITS } from '../contract/schemas.js';
import type { ParsedFile } from '../contract/worker.js';
import { ServiceError } from './errors.js';
import { createPartImports, importReporter, type ImportPart, type ImportReport } from './import-job.js';
import type { Jobs } from './jobs.js';
import type { ModelWorker } from './model-worker.js';

export interface Library {
  /**
   * Starts a `library.import` job of `total` files (default: these), `files` being its first part;
   * returns the job's id at once. Each file's outcome travels in the job's progress.
   */
  importFiles(files: FileUpload[], total?: number): JobId;
  /** The next part of a running import; false when that import has ended or is being cancelled. */
  importMore(job: JobId, files: FileUpload[]): boolean;
  /** A `library.import` job of files and folders main chose (native dialog); folders are searched for MIDI files. */
  importPaths(paths: string[]): JobId;
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
  worker: Pick<ModelWorker, 'run'>;
  jobs: Jobs;
  /** How long an import waits for its next part before it gives up (the page was closed). */
  partTimeoutMs?: number;
}

export function createLibrary({ worker, jobs, partTimeoutMs }: LibraryOptions): Library {
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

  /** Parses uploads in the worker; each file's outcome is reported as the worker answers it. */
  const parse = async (uploads: FileUpload[], report: ImportReport, signal: AbortSignal) => {
    if (uploads.length === 0) return;
    await worker.run(
      'midi.parse',
      { files: uploads.map((u) => ({ name: u.name, bytes: u.bytes })) },
      {
        signal,
        onProgress: ({ done, file: parsed }) => {
          if (!parsed.ok) {
            report.add({ ok: false, fileName: parsed.fileName, error: parsed.error });
            return;
          }
          const file = toFile(parsed, randomUUID());
          entries.set(file.id, { upload: uploads[done - 1], file });
          report.add({ ok: true, file });
        },
      },
    );
  };

  /** One part, outcomes in the order of its files: oversized files are settled between runs. */
  const importPart: ImportPart = async (uploads, report, signal) => {
    let run: FileUpload[] = [];
    for (const upload of uploads) {
      if (upload.bytes.byteLength <= LIMITS.bytesPerMidiFile) {
        run.push(upload);
        continue;
      }
      await parse(run, report, signal);
      run = [];
      report.add(tooLarge(upload.name, upload.bytes.byteLength));
    }
    await parse(run, report, signal);
  };

  /** Reads the files main found; those it cannot take become outcomes. */
  const readFiles = async (files: string[], signal: AbortSignal) => {
    const uploads: FileUpload[] = [];
    const unreadable: ImportOutcome[] = [];
    let total = 0;
    for (const file of files) {
      signal.throwIfAborted();
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
    return { uploads, unreadable };
  };

  const partImports = createPartImports(jobs, importPart, partTimeoutMs);

  return {
    importFiles: (files, total) => partImports.start(files, total),
    importMore: (job, files) => partImports.more(job, files),

    importPaths(paths) {
      return jobs.start('library.import', async ({ signal, progress }) => {
        const found = await findMidiFiles(paths, {
          limit: LIMITS.filesPerImport,
          compare: (a, b) => a.localeCompare(b),
        });
        const files = found.files;
        const problems: ImportOutcome[] = found.problems.map((p) => ({
          ok: false,
          fileName: path.basename(p.path),
          error: `cannot be read (${firstLine(p.error)})`,
        }));
        signal.throwIfAborted();
        const report = importReporter(files.length + problems.length, progress);
        try {
          const { uploads, unreadable } = await readFiles(files, signal);
          await importPart(uploads, report, signal);
          for (const outcome of [...problems, ...unreadable]) report.add(outcome);
        } finally {
          report.flush();
        }
        return report.summary();
      });
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
      let parsed: ParsedFile | undefined;
      await worker.run(
        'midi.parse',
        { files: [{ ...entry.upload, trackIndex }] },
        { onProgress: (p) => (parsed = p.file) },
      );
      if (!parsed) throw new ServiceError(`${entry.file.fileName}: the model worker did not answer`);
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
