/**
 * The model worker: runs the engine's heavy work off the main process so the window (or the browser
 * host's socket) never stalls. It speaks only `app/contract/worker.ts`: every job runs under its own
 * AbortController so a `cancel` can stop it between units of work.
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
import { loadModel } from '../../engine/model-file/node.js';
import { ModelCache, analyseJob, generateJob, regenerateJob } from './generation.js';
import { parseFiles } from './midi-parse.js';

if (!parentPort) {
  console.error(
    'continuo: app/worker/index.js is the model worker; start the app instead of running it directly.',
  );
  process.exit(2);
}
const port = parentPort;
const running = new Map<number, AbortController>();
/** Each model file is read once, the first time a job needs it, and kept while the worker lives. */
const models = new ModelCache(loadModel);

function reply(message: WorkerReply): void {
  port.postMessage(message);
}

async function runJob(request: JobRequest): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  const { id } = request;
  try {
    switch (request.job) {
      case 'midi.parse': {
        const result = await parseFiles(request.args, controller.signal, (progress) =>
          reply({ type: 'progress', id, job: 'midi.parse', progress } satisfies ProgressReply),
        );
        reply({ type: 'result', id, job: 'midi.parse', result });
        break;
      }
      case 'models.describe': {
        const described = request.args.models.map((ref) => models.describe(ref));
        reply({ type: 'result', id, job: 'models.describe', result: { models: described } });
        break;
      }
      case 'generator.generate': {
        const result = await generateJob(models, request.args, controller.signal, (progress) =>
          reply({ type: 'progress', id, job: 'generator.generate', progress } satisfies ProgressReply),
        );
        reply({ type: 'result', id, job: 'generator.generate', result });
        break;
      }
      case 'generator.regenerate': {
        // One short synchronous step: a cancel that arrived before it began is honoured.
        controller.signal.throwIfAborted();
        reply({
          type: 'result',
          id,
          job: 'generator.regenerate',
          result: regenerateJob(models, request.args),
        });
        break;
      }
      case 'generator.analyse': {
        reply({ type: 'result', id, job: 'generator.analyse', result: analyseJob(models, request.args) });
        break;
      }
      case 'trainer.estimate':
      case 'trainer.train':
      case 'trainer.pause':
      case 'trainer.listen':
        reply({
          type: 'failed',
          id,
          message: `${request.job} runs in a training worker, not the model worker`,
        });
        break;
      default: {
        const unknownJob: never = request;
        const name = String((unknownJob as { job: unknown }).job);
        reply({ type: 'failed', id, message: `the model worker has no job "${name}"` });
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
      console.error('continuo worker: ignoring an unknown request', unknownRequest);
    }
  }
}

port.on('message', (data: unknown) => {
  if (isWorkerRequest(data)) handle(data);
  else console.error('continuo worker: ignoring a malformed message');
});
