/**
 * The model files the app knows of, as `ModelRef`s for the model worker (which reads them; main
 * never parses a model file): the bundled default, always first and never deleted, and the models
 * folder of the app's data (`<userData>/models/`), which holds the models trained in the app and
 * the ones the user imported.
 *
 * The folder's `index.json` names each file and says where it came from and which model is active
 * (the one new generations start with). Model files and the index are written with writeFileAtomic,
 * so a crash leaves each whole; a model file is written before the index names it, and the index
 * forgets a model before its file is deleted, so the index never names a half-written file. A file
 * the index names that has gone missing is listed with its problem, not hidden.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../engine/disk/node.js';
import { firstLine } from '../../engine/errors/first-line.js';
import type { ModelRef } from '../contract/worker.js';
import { ServiceError } from './errors.js';

/** `models/` of the checkout when run from dist/ (this module is dist/app/services/models.js). */
export const defaultModelsDir = (): string => fileURLToPath(new URL('../../../models', import.meta.url));

export const DEFAULT_MODEL_ID = 'default';

/** The bundled models in `modelsDir`, the default first. */
export function bundledModels(modelsDir: string): ModelRef[] {
  return [{ id: DEFAULT_MODEL_ID, path: path.join(modelsDir, 'default.continuo'), builtIn: true }];
}

interface IndexEntry {
  id: string;
  file: string;
  name: string;
  origin: 'trained' | 'imported';
  addedAt: string;
}

interface IndexFile {
  kind: 'continuo-models';
  version: 1;
  active: string;
  models: IndexEntry[];
}

export interface ModelStore {
  /** The bundled models then the folder's, newest first (what the generator may use). */
  refs(): ModelRef[];
  ref(id: string): ModelRef | undefined;
  /** The model new generations start with. */
  active(): string;
  setActive(id: string): Promise<void>;
  /** Copies a model file into the folder under a new id; resolves with its ref once the index names it. */
  addFile(source: string, entry: { name: string; origin: 'trained' | 'imported' }): Promise<ModelRef>;
  addBytes(bytes: Uint8Array, entry: { name: string; origin: 'trained' | 'imported' }): Promise<ModelRef>;
  rename(id: string, name: string): Promise<ModelRef>;
  /** Forgets the model, then deletes its file; the active model falls back to the default. */
  remove(id: string): Promise<void>;
  /** The path a trained model is written to before `adopt` names it in the index. */
  newModelPath(): { id: string; path: string };
  adopt(id: string, file: string, entry: { name: string; origin: 'trained' | 'imported' }): Promise<ModelRef>;
  readonly dir: string;
  /** Why the index was ignored at start (unreadable), or null. */
  readonly problem: string | null;
}

function validEntry(value: unknown): value is IndexEntry {
  if (value === null || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    /^[A-Za-z0-9_-]{1,64}$/.test(e.id) &&
    e.id !== DEFAULT_MODEL_ID &&
    e.id !== 'scratch' &&
    typeof e.file === 'string' &&
    path.basename(e.file) === e.file &&
    typeof e.name === 'string' &&
    (e.origin === 'trained' || e.origin === 'imported') &&
    typeof e.addedAt === 'string'
  );
}

/** Opens the models folder of `userDataDir` (created on first write). */
export function openModelStore(userDataDir: string, bundledDir: string): ModelStore {
  const dir = path.join(userDataDir, 'models');
  const indexPath = path.join(dir, 'index.json');
  const bundled = bundledModels(bundledDir);
  let problem: string | null = null;
  let index: IndexFile = { kind: 'continuo-models', version: 1, active: DEFAULT_MODEL_ID, models: [] };
  try {
    const read = JSON.parse(fs.readFileSync(indexPath, 'utf8')) as Partial<IndexFile>;
    const models = Array.isArray(read.models) ? read.models.filter(validEntry) : [];
    index = {
      ...index,
      models,
      active:
        typeof read.active === 'string' && models.some((m) => m.id === read.active)
          ? read.active
          : DEFAULT_MODEL_ID,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      problem = `${indexPath}: ${error instanceof SyntaxError ? 'not valid JSON' : `cannot be read (${code})`}; the trained models are not listed`;
  }

  // Writes are chained so two quick changes cannot rename over each other out of order.
  let queue: Promise<unknown> = Promise.resolve();
  const save = (): Promise<void> => {
    const text = JSON.stringify(index, null, 2) + '\n';
    const write = queue.then(async () => {
      await fs.promises.mkdir(dir, { recursive: true });
      await writeFileAtomic(indexPath, text);
    });
    queue = write.catch(() => undefined);
    return write;
  };

  const toRef = (e: IndexEntry): ModelRef => ({
    id: e.id,
    path: path.join(dir, e.file),
    builtIn: false,
    name: e.name,
    origin: e.origin,
    addedAt: e.addedAt,
  });
  const entry = (id: string): IndexEntry => {
    if (bundled.some((b) => b.id === id))
      throw new ServiceError('the bundled default model cannot be renamed or deleted');
    const found = index.models.find((m) => m.id === id);
    if (!found) throw new ServiceError(`no model has id "${id}"`);
    return found;
  };
  const newModelPath = () => {
    const id = `m-${randomUUID()}`;
    return { id, path: path.join(dir, `${id}.continuo`) };
  };
  const adopt: ModelStore['adopt'] = async (id, file, { name, origin }) => {
    const e: IndexEntry = { id, file: path.basename(file), name, origin, addedAt: new Date().toISOString() };
    index = { ...index, models: [e, ...index.models] };
    await save();
    return toRef(e);
  };
  const written = async (write: () => Promise<void>) => {
    await fs.promises.mkdir(dir, { recursive: true });
    try {
      await write();
    } catch (error) {
      throw new ServiceError(`the model could not be saved in ${dir} (${firstLine(error)})`);
    }
  };

  return {
    dir,
    problem,
    refs: () => [...bundled, ...index.models.map(toRef)],
    ref(id) {
      const b = bundled.find((m) => m.id === id);
      if (b) return b;
      const e = index.models.find((m) => m.id === id);
      return e && toRef(e);
    },
    active: () => index.active,
    async setActive(id) {
      index = { ...index, active: id };
      await save();
    },
    newModelPath,
    adopt,
    async addFile(source, meta) {
      const target = newModelPath();
      await written(async () => writeFileAtomic(target.path, await fs.promises.readFile(source)));
      return adopt(target.id, target.path, meta);
    },
    async addBytes(bytes, meta) {
      const target = newModelPath();
      await written(() => writeFileAtomic(target.path, bytes));
      return adopt(target.id, target.path, meta);
    },
    async rename(id, name) {
      const e = entry(id);
      const renamed = { ...e, name: name.trim() };
      index = { ...index, models: index.models.map((m) => (m.id === id ? renamed : m)) };
      await save();
      return toRef(renamed);
    },
    async remove(id) {
      const e = entry(id);
      index = {
        ...index,
        models: index.models.filter((m) => m.id !== id),
        active: index.active === id ? DEFAULT_MODEL_ID : index.active,
      };
      await save();
      await fs.promises.rm(path.join(dir, e.file), { force: true });
    },
  };
}
