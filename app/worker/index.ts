/**
 * The model worker: runs the engine's heavy work off the main process so the window (or the browser
 * host's socket) never stalls: imports, model cards and generation. It speaks only
 * `app/contract/worker.ts` (the loop is ./serve.ts); training runs in training workers (./train.ts).
 */
import type { ProgressReply } from '../contract/worker.js';
import { loadModel } from '../../engine/model-file/node.js';
import { ModelCache, analyseJob, generateJob, regenerateJob } from './generation.js';
import { parseFiles } from './midi-parse.js';
import { serveJobs } from './serve.js';

/** Each model file is read once, the first time a job needs it, and kept while the worker lives. */
const models = new ModelCache(loadModel);

serveJobs('model worker', 'app/worker/index.js', async (request, signal, reply) => {
  const { id } = request;
  switch (request.job) {
    case 'midi.parse': {
      const result = await parseFiles(request.args, signal, (progress) =>
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
      const result = await generateJob(models, request.args, signal, (progress) =>
        reply({ type: 'progress', id, job: 'generator.generate', progress } satisfies ProgressReply),
      );
      reply({ type: 'result', id, job: 'generator.generate', result });
      break;
    }
    case 'generator.regenerate': {
      // One short synchronous step: a cancel that arrived before it began is honoured.
      signal.throwIfAborted();
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
});
