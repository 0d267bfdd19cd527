/**
 * Owns the model worker thread: started on first use (an app that never imports never pays for it),
 * restarted after a crash, terminated by `dispose()`. Jobs are request/response by id with progress
 * callbacks and cancellation through an AbortSignal, per `app/contract/worker.ts`.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { firstLine } from '../../engine/errors/first-line.js';
import {
  isProgressFor,
  isResultFor,
  isWorkerReply,
  type JobArgs,
  type JobName,
  type JobProgress,
  type JobRequest,
  type JobResult,
  type WorkerReply,
  type WorkerRequest,
} from '../contract/worker.js';
import { ServiceError } from './errors.js';

export interface RunOptions<J extends JobName> {
  onProgress?: (progress: JobProgress<J>) => void;
  signal?: AbortSignal;
}

interface Pending {
  job: JobName;
  onReply: (reply: WorkerReply) => void;
  fail: (error: Error) => void;
}

/** A reply tagged with another job than the one its id belongs to: a bug in the worker. */
function misdirected(name: string, job: JobName, reply: { type: string; job: string }): Error {
  return new Error(`the ${name} answered a ${job} job with a ${reply.type} for ${reply.job}`);
}

function hasPendingId(data: unknown): data is { id: number } {
  return typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'number';
}

export interface ModelWorkerOptions {
  /** What messages call the thread: "model worker" (the default) or "training worker". */
  name?: string;
  /** The thread's environment (default: a copy of the process's). */
  env?: Record<string, string | undefined>;
}

export class ModelWorker {
  readonly #scriptPath: string;
  readonly #name: string;
  readonly #env: Record<string, string | undefined> | undefined;
  #worker: Worker | null = null;
  #exited: Promise<void> = Promise.resolve();
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #disposed = false;
  #threadsStarted = 0;
  #threadsExited = 0;

  /** `scriptPath`: the compiled worker entry, `dist/app/worker/index.js`. */
  constructor(scriptPath: string, options: ModelWorkerOptions = {}) {
    this.#scriptPath = scriptPath;
    this.#name = options.name ?? 'model worker';
    this.#env = options.env;
  }

  /** True while a worker thread exists (tests assert it is gone after `dispose`). */
  get isRunning(): boolean {
    return this.#worker !== null;
  }

  get pendingJobs(): number {
    return this.#pending.size;
  }

  /** Threads started and threads whose 'exit' fired: equal when none is left running. */
  get threadCounts(): { started: number; exited: number } {
    return { started: this.#threadsStarted, exited: this.#threadsExited };
  }

  run<J extends JobName>(job: J, args: JobArgs<J>, options: RunOptions<J> = {}): Promise<JobResult<J>> {
    if (this.#disposed) return Promise.reject(new ServiceError(`the ${this.#name} has been shut down`));
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new ServiceError(`${job} was cancelled`));
    let worker: Worker;
    try {
      worker = this.#ensureWorker();
    } catch (error) {
      return Promise.reject(error);
    }
    const id = this.#nextId++;
    return new Promise<JobResult<J>>((resolve, reject) => {
      const onAbort = () => worker.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
      const settle = () => {
        this.#pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        if (this.#pending.size === 0) worker.unref();
      };
      const fail = (error: Error) => {
        settle();
        reject(error);
      };
      this.#pending.set(id, {
        job,
        fail,
        onReply: (reply) => {
          switch (reply.type) {
            case 'progress':
              if (isProgressFor(reply, job)) onProgress?.(reply.progress);
              else fail(misdirected(this.#name, job, reply));
              break;
            case 'result':
              if (isResultFor(reply, job)) {
                settle();
                resolve(reply.result);
              } else fail(misdirected(this.#name, job, reply));
              break;
            case 'failed':
              fail(new ServiceError(reply.message));
              break;
            case 'cancelled':
              fail(new ServiceError(`${job} was cancelled`));
              break;
            default: {
              const unknownReply: never = reply;
              fail(new Error(`unexpected worker reply ${JSON.stringify(unknownReply)}`));
            }
          }
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.ref();
      // A generic job name does not narrow the mapped request type; this is a JobRequest<J>.
      worker.postMessage({ type: 'job', id, job, args } as JobRequest<J>);
    });
  }

  /** Terminates the thread; pending jobs reject. Resolves once the thread has exited. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const worker = this.#worker;
    if (worker) {
      this.#failAll(new ServiceError(`the ${this.#name} was shut down`));
      await worker.terminate();
    }
    await this.#exited;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    if (!fs.existsSync(this.#scriptPath)) {
      throw new ServiceError(
        `the ${this.#name} is not built (${this.#scriptPath} is missing): run "npm run build" first`,
      );
    }
    const worker = new Worker(this.#scriptPath, this.#env ? { env: this.#env } : {});
    this.#worker = worker;
    this.#threadsStarted++;
    // A running job keeps the process alive (ref in run); an idle worker must not.
    worker.unref();
    worker.on('message', (data: unknown) => {
      if (isWorkerReply(data)) {
        this.#pending.get(data.id)?.onReply(data);
        return;
      }
      // A reply its job cannot use fails that job rather than leaving it waiting forever.
      const pending = hasPendingId(data) ? this.#pending.get(data.id) : undefined;
      if (pending) pending.fail(new Error(`the ${this.#name} sent a malformed reply to ${pending.job}`));
      else console.error(`continuo: ignoring a malformed message from the ${this.#name}`);
    });
    worker.on('error', (error) => {
      this.#failAll(new ServiceError(`the ${this.#name} crashed: ${firstLine(error)}`));
    });
    this.#exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.#threadsExited++;
        if (this.#worker === worker) this.#worker = null;
        this.#failAll(new ServiceError(`the ${this.#name} stopped unexpectedly (exit code ${code})`));
        resolve();
      });
    });
    return worker;
  }

  #failAll(error: Error): void {
    for (const pending of [...this.#pending.values()]) pending.fail(error);
  }
}
