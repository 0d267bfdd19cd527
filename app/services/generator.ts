/**
 * Generation as the contract shapes it (api.ts, "Generation"): which models exist, the Generate
 * panel's options, `generator.generate` jobs that stream variations and supersede one another,
 * bar-range regeneration jobs and analysis. All model work is the model worker's (`run`, the
 * ModelWorker's own method); this module only routes, checks and supersedes.
 *
 * Pure TypeScript with no Node imports, like jobs.ts: the renderer tests' in-memory API composes the
 * same service with the worker's jobs run in-process.
 */
import { SCALES, SCALE_NAMES, constraintsProblem } from '../../engine/sample/constraints.js';
import { GENERATION_DEFAULTS } from '../../engine/sample/defaults.js';
import type {
  GenerateProgress,
  GenerationSettings,
  GeneratorOptions,
  JobId,
  Melody,
  MelodyAnalysis,
  ModelInfo,
  SamplingSettings,
} from '../contract/api.js';
import { ArgsError, LIMITS } from '../contract/schemas.js';
import type { JobArgs, JobName, JobProgress, JobResult, ModelRef } from '../contract/worker.js';
import { ServiceError } from './errors.js';
import { throttleProgress, type Jobs } from './jobs.js';

/** The model worker's `run` (app/services/model-worker.ts), or the same jobs run in-process. */
export type RunJob = <J extends JobName>(
  job: J,
  args: JobArgs<J>,
  options?: { onProgress?: (progress: JobProgress<J>) => void; signal?: AbortSignal },
) => Promise<JobResult<J>>;

export interface GeneratorServiceOptions {
  run: RunJob;
  jobs: Jobs;
  /** The model files the app knows of, the bundled default first, then the trained and imported ones. */
  models: () => ModelRef[];
  /** The model new generations start with (`models.use`); default: the first of `models`. */
  active?: () => string;
}

export interface Generator {
  listModels(): Promise<{ models: ModelInfo[]; active: string }>;
  /** The cards of these models (read by the model worker). */
  describe(refs: ModelRef[]): Promise<ModelInfo[]>;
  options(): GeneratorOptions;
  /** Starts a `generator.generate` job; a running one is cancelled first (superseded). */
  generate(seed: Melody, settings: GenerationSettings, firstVariation?: number): JobId;
  regenerate(args: {
    melody: Melody;
    fromBar: number;
    toBar: number;
    candidates: number;
    settings: SamplingSettings;
  }): JobId;
  analyse(args: {
    melody: Melody;
    modelId: string;
    novelty: number | null;
    step: number | null;
  }): Promise<MelodyAnalysis>;
  /** The running `generator.generate` job, if any. */
  readonly current: JobId | null;
}

/** Variations of several rounds held back by the throttle travel together, in order. */
const mergeProgress = (older: GenerateProgress, newer: GenerateProgress): GenerateProgress => ({
  done: newer.done,
  total: newer.total,
  variations: [...older.variations, ...newer.variations],
});

export function createGenerator({ run, jobs, models, active }: GeneratorServiceOptions): Generator {
  let current: JobId | null = null;
  const activeId = () => active?.() ?? models()[0]?.id ?? 'default';

  const modelRef = (method: string, field: string, id: string): ModelRef => {
    const known = models();
    const ref = known.find((m) => m.id === id);
    if (!ref)
      throw new ArgsError(
        `${method}: invalid arguments: ${field}: no model has id "${id}" (the models are: ${known.map((m) => m.id).join(', ')})`,
      );
    return ref;
  };

  /** The constraints checked before any work starts, so a bad combination is named at once. */
  const checkConstraints = (method: string, settings: SamplingSettings) => {
    const problem = constraintsProblem({
      ...(settings.scale && settings.scale !== 'detect' ? { scale: settings.scale } : {}),
      ...(settings.range ? { range: settings.range } : {}),
      ...(settings.maxRepeats !== null ? { maxRepeats: settings.maxRepeats } : {}),
    });
    if (problem !== null) {
      const field = settings.range ? 'settings.range' : 'settings.scale';
      throw new ArgsError(`${method}: invalid arguments: ${field}: ${problem}`);
    }
  };

  return {
    async listModels() {
      const { models: described } = await run('models.describe', { models: models() });
      return { models: described, active: activeId() };
    },

    async describe(refs) {
      return (await run('models.describe', { models: refs })).models;
    },

    options() {
      return {
        scales: SCALE_NAMES.map((name) => ({ name, intervals: [...SCALES[name]] })),
        defaults: { ...GENERATION_DEFAULTS },
        limits: {
          bars: LIMITS.barsPerGeneration,
          variations: LIMITS.variations,
          candidates: LIMITS.candidates,
          maxRepeats: LIMITS.maxRepeats,
          randomSeed: LIMITS.randomSeed,
          topK: LIMITS.topK,
          temperature: LIMITS.temperature,
        },
        defaultModelId: activeId(),
      };
    },

    generate(seed, settings, firstVariation = 0) {
      const model = modelRef('generator.generate', 'settings.modelId', settings.modelId);
      checkConstraints('generator.generate', settings);
      if (current !== null) jobs.cancel(current);
      const job = jobs.start('generator.generate', async ({ signal, progress }) => {
        const throttled = throttleProgress(progress, mergeProgress);
        try {
          return await run(
            'generator.generate',
            { model, seed, settings, firstVariation },
            { signal, onProgress: throttled.push },
          );
        } finally {
          // What was made before a cancel is still delivered, before the job's end event.
          throttled.flush();
          if (current === job) current = null;
        }
      });
      current = job;
      return job;
    },

    regenerate({ melody, fromBar, toBar, candidates, settings }) {
      const model = modelRef('generator.regenerate', 'settings.modelId', settings.modelId);
      checkConstraints('generator.regenerate', settings);
      return jobs.start('generator.regenerate', ({ signal }) =>
        run('generator.regenerate', { model, melody, fromBar, toBar, candidates, settings }, { signal }),
      );
    },

    async analyse({ melody, modelId, novelty, step }) {
      const model = modelRef('generator.analyse', 'modelId', modelId);
      try {
        return await run('generator.analyse', { model, melody, novelty, step });
      } catch (error) {
        if (error instanceof ServiceError) throw error;
        throw new ServiceError(error instanceof Error ? error.message.split('\n')[0] : String(error));
      }
    },

    get current() {
      return current;
    },
  };
}
