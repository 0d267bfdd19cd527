/**
 * The session's running jobs, as the contract defines them (api.ts, "Long work is a job"): an id
 * per job, the `job.*` events, and cancellation of any job by its id. A service describes its work
 * as an async function of an AbortSignal and a progress callback; what it resolves with is the
 * job's result, a rejection is its failure, and a rejection once cancelled is its cancellation.
 *
 * Pure TypeScript with no Node imports: the renderer tests' in-memory API runs the same jobs.
 */
import type {
  ApiEvents,
  ApiJobs,
  EventName,
  JobDoneEvent,
  JobId,
  JobKind,
  JobProgressEvent,
} from '../contract/api.js';

export interface JobContext<K extends JobKind> {
  readonly job: JobId;
  /** Aborted by `cancel` (and on shutdown); the work stops between its units and rejects. */
  readonly signal: AbortSignal;
  /** Emits `job.progress` now; throttle with `throttleProgress` where progress comes fast. */
  progress(progress: ApiJobs[K]['progress']): void;
  /**
   * Makes the job pausable (`jobs.pause`/`jobs.resume` by its id): `pause` and `resume` answer
   * whether they changed anything (a paused job is not paused twice).
   */
  pausable(control: PauseControl): void;
}

export interface PauseControl {
  pause(): Promise<boolean>;
  resume(): Promise<boolean>;
}

export type JobWork<K extends JobKind> = (context: JobContext<K>) => Promise<ApiJobs[K]['result']>;

export interface Jobs {
  /** Starts `work` as a job of `kind` and returns its id; the work begins after this returns. */
  start<K extends JobKind>(kind: K, work: JobWork<K>): JobId;
  /** Asks a running job to stop; false when no such job is running. */
  cancel(job: JobId): boolean;
  /** Pauses a pausable running job; false when it is not running, cannot pause, or is paused. */
  pause(job: JobId): Promise<boolean>;
  /** Resumes a paused job; false when it was not paused. */
  resume(job: JobId): Promise<boolean>;
  /** True while the job runs and has not been asked to stop. */
  isActive(job: JobId): boolean;
  readonly running: number;
  /** Cancels every running job; resolves once all of them have ended. */
  dispose(): Promise<void>;
}

export interface JobsOptions {
  emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => void;
  /** The one-line message for a failure, and whether it is a bug worth logging with its stack. */
  describeFailure: (kind: JobKind, error: unknown) => { message: string; unexpected: boolean };
  log?: (message: string, error?: unknown) => void;
}

export function createJobs({ emit, describeFailure, log = console.error }: JobsOptions): Jobs {
  const running = new Map<
    JobId,
    { controller: AbortController; ended: Promise<void>; control: PauseControl | null }
  >();

  return {
    start(kind, work) {
      const job = crypto.randomUUID();
      const controller = new AbortController();
      const { signal } = controller;
      let ended = false;
      const context = {
        job,
        signal,
        progress: (progress: ApiJobs[typeof kind]['progress']) => {
          if (ended) return;
          // The compiler cannot follow a generic kind through the mapped event type; this is it.
          const payload = { job, kind, progress } as JobProgressEvent<typeof kind>;
          emit('job.progress', payload);
        },
        pausable: (control: PauseControl) => {
          const entry = running.get(job);
          if (entry) entry.control = control;
        },
      };
      // A macrotask later, so the reply carrying the id leaves before the job's first event.
      const begun = new Promise<void>((resolve) => setTimeout(resolve, 0));
      const finished = begun
        .then(() => {
          // Cancelled before it began: the work never runs.
          signal.throwIfAborted();
          return work(context);
        })
        .then(
          (result) => {
            ended = true;
            const payload = { job, kind, result } as JobDoneEvent<typeof kind>;
            emit('job.done', payload);
          },
          (error: unknown) => {
            ended = true;
            if (signal.aborted) {
              emit('job.cancelled', { job });
              return;
            }
            const failure = describeFailure(kind, error);
            if (failure.unexpected) log(`continuo: ${failure.message}`, error);
            emit('job.failed', { job, message: failure.message });
          },
        )
        .finally(() => running.delete(job));
      running.set(job, { controller, ended: finished, control: null });
      return job;
    },

    cancel(job) {
      const entry = running.get(job);
      if (!entry || entry.controller.signal.aborted) return false;
      entry.controller.abort();
      return true;
    },

    async pause(job) {
      const entry = running.get(job);
      if (!entry || entry.controller.signal.aborted || !entry.control) return false;
      return entry.control.pause();
    },

    async resume(job) {
      const entry = running.get(job);
      if (!entry || entry.controller.signal.aborted || !entry.control) return false;
      return entry.control.resume();
    },

    isActive(job) {
      const entry = running.get(job);
      return entry !== undefined && !entry.controller.signal.aborted;
    },

    get running() {
      return running.size;
    },

    async dispose() {
      const entries = [...running.values()];
      for (const entry of entries) entry.controller.abort();
      await Promise.all(entries.map((entry) => entry.ended));
    },
  };
}

/**
 * Progress that comes faster than a view can use (a file every millisecond, a training step every
 * few) coalesced to at most one emission per `intervalMs`: the first at once, later ones merged
 * (`merge(older, newer)`) and sent when the interval has passed. `flush` sends what is held; call it
 * before the work ends so its last progress precedes the end event.
 */
export function throttleProgress<P>(
  emit: (progress: P) => void,
  merge: (older: P, newer: P) => P,
  intervalMs = 100,
  now: () => number = Date.now,
): { push(progress: P): void; flush(): void } {
  let held: P | null = null;
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (held === null) return;
    const progress = held;
    held = null;
    last = now();
    emit(progress);
  };
  return {
    push(progress) {
      held = held === null ? progress : merge(held, progress);
      const wait = last + intervalMs - now();
      if (wait <= 0) flush();
      else timer ??= setTimeout(flush, wait);
    },
    flush,
  };
}
