/**
 * The models the app can generate with, as the Models list shows them: the bundled default (always
 * there, never renamed or deleted), the trained and the imported ones, and which is active for new
 * generations. Export saves a model file through a native dialog or a download; import checks a
 * file the user picked in main. Each outcome is said in words.
 */
import type { ContinuoApi, ModelInfo } from '../../../app/contract/api';
import { saveBytes } from '../api/save';
import { messageOf } from './library.svelte';

/** The models as listed now, and the one just made active (null when none was). */
export type ModelsChanged = (models: ModelInfo[], activated: string | null) => void;

export class ModelsState {
  models = $state.raw<ModelInfo[]>([]);
  /** The id of the model new generations start with. */
  active = $state<string | null>(null);
  /** What is being done now, e.g. 'import', 'export:<id>'; null when idle. */
  busy = $state<string | null>(null);
  message = $state<{ text: string; error: boolean } | null>(null);

  readonly activeModel = $derived(this.models.find((m) => m.id === this.active) ?? null);

  private readonly api: ContinuoApi;
  private readonly nativeDialogs: () => boolean;
  private readonly changed: ModelsChanged;

  /**
   * `changed` hears every new list and, after "Use this model", the model made active, so the
   * Generate panel offers what this list shows and generates with the model just chosen.
   */
  constructor(api: ContinuoApi, nativeDialogs: () => boolean, changed: ModelsChanged = () => undefined) {
    this.api = api;
    this.nativeDialogs = nativeDialogs;
    this.changed = changed;
  }

  async load(): Promise<void> {
    try {
      const { models, active } = await this.api.invoke('models.list', {});
      this.models = models;
      this.active = active;
      this.changed(models, null);
    } catch (error) {
      this.message = { text: `Could not list the models: ${messageOf(error)}`, error: true };
    }
  }

  /** Makes a model the active one for generation. */
  async use(id: string): Promise<void> {
    await this.#run(`use:${id}`, async () => {
      const { model } = await this.api.invoke('models.use', { from: { kind: 'model', id } });
      await this.load();
      this.changed(this.models, model.id);
      return `${model.name} is now the model new generations use.`;
    });
  }

  /** Saves a checkpoint of a run as a model of its own and makes it active. */
  async useCheckpoint(run: string, step: number): Promise<ModelInfo | null> {
    let made: ModelInfo | null = null;
    await this.#run(`use:${run}:${step}`, async () => {
      const { model } = await this.api.invoke('models.use', { from: { kind: 'checkpoint', run, step } });
      made = model;
      await this.load();
      this.changed(this.models, model.id);
      return `Saved the checkpoint of step ${step} as ${model.name}; new generations use it.`;
    });
    return made;
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') {
      this.message = { text: 'A model needs a name: type one before renaming.', error: true };
      return;
    }
    await this.#run(`rename:${id}`, async () => {
      const before = this.models.find((m) => m.id === id)?.name ?? id;
      const { model } = await this.api.invoke('models.rename', { model: id, name: trimmed });
      await this.load();
      return `Renamed ${before} to ${model.name}.`;
    });
  }

  async remove(id: string): Promise<void> {
    const model = this.models.find((m) => m.id === id);
    if (!model || model.builtIn) return;
    await this.#run(`delete:${id}`, async () => {
      const { deleted } = await this.api.invoke('models.delete', { model: id });
      await this.load();
      return deleted ? `Deleted ${model.name}.` : `${model.name} was already gone.`;
    });
  }

  async exportModel(id: string): Promise<void> {
    await this.#run(`export:${id}`, async () => {
      const { fileName, bytes } = await this.api.invoke('models.export', { model: id });
      const saved = await saveBytes(this.api, this.nativeDialogs(), {
        suggestedName: fileName,
        kind: 'model',
        bytes,
      });
      if (!saved) return 'Export cancelled.';
      return this.nativeDialogs() ? `Saved ${fileName}.` : `Downloaded ${fileName}.`;
    });
  }

  /** Adds a model file the user picked; main checks its format, checksum and vocabulary. */
  async importFile(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<void> {
    await this.#run(
      'import',
      async () => {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const { model } = await this.api.invoke('models.import', { name: file.name, bytes });
        await this.load();
        return `Imported ${file.name} as ${model.name}.`;
      },
      file.name,
    );
  }

  dismiss(): void {
    this.message = null;
  }

  async #run(what: string, work: () => Promise<string>, subject?: string): Promise<void> {
    if (this.busy) return;
    this.busy = what;
    this.message = null;
    try {
      this.message = { text: await work(), error: false };
    } catch (error) {
      const verb = what.split(':')[0];
      this.message = {
        text: `Could not ${verb}${subject ? ` ${subject}` : ''}: ${messageOf(error)}`,
        error: true,
      };
    } finally {
      this.busy = null;
    }
  }
}
