/**
 * The training worker: one thread per training run (app/services/trainer.ts starts it), so a
 * training step never delays an import or a generation in the model worker. It speaks
 * `app/contract/worker.ts` (the loop is ./serve.ts) and runs only its `trainer.*` jobs
 * (./training.ts); a `cancel` of the training stops it at the next step, after a checkpoint of it.
 */
import type { ProgressReply } from '../contract/worker.js';
import { serveJobs } from './serve.js';
import { TrainingSession, estimateJob } from './training.js';

const session = new TrainingSession();

serveJobs('training worker', 'app/worker/train.js', async (request, signal, reply) => {
  const { id } = request;
  switch (request.job) {
    case 'trainer.estimate':
      reply({ type: 'result', id, job: 'trainer.estimate', result: await estimateJob(request.args) });
      break;
    case 'trainer.train': {
      const result = await session.train(request.args, signal, (progress) =>
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
});
