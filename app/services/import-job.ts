/**
 * The `library.import` job as the contract shapes it, apart from how a file becomes an outcome:
 * the page's files arrive in parts (`library.importFiles` announces the total and brings the first,
 * `library.importMore` the rest), each part is handed to `importPart` in order, and every outcome is
 * reported through throttled progress. The library runs it with the model worker behind
 * `importPart`; the renderer tests' in-memory API runs it with the engine in-process, so both speak
 * the same job.
 *
 * Pure TypeScript with no Node imports, like jobs.ts.
 */
import type { FileUpload, ImportOutcome, ImportProgress, JobId } from '../contract/api.js';
import { ServiceError } from './errors.js';
import { throttleProgress, type Jobs } from './jobs.js';

/** Where an import's outcomes go, one per file, in import order. */
export interface ImportReport {
  add(outcome: ImportOutcome): void;
}

export type ImportPart = (files: FileUpload[], report: ImportReport, signal: AbortSignal) => Promise<void>;

/** How long an import waits for its next part before it gives up (the page was closed). */
export const PART_TIMEOUT_MS = 60_000;

/** Counts an import's outcomes and sends them as throttled `library.import` progress. */
export function importReporter(total: number, progress: (p: ImportProgress) => void) {
  let imported = 0;
  let failed = 0;
  const throttled = throttleProgress(progress, (older: ImportProgress, newer: ImportProgress) => {
    older.outcomes.push(...newer.outcomes);
    return { ...newer, outcomes: older.outcomes };
  });
  throttled.push({ done: 0, total, fileName: '', outcomes: [] });
  return {
    add(outcome: ImportOutcome): void {
      if (outcome.ok) imported++;
      else failed++;
      const fileName = outcome.ok ? outcome.file.fileName : outcome.fileName;
      throttled.push({ done: imported + failed, total, fileName, outcomes: [outcome] });
    },
    /** Sends what is held; the job calls it before it ends, so its last progress comes first. */
    flush: throttled.flush,
    summary: () => ({ imported, failed }),
  };
}

/** The parts of one import, in the order the page sent them. */
class Parts {
  readonly #queued: FileUpload[][] = [];
  #wake: (() => void) | null = null;
  #received = 0;

  constructor(readonly total: number) {}

  get received(): number {
    return this.#received;
  }

  add(files: FileUpload[]): void {
    this.#received += files.length;
    this.#queued.push(files);
    this.#wake?.();
  }

  /** The next part; rejects when the job is cancelled or no part comes within `timeoutMs`. */
  async next(signal: AbortSignal, timeoutMs: number): Promise<FileUpload[]> {
    for (;;) {
      signal.throwIfAborted();
      const part = this.#queued.shift();
      if (part) return part;
      await new Promise<void>((resolve, reject) => {
        const stopWaiting = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', wake);
          this.#wake = null;
        };
        const wake = () => {
          stopWaiting();
          resolve();
        };
        const timer = setTimeout(() => {
          stopWaiting();
          reject(
            new ServiceError(
              `the import stopped after ${this.#received} of ${this.total} files: the rest never arrived`,
            ),
          );
        }, timeoutMs);
        signal.addEventListener('abort', wake, { once: true });
        this.#wake = wake;
      });
    }
  }
}

export interface PartImports {
  /** Starts an import of `total` files (default: these), `files` being the first part. */
  start(files: FileUpload[], total?: number): JobId;
  /** The next part of a running import; false when it has ended or is being cancelled. */
  more(job: JobId, files: FileUpload[]): boolean;
}

export function createPartImports(
  jobs: Jobs,
  importPart: ImportPart,
  partTimeoutMs = PART_TIMEOUT_MS,
): PartImports {
  const running = new Map<JobId, Parts>();
  return {
    start(files, total = files.length) {
      const parts = new Parts(total);
      parts.add(files);
      const job = jobs.start('library.import', async ({ signal, progress }) => {
        const report = importReporter(total, progress);
        try {
          for (let settled = 0; settled < total;) {
            const part = await parts.next(signal, partTimeoutMs);
            await importPart(part, report, signal);
            settled += part.length;
          }
        } finally {
          running.delete(job);
          report.flush();
        }
        return report.summary();
      });
      running.set(job, parts);
      return job;
    },

    more(job, files) {
      const parts = running.get(job);
      if (!parts || !jobs.isActive(job)) return false;
      if (parts.received + files.length > parts.total) {
        throw new ServiceError(
          `this import announced ${parts.total} files; ${parts.received + files.length} would be more`,
        );
      }
      parts.add(files);
      return true;
    },
  };
}
