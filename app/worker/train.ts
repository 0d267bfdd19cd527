/**
 * The training worker: one thread per training run (app/services/trainer.ts starts it), so a
 * training step never delays an import or a generation in the model worker. It speaks
 * `app/contract/worker.ts` and runs only its `trainer.*` jobs (./training.ts); a `cancel` of the
 * training stops it at the next step, after a checkpoint of that step.
 */
import { parentPort } from 'node:worker_threads';
import { firstLine } from '../../engine/errors/first-line.js';
import {
  isWorkerRequest,
  type JobRequest,
  type ProgressReply,
  type WorkerReply,
  type WorkerRequest,
} from '../contract/worker.js';
import { TrainingSession, estimateJob } from './training.js';

if (!parentPort) {
  console.error(
    'continuo: app/worker/train.js is the training worker; start the app instead of running it directly.',
  );
  process.exit(2);
}
const port = parentPort;
const running = new Map<number, AbortController>();
const session = new TrainingSession();

function reply(message: WorkerReply): void {
  port.postMessage(message);
}

async function runJob(request: JobRequest): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  const { id } = request;
  try {
    switch (request.job) {
      case 'trainer.estimate':
        reply({ type: 'result', id, job: 'trainer.estimate', result: await estimateJob(request.args) });
        break;
      case 'trainer.train': {
        const result = await session.train(request.args, controller.signal, (progress) =>
          reply({ type: 'progress', id, job: 'trainer.train', progress } satisfies ProgressReply),
        );
        reply({ type: 'result', id, job: 'trainer.train', result });
        break;
      }
      case 'trainer.pause':
        reply({
          type: 'result',
          id,
          job: 'trainer.pause',
          result: { changed: session.setPaused(request.args.paused) },
        });
        break;
      case 'trainer.listen':
        reply({ type: 'result', id, job: 'trainer.listen', result: await session.listen(request.args) });
        break;
      case 'midi.parse':
      case 'models.describe':
      case 'generator.generate':
      case 'generator.regenerate':
      case 'generator.analyse':
        reply({
          type: 'failed',
          id,
          message: `${request.job} runs in the model worker, not a training worker`,
        });
        break;
      default: {
        const unknownJob: never = request;
        const name = String((unknownJob as { job: unknown }).job);
        reply({ type: 'failed', id, message: `the training worker has no job "${name}"` });
      }
    }
  } catch (error) {
    if (controller.signal.aborted) reply({ type: 'cancelled', id });
    else reply({ type: 'failed', id, message: firstLine(error) });
  } finally {
    running.delete(id);
  }
}

function handle(request: WorkerRequest): void {
  switch (request.type) {
    case 'job':
      void runJob(request);
      break;
    case 'cancel':
      running.get(request.id)?.abort();
      break;
    default: {
      const unknownRequest: never = request;
      console.error('continuo training worker: ignoring an unknown request', unknownRequest);
    }
  }
}

port.on('message', (data: unknown) => {
  if (isWorkerRequest(data)) handle(data);
  else console.error('continuo training worker: ignoring a malformed message');
});
