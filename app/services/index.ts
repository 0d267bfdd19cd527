/**
 * Composes the services and binds them to the contract: one handler per `ApiMethods` entry, each
 * called only with arguments that passed `validateArgs`. Electron main's IPC and the browser host
 * both go through `invoke`, so the two hosts cannot drift apart.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../engine/disk/node.js';
import { firstLine } from '../../engine/errors/first-line.js';
import type {
  ApiEvents,
  ApiHandlers,
  CallContext,
  CheckedArgs,
  EventName,
  MethodName,
  MethodResult,
  SaveKind,
} from '../contract/api.js';
import { ArgsError, isMethodName, validateArgs } from '../contract/schemas.js';
import { appInfo } from './app-info.js';
import { createDragOut, type DragOut } from './drag-out.js';
import { createDocuments, readDocument, type Documents } from './documents.js';
import { ServiceError } from './errors.js';
import { exportMidi, safeFileName } from './exporter.js';
import { createGenerator, type Generator } from './generator.js';
import { createLibrary, type Library } from './library.js';
import { createJobs, type Jobs } from './jobs.js';
import { ModelWorker } from './model-worker.js';
import { openSettings, type SettingsStore } from './settings.js';
import { defaultModelsDir, openModelStore, type ModelStore } from './models.js';
import { createModelHandlers } from './model-methods.js';
import { createTrainer, type Trainer } from './trainer.js';

export type { ApiHandlers };

/** The native dialogs Electron main provides; absent in the browser host. Paths come from the user. */
export interface NativeDialogs {
  /** Files (or folders) to import; [] when the user cancelled. */
  chooseImport(options: { folders: boolean; defaultPath: string | null }): Promise<string[]>;
  /** Where to save (an export, or a document file); null when the user cancelled. */
  chooseSaveTarget(options: {
    suggestedName: string;
    kind: SaveKind | 'document';
    defaultPath: string | null;
  }): Promise<string | null>;
  /** A document file to open; null when the user cancelled. */
  chooseDocument(options: { defaultPath: string | null }): Promise<string | null>;
}

export interface ServicesOptions {
  host: 'electron' | 'web';
  userDataDir: string;
  /** The compiled worker entry; defaults to the one beside this module in dist/. */
  workerPath?: string;
  /** The compiled training worker entry (one thread per training run); defaults to dist/'s. */
  trainWorkerPath?: string;
  /** The training workers' environment (tests inject faults through it). */
  trainWorkerEnv?: Record<string, string | undefined>;
  /** Milliseconds between a training's time-based checkpoints (default two minutes). */
  checkpointEveryMs?: number;
  dialogs?: NativeDialogs;
  /**
   * Where the bundled models are: `models/` of the checkout by default (beside dist/); the packaged
   * app passes its resources folder (electron-builder.yml `extraResources`).
   */
  modelsDir?: string;
}

type Listener<E extends EventName> = (payload: ApiEvents[E]) => void;

export interface Services {
  readonly handlers: ApiHandlers;
  readonly library: Library;
  readonly jobs: Jobs;
  readonly settings: SettingsStore;
  readonly worker: ModelWorker;
  readonly generator: Generator;
  readonly trainer: Trainer;
  readonly models: ModelStore;
  readonly documents: Documents;
  readonly dragOut: DragOut;
  /**
   * Validates and dispatches one call from a renderer. Rejects with a one-line message. `caller` is
   * what the host knows of the sender (Electron main's window drag), never anything from the page.
   */
  invoke(method: unknown, args: unknown, caller?: CallContext): Promise<unknown>;
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
  dispose(): Promise<void>;
}

export const defaultWorkerPath = (): string => fileURLToPath(new URL('../worker/index.js', import.meta.url));
export const defaultTrainWorkerPath = (): string =>
  fileURLToPath(new URL('../worker/train.js', import.meta.url));

const EXTENSIONS: Record<SaveKind, string> = { midi: '.mid', wav: '.wav', model: '.continuo' };

export function createServices(options: ServicesOptions): Services {
  const { host, dialogs } = options;
  const listeners = new Map<EventName, Set<Listener<EventName>>>();
  const emit = <E extends EventName>(event: E, payload: ApiEvents[E]) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  const worker = new ModelWorker(options.workerPath ?? defaultWorkerPath());
  const jobs = createJobs({ emit, describeFailure });
  const library = createLibrary({ worker, jobs });
  const models = openModelStore(options.userDataDir, options.modelsDir ?? defaultModelsDir());
  if (models.problem) console.warn(`continuo: ${models.problem}`);
  const generator = createGenerator({
    run: (job, args, runOptions) => worker.run(job, args, runOptions),
    jobs,
    models: () => models.refs(),
    active: () => models.active(),
  });
  const trainer = createTrainer({
    userDataDir: options.userDataDir,
    workerPath: options.trainWorkerPath ?? defaultTrainWorkerPath(),
    jobs,
    library,
    models,
    describe: (refs) => generator.describe(refs),
    workerEnv: options.trainWorkerEnv,
    checkpointEveryMs: options.checkpointEveryMs,
  });
  const modelHandlers = createModelHandlers({
    store: models,
    describe: (refs) => generator.describe(refs),
    checkpointModel: (run, step) => trainer.checkpointModel(run, step),
  });
  const settings = openSettings(options.userDataDir);
  if (settings.problem) console.warn(`continuo: ${settings.problem}`);
  const info = appInfo(host, dialogs !== undefined);
  const documents = createDocuments({
    userDataDir: options.userDataDir,
    ...(dialogs ? { dialogs } : {}),
    lastDir: {
      get: () => settings.get().lastDocumentDir,
      set: (dir) => settings.update({ lastDocumentDir: dir }),
    },
  });

  const dragOut = createDragOut();

  const needDialogs = (what: string): NativeDialogs => {
    if (!dialogs)
      throw new ServiceError(
        `${what} needs the desktop app; in the browser, use the page's file picker or download instead`,
      );
    return dialogs;
  };

  const handlers: ApiHandlers = {
    'app.info': async () => ({ ...info, credits: info.credits.map((c) => ({ ...c })) }),
    'library.importFiles': async ({ files, total }) => ({ job: library.importFiles(files, total) }),
    'library.importMore': async ({ job, files }) => ({ accepted: library.importMore(job, files) }),
    'library.openDialog': async ({ folders }) => {
      const chosen = await needDialogs('Opening files through a dialog').chooseImport({
        folders,
        defaultPath: settings.get().lastOpenDir,
      });
      if (chosen.length === 0) return { job: null };
      const first = chosen[0];
      await settings.update({ lastOpenDir: folders ? first : path.dirname(first) }).catch(() => undefined);
      return { job: library.importPaths(chosen) };
    },
    'jobs.cancel': async ({ job }) => ({ cancelled: jobs.cancel(job) }),
    'jobs.pause': async ({ job }) => ({ paused: await jobs.pause(job) }),
    'jobs.resume': async ({ job }) => ({ resumed: await jobs.resume(job) }),
    'library.selectTrack': ({ fileId, trackIndex }) => library.selectTrack(fileId, trackIndex),
    'library.remove': async ({ fileId }) => library.remove(fileId),
    'exporter.midi': async ({ melody, name }) => exportMidi(melody, name),
    'files.save': async ({ suggestedName, kind, bytes }) => {
      const extension = EXTENSIONS[kind];
      const target = await needDialogs('Saving through a dialog').chooseSaveTarget({
        suggestedName: safeFileName(suggestedName, extension),
        kind,
        defaultPath: settings.get().lastSaveDir,
      });
      if (target === null) return { saved: false };
      try {
        await writeFileAtomic(target, bytes);
      } catch (error) {
        throw new ServiceError(`${path.basename(target)} could not be saved (${firstLine(error)})`);
      }
      await settings.update({ lastSaveDir: path.dirname(target) }).catch(() => undefined);
      return { saved: true };
    },
    'files.dragOut': async ({ melody, name }, { startDrag }) => {
      if (!startDrag)
        throw new ServiceError('dragging a file out of the window needs the desktop app; use Export instead');
      await startDrag(await dragOut.write(melody, name));
      return { started: true };
    },
    'models.list': () => generator.listModels(),
    'generator.options': async () => generator.options(),
    'generator.generate': async ({ seed, settings, firstVariation }) => ({
      job: generator.generate(seed, settings, firstVariation),
    }),
    'generator.regenerate': async (args) => ({ job: generator.regenerate(args) }),
    'generator.analyse': (args) => generator.analyse(args),
    ...modelHandlers,
    'trainer.options': async () => trainer.options(),
    'trainer.estimate': (args) => trainer.estimate(args),
    'trainer.start': (args) => trainer.start(args),
    'trainer.listen': (args) => trainer.listen(args),
    'trainer.checkpoints': ({ run }) => trainer.checkpoints(run),
    'trainer.interrupted': () => trainer.interrupted(),
    'trainer.resume': ({ run }) => trainer.resume(run),
    'trainer.discard': ({ run }) => trainer.discard(run),
    'document.autosave': async ({ document }) => ({ written: await documents.autosave(document) }),
    'document.restore': () => documents.restore(),
    'document.encode': async ({ document, name }) => documents.encode(document, name),
    'document.save': async ({ document, name }) => {
      const fileName = await documents.saveWithDialog(document, name);
      return { saved: fileName !== null, fileName };
    },
    'document.read': async ({ file }) => readDocument(file.name, file.bytes),
    'document.openDialog': async () => ({ opened: await documents.openWithDialog() }),
  };

  const dispatch = <M extends MethodName>(
    method: M,
    args: CheckedArgs<M>,
    caller: CallContext,
  ): Promise<MethodResult<M>> => handlers[method](args, caller);

  return {
    handlers,
    library,
    jobs,
    settings,
    worker,
    generator,
    trainer,
    models,
    documents,
    dragOut,
    async invoke(method, args, caller = {}) {
      if (!isMethodName(method))
        throw new ArgsError(`unknown method ${JSON.stringify(String(method)).slice(0, 60)}`);
      return dispatch(method, validateArgs(method, args), caller);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as Listener<EventName>);
      return () => {
        set.delete(listener as Listener<EventName>);
      };
    },
    async dispose() {
      const trainingEnded = trainer.dispose();
      // An autosave asked for before closing is written before the process may go.
      await documents.idle();
      const jobsEnded = jobs.dispose();
      await trainingEnded;
      await worker.dispose();
      await jobsEnded;
      await dragOut.dispose();
      listeners.clear();
    },
  };
}

/**
 * What a host sends back for a failed call: user-facing errors as they are; anything else is a bug,
 * sent as one line and flagged `unexpected` so the host logs the stack.
 */
export function describeFailure(method: unknown, error: unknown): { message: string; unexpected: boolean } {
  if (error instanceof ArgsError || error instanceof ServiceError)
    return { message: error.message, unexpected: false };
  return {
    message: `${typeof method === 'string' ? method.slice(0, 60) : 'call'} failed: ${firstLine(error)}`,
    unexpected: true,
  };
}
