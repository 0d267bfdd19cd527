/**
 * "What the model thinks" of the seed being edited: the model's next-note distribution at the edit
 * cursor (drawn as ghost notes, piano-roll/ghosts.ts) and, when asked for, each note's surprise in
 * bits (its colour). Both come from `generator.analyse`, which runs in the model worker; requests
 * follow the seed and the cursor through `Latest` (debounced, one in flight, a newer request
 * supersedes an older one), so editing never waits for the model and a stale answer is never shown:
 * an answer is shown only while the seed, the cursor and the model are still the ones it was asked
 * for (`ghosts` and `surpriseBits` are empty otherwise).
 *
 * The distribution is asked for with the seed up to the cursor only (the engine reads nothing from
 * the cursor on), so moving the cursor or editing after it costs one short pass of the model; the
 * surprise needs the whole melody and is asked for separately, only when it is shown. The melody
 * coloured is the seed by default; the app passes `coloured` so a result on screen (seed and
 * continuation) is coloured as well, with the same toggle and the same rule for stale answers.
 */
import type { ContinuoApi, Melody, ModelInfo, NextNoteDistribution } from '../../../app/contract/api';
import { Latest } from '../api/latest';
import { ghostNotes, type Ghost } from '../piano-roll/ghosts';
import { messageOf } from './library.svelte';

/** Milliseconds of quiet before asking: a run of edits (step entry, a drag) becomes one request. */
export const ANALYSE_DELAY_MS = 80;

/** What the overlay follows: the seed on screen and its cursor, or null when no seed is shown. */
export interface OverlaySource {
  melody: Melody;
  cursor: number;
  /** The length of a ghost note: the note length tool's, in steps. */
  noteLength: number;
}

interface NextAsked {
  melody: Melody;
  cursor: number;
  modelId: string;
}

interface SurpriseAsked {
  melody: Melody;
  modelId: string;
}

/** The seed's notes before `step`, a note still sounding there cut at it (what the engine reads). */
export function seedBefore(melody: Melody, step: number): Melody {
  const notes = melody.notes
    .filter((n) => n.start < step)
    .map((n) => ({ ...n, duration: Math.min(n.duration, step - n.start) }));
  return { ...melody, notes, timeSignature: [melody.timeSignature[0], melody.timeSignature[1]] };
}

export interface ModelOverlayOptions {
  /** The melody to colour by surprise, when one is on screen; the source's melody by default. */
  coloured?: () => Melody | null;
  delayMs?: number;
  later?: (fn: () => void, ms: number) => () => void;
}

export class ModelOverlay {
  /** Show the ghost notes at the cursor. */
  ghostsOn = $state(true);
  /** Colour each note by its surprise. */
  surpriseOn = $state(false);
  models = $state.raw<ModelInfo[]>([]);
  /** The model asked; null until the models are known. */
  modelId = $state<string | null>(null);
  /** The last problem asking the model, shown until an answer comes. */
  error = $state<string | null>(null);

  #next = $state.raw<{ asked: NextAsked; next: NextNoteDistribution } | null>(null);
  #surprise = $state.raw<{ asked: SurpriseAsked; bits: number[] } | null>(null);

  readonly #api: ContinuoApi;
  readonly #source: () => OverlaySource | null;
  readonly #coloured: () => Melody | null;
  readonly #nextRequests: Latest<NextAsked, NextNoteDistribution | null>;
  readonly #surpriseRequests: Latest<SurpriseAsked, number[]>;

  constructor(api: ContinuoApi, source: () => OverlaySource | null, options: ModelOverlayOptions = {}) {
    this.#api = api;
    this.#source = source;
    this.#coloured = options.coloured ?? (() => this.#source()?.melody ?? null);
    const timing = {
      delayMs: options.delayMs ?? ANALYSE_DELAY_MS,
      ...(options.later ? { later: options.later } : {}),
    };
    const failed = (error: unknown) => (this.error = messageOf(error));
    this.#nextRequests = new Latest({
      ...timing,
      fetch: async (asked) =>
        (
          await api.invoke('generator.analyse', {
            melody: seedBefore(asked.melody, asked.cursor),
            modelId: asked.modelId,
            novelty: null,
            step: asked.cursor,
          })
        ).next,
      onResult: (next, asked) => {
        this.error = null;
        this.#next = next ? { asked, next } : null;
      },
      onError: failed,
    });
    this.#surpriseRequests = new Latest({
      ...timing,
      fetch: async (asked) => {
        const analysis = await api.invoke('generator.analyse', {
          melody: asked.melody,
          modelId: asked.modelId,
          novelty: null,
          step: null,
        });
        return analysis.notes.map((n) => n.bits);
      },
      onResult: (bits, asked) => {
        this.error = null;
        this.#surprise = { asked, bits };
      },
      onError: failed,
    });
  }

  /** The models that can be used (the others say why not in `models`). */
  readonly usable = $derived(this.models.filter((m) => m.problem === null));

  /** The distribution at the cursor, while it is still the current seed's, cursor's and model's. */
  readonly next: NextNoteDistribution | null = $derived.by(() => {
    const source = this.#source();
    const shown = this.#next;
    if (!this.ghostsOn || !source || !shown) return null;
    const { asked } = shown;
    const current =
      asked.melody === source.melody && asked.cursor === source.cursor && asked.modelId === this.modelId;
    return current ? shown.next : null;
  });

  /** The ghost notes to draw at the cursor, most likely first. */
  readonly ghosts: readonly Ghost[] = $derived.by(() => {
    const next = this.next;
    const source = this.#source();
    return next && source ? ghostNotes(next.pitches, source.cursor, source.noteLength) : [];
  });

  /** Each note's surprise in bits, while it is still the coloured melody's and model's; else null. */
  readonly surpriseBits: readonly number[] | null = $derived.by(() => {
    const melody = this.#coloured();
    const shown = this.#surprise;
    if (!this.surpriseOn || !melody || !shown) return null;
    const current = shown.asked.melody === melody && shown.asked.modelId === this.modelId;
    return current && shown.bits.length === melody.notes.length ? shown.bits : null;
  });

  /** Fetches the models and the default one's id; the overlay asks nothing before. */
  async loadModels(): Promise<void> {
    try {
      const [{ models }, options] = await Promise.all([
        this.#api.invoke('models.list', {}),
        this.#api.invoke('generator.options', {}),
      ]);
      this.models = models;
      const usable = models.filter((m) => m.problem === null);
      const chosen = usable.find((m) => m.id === options.defaultModelId) ?? usable[0];
      this.modelId = chosen?.id ?? null;
      if (!chosen)
        this.error = `No model can be used: ${models.map((m) => `${m.name}: ${m.problem ?? ''}`).join('; ')}`;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  chooseModel(id: string): void {
    if (this.models.some((m) => m.id === id)) this.modelId = id;
  }

  /** Loads the models; returns the teardown (any request still to come is dropped). */
  start(): () => void {
    void this.loadModels();
    return () => {
      this.#nextRequests.dispose();
      this.#surpriseRequests.dispose();
    };
  }

  /**
   * Asks for what the source, the model and the toggles now call for (superseding what was asked
   * before). The view calls it from an effect, so it runs whenever anything it reads changes.
   */
  follow(): void {
    const source = this.#source();
    const coloured = this.#coloured();
    const modelId = this.modelId;
    if (this.ghostsOn && source && modelId !== null)
      this.#nextRequests.request({ melody: source.melody, cursor: source.cursor, modelId });
    else this.#nextRequests.cancel();
    if (this.surpriseOn && coloured && modelId !== null)
      this.#surpriseRequests.request({ melody: coloured, modelId });
    else this.#surpriseRequests.cancel();
  }
}
