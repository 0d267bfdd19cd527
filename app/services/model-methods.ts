/**
 * The contract's `models.*` methods beyond the list: use (a model, or a checkpoint saved as one),
 * rename, delete, export, import. The files are the model store's (./models.ts); every card comes
 * from the model worker (`describe`), which also checks an imported file before it is kept.
 *
 * No Electron: the hosts and the renderer tests' in-memory API bind the same handlers.
 */
import fs from 'node:fs/promises';
import { firstLine } from '../../engine/errors/first-line.js';
import type { ApiHandlers, ModelInfo } from '../contract/api.js';
import type { ModelRef } from '../contract/worker.js';
import { ServiceError } from './errors.js';
import { safeFileName } from './exporter.js';
import type { ModelStore } from './models.js';

type ModelMethods = 'models.use' | 'models.rename' | 'models.delete' | 'models.export' | 'models.import';

export interface ModelMethodsOptions {
  store: ModelStore;
  describe(refs: ModelRef[]): Promise<ModelInfo[]>;
  /** The model file of a run's checkpoint (trainer.checkpointModel). */
  checkpointModel(run: string, step: number): Promise<{ path: string; name: string }>;
}

export function createModelHandlers({
  store,
  describe,
  checkpointModel,
}: ModelMethodsOptions): Pick<ApiHandlers, ModelMethods> {
  const refOf = (method: string, id: string): ModelRef => {
    const ref = store.ref(id);
    if (!ref) throw new ServiceError(`${method}: no model has id "${id}"`);
    return ref;
  };
  /** The card of a model that must be usable: a damaged one is refused with its problem. */
  const usable = async (method: string, ref: ModelRef): Promise<ModelInfo> => {
    const [info] = await describe([ref]);
    if (info.problem !== null)
      throw new ServiceError(`${method}: ${info.name} cannot be used: ${info.problem}`);
    return info;
  };
  const inStore = async <T>(method: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ServiceError) throw new ServiceError(`${method}: ${error.message}`);
      throw new ServiceError(`${method}: ${firstLine(error)}`);
    }
  };

  return {
    async 'models.use'({ from }) {
      let ref: ModelRef;
      if (from.kind === 'model') ref = refOf('models.use', from.id);
      else {
        const checkpoint = await checkpointModel(from.run, from.step);
        ref = await inStore('models.use', () =>
          store.addFile(checkpoint.path, { name: checkpoint.name, origin: 'trained' }),
        );
      }
      const model = await usable('models.use', ref);
      await inStore('models.use', () => store.setActive(ref.id));
      return { model };
    },

    async 'models.rename'({ model, name }) {
      const ref = await inStore('models.rename', () => store.rename(model, name));
      const [info] = await describe([ref]);
      return { model: info };
    },

    async 'models.delete'({ model }) {
      await inStore('models.delete', () => store.remove(model));
      return { deleted: true };
    },

    async 'models.export'({ model }) {
      const ref = refOf('models.export', model);
      const [info] = await describe([ref]);
      const bytes = await inStore('models.export', async () => new Uint8Array(await fs.readFile(ref.path)));
      return { fileName: safeFileName(info.name, '.continuo', 'model'), bytes };
    },

    async 'models.import'({ name, bytes }) {
      const base = name.replace(/\.continuo$/i, '').trim() || 'Imported model';
      const ref = await inStore('models.import', () =>
        store.addBytes(bytes, { name: base, origin: 'imported' }),
      );
      const [info] = await describe([ref]);
      if (info.problem !== null) {
        await store.remove(ref.id).catch(() => undefined);
        throw new ServiceError(`models.import: ${name} is not a model this app can use: ${info.problem}`);
      }
      return { model: info };
    },
  };
}
