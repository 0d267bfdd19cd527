/**
 * The Generate panel's state: the settings (one `GenerationSettings` record, as the contract takes
 * it), the models and options the host offers, the results of the latest generation, which result
 * is being auditioned and which two are compared (A/B), and the jobs that make them.
 *
 * Generation runs on the host (the model worker); this class only starts, follows and cancels its
 * jobs through renderer/lib/api/jobs.ts. A newer Generate supersedes a running one on the host (the
 * older ends cancelled); the results list is the newest request's. Nothing the user made is lost:
 * a bar-range regeneration is added beside the result it came from, never in its place.
 *
 * `toData()`/`restore()` give the settings and results as plain data, for the document file.
 */
import type {
  ContinuoApi,
  GeneratedVariation,
  GenerationSettings,
  GeneratorOptions,
  Melody,
  Memorisation,
  ModelInfo,
  ScaleChoice,
} from '../../../app/contract/api';
import { startJob, type RunningJob } from '../api/jobs';
import { messageOf } from './library.svelte';

/** One result in the list: a generated variation, or a bar-range regeneration of one. */
export interface GenerationResult {
  /** Unique in the session's list. */
  key: string;
  /** What the list calls it: "3", or "3 · bars 5–6". */
  label: string;
  melody: Melody;
  /** `melody.notes.slice(seedNotes)` are new (highlighted when auditioned). */
  seedNotes: number;
  memorisation: Memorisation;
  /** The recipe that makes this exact result again; null for a regeneration of a bar range. */
  made: GeneratedVariation['made'] | null;
  /** Where a regenerated range came from, for its label and its memory. */
  regenerated: { from: string; fromBar: number; toBar: number; chosen: number; candidates: number } | null;
}

export interface GenerationData {
  settings: GenerationSettings;
  results: GenerationResult[];
}

/** Names of the 12 pitch classes, for the key lock. */
export const TONICS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/** A fresh random seed: a non-negative 32-bit integer, as the contract takes it. */
export function rollSeed(random: () => number = Math.random): number {
  return Math.floor(random() * 2 ** 32) >>> 0;
}

/** The settings a new document starts with, before the host's options arrive. */
export function initialSettings(random?: () => number): GenerationSettings {
  return {
    modelId: 'default',
    bars: 8,
    variations: 4,
    temperature: 0.9,
    topK: 0,
    topP: 0.95,
    novelty: null,
    scale: null,
    range: null,
    maxRepeats: null,
    randomSeed: rollSeed(random),
  };
}

export function describeScale(scale: ScaleChoice | null): string {
  return scale ? `${TONICS[scale.tonic]} ${scale.name.replace(/-/g, ' ')}` : 'no key lock';
}

/** The memorisation meter in words. */
export function memorisationText(m: Memorisation): string {
  if ('missing' in m) return 'memorisation unknown (the model has no index of its training melodies)';
  if (m.longestRun === 0) return 'no run of 8 notes found in the training melodies';
  return `${m.longestRun} notes in a row found in the training melodies${m.warning ? ': it copies its training data' : ''}`;
}

export class GenerationState {
  settings = $state.raw<GenerationSettings>(initialSettings());
  options = $state.raw<GeneratorOptions | null>(null);
  models = $state.raw<ModelInfo[]>([]);
  results = $state.raw<GenerationResult[]>([]);
  /** What is running: a generation (with how far it got) or a regeneration of bars. */
  busy = $state.raw<{ kind: 'generate'; done: number; total: number } | { kind: 'regenerate' } | null>(null);
  message = $state.raw<{ text: string; error: boolean } | null>(null);
  /** The key lock the last generation applied (detected from the seed, or chosen). */
  appliedScale = $state.raw<{ scale: ScaleChoice | null; detected: boolean } | null>(null);
  /** The result being auditioned (shown in the roll), by key. */
  current = $state<string | null>(null);
  /** The result auditioned before `current`: the other side of A/B. */
  other = $state<string | null>(null);
  /** The bars of the auditioned result to sample again, and how many candidates to draw for them. */
  regenRange = $state.raw({ from: 3, to: 3, candidates: 8 });
  /** Changes whenever `toData()` does. */
  revision = $state(0);

  readonly model: ModelInfo | null = $derived(
    this.models.find((m) => m.id === this.settings.modelId) ?? null,
  );
  readonly currentResult: GenerationResult | null = $derived(
    this.results.find((r) => r.key === this.current) ?? null,
  );
  /** The novelty the slider shows: the chosen one, or the model's own. */
  readonly novelty: number = $derived(this.settings.novelty ?? this.model?.novelty ?? 0.5);

  readonly #api: ContinuoApi;
  #job: RunningJob<'generator.generate'> | null = null;
  #serial = 0;
  /** Ends the page's interest in jobs when the app goes away. */
  readonly #teardown = new AbortController();

  constructor(api: ContinuoApi) {
    this.#api = api;
  }

  /** Asks the host for its models and options; the settings take their defaults from them. */
  async load(): Promise<void> {
    try {
      const [options, { models }] = await Promise.all([
        this.#api.invoke('generator.options', {}),
        this.#api.invoke('models.list', {}),
      ]);
      this.options = options;
      this.models = models;
      const { defaults } = options;
      const known = models.some((m) => m.id === this.settings.modelId);
      this.settings = {
        ...this.settings,
        ...(this.revision === 0 ? defaults : {}),
        modelId: known ? this.settings.modelId : options.defaultModelId,
      };
      const problem = models.find((m) => m.id === this.settings.modelId)?.problem;
      if (problem) this.message = { text: problem, error: true };
    } catch (error) {
      this.message = { text: `The models could not be listed: ${messageOf(error)}`, error: true };
    }
  }

  /**
   * The models list changed elsewhere (trained, imported, renamed, deleted, or one made active in
   * Library & Train): offer the new list; generate with `activated` when one was just made active,
   * and with the default model when the chosen one is gone.
   */
  modelsChanged(models: ModelInfo[], activated: string | null): void {
    this.models = models;
    const fallback = this.options?.defaultModelId ?? 'default';
    const chosen = activated ?? (models.some((m) => m.id === this.settings.modelId) ? null : fallback);
    if (chosen !== null && chosen !== this.settings.modelId) this.update({ modelId: chosen });
  }

  update(patch: Partial<GenerationSettings>): void {
    this.settings = { ...this.settings, ...patch };
    this.revision++;
  }

  reroll(random?: () => number): void {
    this.update({ randomSeed: rollSeed(random) });
  }

  /**
   * Continues `seed` with the settings; replaces the list with the new results as they come. A
   * generation still running is superseded (the host cancels it).
   */
  async generate(seed: Melody): Promise<void> {
    const settings = this.settings;
    const batch = ++this.#serial;
    const fresh: GenerationResult[] = [];
    this.busy = { kind: 'generate', done: 0, total: settings.variations };
    this.message = null;
    const running = await this.#follow(
      () => this.#api.invoke('generator.generate', { seed, settings }),
      (variations, done, total) => {
        if (batch !== this.#serial) return;
        if (fresh.length === 0) {
          this.results = [];
          this.current = null;
          this.other = null;
        }
        fresh.push(...variations.map((v) => this.#fromVariation(v, batch)));
        this.results = [...fresh];
        this.busy = { kind: 'generate', done, total };
        this.revision++;
      },
    );
    if (!running) return;
    const end = await running.ended;
    if (batch !== this.#serial) return;
    this.#job = null;
    this.busy = null;
    if (end.status === 'done') {
      this.appliedScale = { scale: end.result.scale, detected: end.result.detected };
      const key = end.result.detected ? ` in ${describeScale(end.result.scale)} (found in the seed)` : '';
      this.message = { text: `${end.result.variations} variations${key}.`, error: false };
    } else if (end.status === 'failed') this.message = { text: end.message, error: true };
    else this.message = { text: `Generation cancelled after ${fresh.length} variations.`, error: false };
  }

  /** Stops the running generation; what it made stays in the list. */
  async cancel(): Promise<void> {
    await this.#job?.cancel();
  }

  /**
   * Makes `result` again from its recipe, note for note, and says whether it came out identical
   * (it does: same model, seed melody, settings and random seed). The list is left as it is.
   */
  async regenerateExactly(result: GenerationResult): Promise<boolean> {
    const made = result.made;
    if (!made) return false;
    const seed: Melody = { ...result.melody, notes: result.melody.notes.slice(0, result.seedNotes) };
    // It supersedes a generation still running, whose later progress is then not this list's.
    ++this.#serial;
    this.busy = { kind: 'generate', done: 0, total: 1 };
    const made1: GeneratedVariation[] = [];
    const running = await this.#follow(
      () =>
        this.#api.invoke('generator.generate', {
          seed,
          settings: { ...made.settings, variations: 1 },
          firstVariation: made.variation,
        }),
      (variations) => made1.push(...variations),
    );
    if (!running) return false;
    const end = await running.ended;
    this.#job = null;
    this.busy = null;
    if (end.status !== 'done' || made1.length !== 1) {
      this.message = {
        text: end.status === 'failed' ? end.message : 'Cancelled.',
        error: end.status === 'failed',
      };
      return false;
    }
    const same = JSON.stringify(made1[0].melody.notes) === JSON.stringify(result.melody.notes);
    this.message = same
      ? { text: `Variation ${result.label} made again: identical, note for note.`, error: false }
      : { text: `Variation ${result.label} made again, but it came out different.`, error: true };
    return same;
  }

  /**
   * Samples bars `fromBar`..`toBar` of `result` again (`candidates` of them, the one leading best
   * into the kept bars wins) and adds the new version right after it in the list, auditioned.
   */
  async regenerateBars(
    result: GenerationResult,
    fromBar: number,
    toBar: number,
    candidates: number,
  ): Promise<GenerationResult | null> {
    const { bars: _bars, variations: _variations, ...sampling } = this.settings;
    this.busy = { kind: 'regenerate' };
    this.message = null;
    try {
      const running = await startJob(
        this.#api,
        'generator.regenerate',
        async () =>
          (
            await this.#api.invoke('generator.regenerate', {
              melody: result.melody,
              fromBar,
              toBar,
              candidates,
              settings: sampling,
            })
          ).job,
        () => undefined,
        this.#teardown.signal,
      );
      const end = await running!.ended;
      if (end.status !== 'done') {
        this.message = {
          text: end.status === 'failed' ? end.message : 'Cancelled.',
          error: end.status === 'failed',
        };
        return null;
      }
      const r = end.result;
      const added: GenerationResult = {
        key: `r${++this.#serial}`,
        label: `${result.label} · bars ${fromBar}–${toBar}`,
        melody: r.melody,
        seedNotes: result.seedNotes,
        memorisation: r.memorisation,
        made: null,
        regenerated: { from: result.key, fromBar, toBar, chosen: r.chosen, candidates: r.candidates.length },
      };
      const at = this.results.findIndex((x) => x.key === result.key);
      this.results = [...this.results.slice(0, at + 1), added, ...this.results.slice(at + 1)];
      this.revision++;
      this.message = {
        text: `Bars ${fromBar}–${toBar}: candidate ${r.chosen + 1} of ${r.candidates.length} leads best into the bars after it.`,
        error: false,
      };
      this.audition(added.key);
      return added;
    } catch (error) {
      this.message = { text: messageOf(error), error: true };
      return null;
    } finally {
      this.busy = null;
    }
  }

  /** Makes `key` the result being auditioned; the one before it becomes the other side of A/B. */
  audition(key: string): void {
    if (key === this.current) return;
    if (this.current !== null) this.other = this.current;
    this.current = key;
  }

  /** A/B: swaps the auditioned result with the one auditioned before it; false when there is none. */
  swap(): boolean {
    if (this.other === null || !this.results.some((r) => r.key === this.other)) return false;
    [this.current, this.other] = [this.other, this.current];
    return true;
  }

  toData(): GenerationData {
    return { settings: { ...this.settings }, results: this.results.map((r) => structuredClone(r)) };
  }

  restore(data: GenerationData): void {
    this.settings = { ...data.settings };
    this.results = data.results.map((r) => ({ ...r }));
    this.current = null;
    this.other = null;
    this.revision++;
  }

  dispose(): void {
    this.#teardown.abort();
  }

  async #follow(
    start: () => Promise<{ job: string }>,
    onProgress: (variations: GeneratedVariation[], done: number, total: number) => void,
  ): Promise<RunningJob<'generator.generate'> | null> {
    try {
      const running = await startJob(
        this.#api,
        'generator.generate',
        async () => (await start()).job,
        (p) => onProgress(p.variations, p.done, p.total),
        this.#teardown.signal,
      );
      this.#job = running;
      return running;
    } catch (error) {
      this.busy = null;
      this.message = { text: messageOf(error), error: true };
      return null;
    }
  }

  #fromVariation(v: GeneratedVariation, batch: number): GenerationResult {
    return {
      key: `g${batch}-${v.index}`,
      label: String(v.index + 1),
      melody: v.melody,
      seedNotes: v.seedNotes,
      memorisation: v.memorisation,
      made: v.made,
      regenerated: null,
    };
  }
}
