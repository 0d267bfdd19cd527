/**
 * What both worker entries share (the model worker, app/worker/index.ts, and the training worker,
 * app/worker/train.ts): the message loop of `app/contract/worker.ts`. Every job runs under its own
 * AbortController, so a `cancel` can stop it between units of work; a job that throws is answered
 * `failed` with one line, or `cancelled` once its cancel has been asked for.
 */
import { parentPort } from 'node:worker_threads';
import { firstLine } from '../../engine/errors/first-line.js';
import {
  isWorkerRequest,
  type JobRequest,
  type WorkerReply,
  type WorkerRequest,
} from '../contract/worker.js';

export type Reply = (message: WorkerReply) => void;

/** Runs one job to its `result` (or `failed`) reply; throwing answers `failed` / `cancelled`. */
export type JobRunner = (request: JobRequest, signal: AbortSignal, reply: Reply) => Promise<void>;

/** Serves jobs on this thread's port; `name` and `entry` word the message when run as a script. */
export function serveJobs(name: string, entry: string, run: JobRunner): void {
  if (!parentPort) {
    console.error(`continuo: ${entry} is the ${name}; start the app instead of running it directly.`);
    process.exit(2);
  }
  const port = parentPort;
  const running = new Map<number, AbortController>();
  const reply: Reply = (message) => port.postMessage(message);

  const runJob = async (request: JobRequest) => {
    const controller = new AbortController();
    running.set(request.id, controller);
    try {
      await run(request, controller.signal, reply);
    } catch (error) {
      if (controller.signal.aborted) reply({ type: 'cancelled', id: request.id });
      else reply({ type: 'failed', id: request.id, message: firstLine(error) });
    } finally {
      running.delete(request.id);
    }
  };

  const handle = (request: WorkerRequest) => {
    switch (request.type) {
      case 'job':
        void runJob(request);
        break;
      case 'cancel':
        running.get(request.id)?.abort();
        break;
      default: {
        const unknownRequest: never = request;
        console.error(`continuo ${name}: ignoring an unknown request`, unknownRequest);
      }
    }
  };

  port.on('message', (data: unknown) => {
    if (isWorkerRequest(data)) handle(data);
    else console.error(`continuo ${name}: ignoring a malformed message`);
  });
}
