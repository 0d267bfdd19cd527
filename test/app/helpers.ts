/**
 * Shared by the app tests: the compiled worker (tests run a real worker thread, which needs the
 * built JavaScript: `npm test` builds first), fixtures, and throwaway user-data folders.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, repoRoot } from '../helpers/shared.js';
import type {
  ApiEvents,
  ApiJobs,
  JobKind,
  EventName,
  FileUpload,
  ImportOutcome,
  ImportProgress,
} from '../../app/contract/api.js';
import { EVENT_NAMES } from '../../app/contract/events.js';
import type { Services } from '../../app/services/index.js';

export const workerPath = path.join(repoRoot, 'dist/app/worker/index.js');

/** Fails the calling suite with a message saying what to do, instead of a worker crash later. */
export function requireBuiltWorker(): string {
  if (!fs.existsSync(workerPath)) {
    throw new Error(
      `${path.relative(repoRoot, workerPath)} is missing: run "npm run build" first (npm test does it)`,
    );
  }
  return workerPath;
}

export function fixture(name: string): FileUpload {
  return { name: path.basename(name), bytes: new Uint8Array(fs.readFileSync(path.join(fixturesDir, name))) };
}

export function tempDir(prefix = 'continuo-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The message a call rejected with; fails when it did not reject. */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the call to fail');
}

/** A one-line, user-facing message: no newline, no stack frame. */
export function expectOneLine(message: string): void {
  if (message.includes('\n') || /\n\s+at |\bat .+:\d+:\d+\)/.test(message) || message.trim() === '') {
    throw new Error(`expected a one-line message, got ${JSON.stringify(message)}`);
  }
}

/** What one job told its listeners, once it has ended (an import unless `K` says otherwise). */
export interface JobRecord<K extends JobKind = 'library.import'> {
  job: string;
  progress: ApiJobs[K]['progress'][];
  /** Every file's outcome, gathered from the progress events in the order they came. */
  outcomes: ImportOutcome[];
  /** The job's one end event: job.done, job.failed or job.cancelled. */
  end: { event: EventName; payload: ApiEvents[EventName] };
}

function jobIdOf(started: unknown): string {
  if (typeof started === 'object' && started !== null && 'job' in started && typeof started.job === 'string')
    return started.job;
  throw new Error(`expected {job}, got ${JSON.stringify(started)}`);
}

/**
 * Starts a job with `start` (a call answering `{job}`) and follows its events to the end, the way a
 * renderer does: subscribed before the call, matched by id afterwards.
 */
export async function followJob<K extends JobKind = 'library.import'>(
  services: Pick<Services, 'on'>,
  start: () => Promise<unknown>,
  onProgress?: (progress: ApiJobs[K]['progress'], job: string) => void,
): Promise<JobRecord<K>> {
  const seen: { event: EventName; payload: ApiEvents[EventName] }[] = [];
  let wake: () => void = () => undefined;
  const offs = EVENT_NAMES.map((event) =>
    services.on(event, (payload) => {
      seen.push({ event, payload });
      if ('progress' in payload) onProgress?.(payload.progress as ApiJobs[K]['progress'], payload.job);
      wake();
    }),
  );
  try {
    const job = jobIdOf(await start());
    const progress: ApiJobs[K]['progress'][] = [];
    for (let next = 0; ;) {
      for (; next < seen.length; next++) {
        const { event, payload } = seen[next];
        if (!('job' in payload) || payload.job !== job) continue;
        if ('progress' in payload) progress.push(payload.progress as ApiJobs[K]['progress']);
        else {
          const outcomes = progress.flatMap((p) => ('outcomes' in p ? (p as ImportProgress).outcomes : []));
          return { job, progress, outcomes, end: { event, payload } };
        }
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    for (const off of offs) off();
  }
}
