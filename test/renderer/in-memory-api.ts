/**
 * An in-memory `ContinuoApi` for renderer tests: the real engine parses real MIDI bytes, but no
 * process boundary, worker or socket is involved. Every call goes through the contract's
 * `validateArgs` to `handlers`, typed as the real services' handler map, and imports run as the
 * real `library.import` job (jobs.ts, import-job.ts) with the engine in place of the model worker,
 * so renderer tests meet the same schemas, ids and job events the hosts give. Generation is the
 * real generator service (app/services/generator.ts) running the model worker's jobs
 * (app/worker/generation.ts) in-process with the bundled default model. Training is the real
 * trainer service (app/services/trainer.ts) with its real training worker thread (the built
 * dist/app/worker/train.js: `npm run build` first), learning from this double's imported files, with
 * the models folder and the runs in a throwaway data folder that `dispose()` removes. Documents are
 * the real documents service (app/services/documents.ts) on real files in a data folder of this
 * double's own (a temporary one unless given), so a second window on the same folder restores what
 * the first autosaved. It records calls so tests can see what the UI asked.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  ApiEvents,
  ApiHandlers,
  AppInfo,
  CheckedArgs,
  ContinuoApi,
  EventName,
  FileUpload,
  ImportedFile,
  ImportOutcome,
  MenuCommand,
  MethodArgs,
  MethodName,
  MethodResult,
} from '../../app/contract/api';
import { validateArgs } from '../../app/contract/schemas';
import type { JobArgs, JobName, JobProgress, JobResult } from '../../app/contract/worker';
import { createDocuments, readDocument, type Documents } from '../../app/services/documents';
import { ServiceError } from '../../app/services/errors';
import { createGenerator, type RunJob } from '../../app/services/generator';
import { createModelHandlers } from '../../app/services/model-methods';
import { openModelStore } from '../../app/services/models';
import { createTrainer } from '../../app/services/trainer';
import { createPartImports, type PartImports } from '../../app/services/import-job';
import { createJobs } from '../../app/services/jobs';
import { ModelCache, analyseJob, generateJob, regenerateJob } from '../../app/worker/generation';
import { importMidi, isMidiError, melodyToMidi } from '../../engine/midi/index';
import { loadModel } from '../../engine/model-file/node';
import { repoRoot } from '../helpers/shared';

const temporaryDirs: string[] = [];

function temporaryDataDir(): string {
  if (temporaryDirs.length === 0)
    process.once('exit', () =>
      temporaryDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })),
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-renderer-test-'));
  temporaryDirs.push(dir);
  return dir;
}

export interface Call {
  method: MethodName;
  args: unknown;
}

export const TEST_INFO: AppInfo = {
  version: '0.1.0-test',
  host: 'web',
  nativeDialogs: false,
  credits: [
    {
      what: 'Piano samples',
      who: 'Alexander Holm (Salamander Grand Piano)',
      license: 'CC BY 3.0',
      url: 'https://creativecommons.org/licenses/by/3.0/',
    },
  ],
};

export class InMemoryApi implements ContinuoApi {
  readonly calls: Call[] = [];
  readonly files = new Map<string, { bytes: Uint8Array; file: ImportedFile }>();
  info: AppInfo = TEST_INFO;
  saved: CheckedArgs<'files.save'>[] = [];
  /** What the page asked to drag out (as Electron main would start the drag of). */
  draggedOut: CheckedArgs<'files.dragOut'>[] = [];
  #listeners = new Map<EventName, Set<(payload: never) => void>>();
  #serial = 0;
  #settled = 0;
  #hold: { after: number; released: Promise<void> } | null = null;

  readonly #jobs = createJobs({
    emit: (event, payload) => this.#emit(event, payload),
    describeFailure: (kind, error) => ({
      message: error instanceof ServiceError ? error.message : `${kind} failed: ${String(error)}`,
      unexpected: false,
    }),
  });

  readonly #imports: PartImports;

  /** The model worker's generation jobs, run here (the model file is read once, on first use). */
  readonly #models = new ModelCache(loadModel);
  readonly #run: RunJob = async <J extends JobName>(
    job: J,
    args: JobArgs<J>,
    options: { onProgress?: (progress: JobProgress<J>) => void; signal?: AbortSignal } = {},
  ): Promise<JobResult<J>> => {
    const signal = options.signal ?? new AbortController().signal;
    // Like the worker, a job begins on a later turn, so a cancel right after the call is seen.
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal.throwIfAborted();
    const a = args as never;
    switch (job) {
      case 'models.describe':
        return {
          models: (args as JobArgs<'models.describe'>).models.map((m) => this.#models.describe(m)),
        } as JobResult<J>;
      case 'generator.generate':
        return (await generateJob(this.#models, a, signal, options.onProgress as never)) as JobResult<J>;
      case 'generator.regenerate':
        return regenerateJob(this.#models, a) as JobResult<J>;
      case 'generator.analyse':
        return analyseJob(this.#models, a) as JobResult<J>;
      default:
        throw new ServiceError(`the in-memory API does not run the worker job ${job}`);
    }
  };
  /** Created on first write only: a double that never trains leaves nothing behind. */
  readonly dataDir = path.join(os.tmpdir(), `continuo-in-memory-${randomUUID()}`);
  readonly #store = openModelStore(this.dataDir, `${repoRoot}/models`);
  readonly #generator = createGenerator({
    run: this.#run,
    jobs: this.#jobs,
    models: () => this.#store.refs(),
    active: () => this.#store.active(),
  });
  readonly #trainer = createTrainer({
    userDataDir: this.dataDir,
    workerPath: path.join(repoRoot, 'dist/app/worker/train.js'),
    jobs: this.#jobs,
    library: { get: (id) => this.files.get(id)?.file },
    models: this.#store,
    describe: (refs) => this.#generator.describe(refs),
  });

  /** The data folder the documents service autosaves to. */
  readonly userDataDir: string;
  readonly documents: Documents;

  /**
   * `partTimeoutMs`: how long an import waits for its next part (the hosts' own wait by default);
   * `userDataDir`: where documents are autosaved (a new temporary folder, removed at exit, by default).
   */
  constructor({ partTimeoutMs, userDataDir }: { partTimeoutMs?: number; userDataDir?: string } = {}) {
    this.userDataDir = userDataDir ?? temporaryDataDir();
    this.documents = createDocuments({ userDataDir: this.userDataDir });
    this.#imports = createPartImports(
      this.#jobs,
      async (uploads, report, signal) => {
        for (const upload of uploads) {
          if (this.#hold && this.#settled >= this.#hold.after) await this.#hold.released;
          signal.throwIfAborted();
          this.#settled++;
          report.add(this.#importOne(upload));
        }
      },
      partTimeoutMs,
    );
  }

  readonly handlers: ApiHandlers = {
    'app.info': async () => this.info,
    'library.importFiles': async ({ files, total }) => ({ job: this.#imports.start(files, total) }),
    'library.importMore': async ({ job, files }) => ({ accepted: this.#imports.more(job, files) }),
    'library.openDialog': async () => {
      throw new ServiceError('no native dialogs in this host');
    },
    'jobs.cancel': async ({ job }) => ({ cancelled: this.#jobs.cancel(job) }),
    'jobs.pause': async ({ job }) => ({ paused: await this.#jobs.pause(job) }),
    'jobs.resume': async ({ job }) => ({ resumed: await this.#jobs.resume(job) }),
    'library.selectTrack': async ({ fileId, trackIndex }) => {
      const entry = this.files.get(fileId);
      if (!entry) throw new ServiceError(`no imported file has id ${fileId}`);
      const file = this.#parse(entry.bytes, entry.file.fileName, fileId, trackIndex);
      this.files.set(fileId, { bytes: entry.bytes, file });
      return file;
    },
    'library.remove': async ({ fileId }) => ({ removed: this.files.delete(fileId) }),
    'exporter.midi': async ({ melody, name }) => ({
      fileName: `${name}.mid`,
      bytes: melodyToMidi(melody, { name }),
    }),
    'files.save': async (args) => {
      this.saved.push(args);
      return { saved: true };
    },
    'files.dragOut': async (args) => {
      this.draggedOut.push(args);
      return { started: true };
    },
    'models.list': () => this.#generator.listModels(),
    'generator.options': async () => this.#generator.options(),
    'generator.generate': async ({ seed, settings, firstVariation }) => ({
      job: this.#generator.generate(seed, settings, firstVariation),
    }),
    'generator.regenerate': async (args) => ({ job: this.#generator.regenerate(args) }),
    'generator.analyse': (args) => this.#generator.analyse(args),
    ...createModelHandlers({
      store: this.#store,
      describe: (refs) => this.#generator.describe(refs),
      checkpointModel: (run, step) => this.#trainer.checkpointModel(run, step),
    }),
    'trainer.options': async () => this.#trainer.options(),
    'trainer.estimate': (args) => this.#trainer.estimate(args),
    'trainer.start': (args) => this.#trainer.start(args),
    'trainer.listen': (args) => this.#trainer.listen(args),
    'trainer.checkpoints': ({ run }) => this.#trainer.checkpoints(run),
    'trainer.interrupted': () => this.#trainer.interrupted(),
    'trainer.resume': ({ run }) => this.#trainer.resume(run),
    'trainer.discard': ({ run }) => this.#trainer.discard(run),
    'document.autosave': async ({ document }) => ({ written: await this.documents.autosave(document) }),
    'document.restore': () => this.documents.restore(),
    'document.encode': async ({ document, name }) => this.documents.encode(document, name),
    'document.save': async () => {
      throw new ServiceError('no native dialogs in this host');
    },
    'document.read': async ({ file }) => readDocument(file.name, file.bytes),
    'document.openDialog': async () => {
      throw new ServiceError('no native dialogs in this host');
    },
  };

  /** Ends running trainings (each keeps its checkpoint) and removes the data folder. */
  async dispose(): Promise<void> {
    await this.#trainer.dispose();
    await this.#jobs.dispose();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  listenerCount(event: EventName): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /**
   * Holds imports once this double has settled `after` files in all (by default: before the next
   * one), the way a slow import looks from the page, until the returned function is called.
   */
  pauseImports(after = this.#settled): () => void {
    let release: () => void = () => undefined;
    this.#hold = { after, released: new Promise<void>((resolve) => (release = resolve)) };
    return () => {
      this.#hold = null;
      release();
    };
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** What Electron main sends when a menu item is chosen. */
  chooseMenu(command: MenuCommand): void {
    this.#emit('menu.command', { command });
  }

  #emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as (p: ApiEvents[E]) => void)(payload);
  }

  #parse(bytes: Uint8Array, name: string, id: string, trackIndex?: number): ImportedFile {
    const parsed = importMidi(bytes, name, trackIndex);
    return {
      id,
      fileName: name,
      tracks: parsed.tracks,
      melodyTrack: parsed.melodyTrack,
      melody: parsed.melody,
      report: parsed.report,
    };
  }

  #importOne(upload: FileUpload): ImportOutcome {
    try {
      const file = this.#parse(upload.bytes, upload.name, `file-${++this.#serial}`);
      this.files.set(file.id, { bytes: upload.bytes, file });
      return { ok: true, file };
    } catch (error) {
      if (!isMidiError(error)) throw error;
      return { ok: false, fileName: upload.name, error: error.reason };
    }
  }

  async invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    this.calls.push({ method, args });
    return this.handlers[method](validateArgs(method, args), {});
  }
}
