/**
 * Starting and following one job of the contract (app/contract/api.ts, "Long work is a job") from
 * the page. It subscribes to the job events before the call that starts the job: Electron may
 * deliver an event before the reply that carries the id, so events that come early are kept and
 * replayed once the id is known; events of other jobs are ignored.
 */
import type {
  ApiJobs,
  ContinuoApi,
  JobDoneEvent,
  JobId,
  JobKind,
  JobProgressEvent,
} from '../../../app/contract/api';

export type JobEnd<K extends JobKind> =
  | { status: 'done'; result: ApiJobs[K]['result'] }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' };

export interface RunningJob<K extends JobKind> {
  readonly job: JobId;
  /** Settles once, with how the job ended; never rejects. */
  readonly ended: Promise<JobEnd<K>>;
  /** Asks the host to stop the job; false when it had already ended. */
  cancel(): Promise<boolean>;
}

function isProgressOf<K extends JobKind>(event: JobProgressEvent, kind: K): event is JobProgressEvent<K> {
  return event.kind === kind;
}

function isDoneOf<K extends JobKind>(event: JobDoneEvent, kind: K): event is JobDoneEvent<K> {
  return event.kind === kind;
}

/**
 * Calls `start` (which answers the new job's id, or null when no job was started, e.g. a dialog the
 * user cancelled) and follows that job of `kind`, handing each progress to `onProgress`. When
 * `signal` aborts (its owner goes away) the job is cancelled on the host without waiting for it,
 * and nothing more is delivered.
 */
export async function startJob<K extends JobKind>(
  api: ContinuoApi,
  kind: K,
  start: () => Promise<JobId | null>,
  onProgress: (progress: ApiJobs[K]['progress']) => void,
  signal?: AbortSignal,
): Promise<RunningJob<K> | null> {
  let job: JobId | null = null;
  let over = false;
  const early: { id: JobId; handle: () => void }[] = [];
  const route = (id: JobId, handle: () => void) => {
    if (job === null) early.push({ id, handle });
    else if (id === job && !over) handle();
  };
  let settle: (end: JobEnd<K>) => void = () => undefined;
  const ended = new Promise<JobEnd<K>>((resolve) => (settle = resolve));
  const end = (how: JobEnd<K>) => {
    over = true;
    unsubscribe();
    settle(how);
  };
  const offs = [
    api.on('job.progress', (e) =>
      route(e.job, () => {
        if (isProgressOf(e, kind)) onProgress(e.progress);
      }),
    ),
    api.on('job.done', (e) =>
      route(e.job, () =>
        end(
          isDoneOf(e, kind)
            ? { status: 'done', result: e.result }
            : { status: 'failed', message: `the host ended this ${kind} as a ${e.kind}` },
        ),
      ),
    ),
    api.on('job.failed', (e) => route(e.job, () => end({ status: 'failed', message: e.message }))),
    api.on('job.cancelled', (e) => route(e.job, () => end({ status: 'cancelled' }))),
  ];
  function unsubscribe() {
    for (const off of offs.splice(0)) off();
  }

  try {
    job = await start();
  } catch (error) {
    unsubscribe();
    throw error;
  }
  const id = job;
  if (id === null) {
    unsubscribe();
    return null;
  }
  const cancel = async () => (await api.invoke('jobs.cancel', { job: id })).cancelled;
  const abandon = () => {
    if (over) return;
    cancel().catch(() => false);
    end({ status: 'cancelled' });
  };
  if (signal?.aborted) abandon();
  signal?.addEventListener('abort', abandon, { once: true });
  void ended.then(() => signal?.removeEventListener('abort', abandon));
  for (const { id: eventJob, handle } of early.splice(0)) if (eventJob === id && !over) handle();
  return { job: id, ended, cancel };
}
