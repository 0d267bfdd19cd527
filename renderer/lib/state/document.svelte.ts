/**
 * The document the user works on: the seed melody being edited (its notes, tempo and time signature,
 * with undo), and where the edit cursor is. One class owns it so that what is later added to a
 * document (results, generation settings) sits beside the seed, and so that autosave has one thing
 * to watch: `revision` changes whenever what `toData()` returns changes, and `toData()` is plain data
 * (no proxies, no class instances), fit for structuredClone, JSON and IPC alike. It is the seed's
 * part of the document file (`SeedPart` in the contract; autosave.svelte.ts composes the file).
 */
import type { Melody, Note, SeedPart } from '../../../app/contract/api';
import type { TimeSignature } from '../../../engine/time';
import { DEFAULT_METER, RollEditor, type Meter } from '../piano-roll/editor.svelte';
import { appendStep, barsOf, pasteNotes } from '../piano-roll/edits';
import { MAX_BPM, MIN_BPM } from './player.svelte';

/** Time signature denominators offered: what the step grid can hold (a 32nd beat cannot be a step). */
export const DENOMINATORS = [2, 4, 8, 16] as const;
export const MAX_NUMERATOR = 16;

export function clampBpm(bpm: number): number {
  return Math.round(Math.min(MAX_BPM, Math.max(MIN_BPM, bpm)));
}

/** A time signature the editor accepts: numerator 1..16, denominator one of DENOMINATORS (else 4). */
export function cleanTimeSignature([numerator, denominator]: TimeSignature): [number, number] {
  const n = Math.min(MAX_NUMERATOR, Math.max(1, Math.round(numerator) || 4));
  const d = (DENOMINATORS as readonly number[]).includes(denominator) ? denominator : 4;
  return [n, d];
}

const plainNotes = (notes: readonly Note[]): Note[] =>
  notes.map(({ pitch, start, duration, velocity }) => ({ pitch, start, duration, velocity }));

export class SeedDocument {
  readonly editor = new RollEditor();
  /** Where step entry writes and where a paste lands when nothing plays, in steps. */
  cursor = $state(0);
  /**
   * Replaced whenever the seed starts afresh (restored, replaced by bars of a file, cleared), so the
   * roll scrolls to its notes; other edits keep it (the view must not jump while the user works).
   */
  opened = $state.raw<object>({});

  /** The seed as the engine's Melody (a fresh plain object per change). */
  readonly melody: Melody = $derived({
    notes: plainNotes(this.editor.notes),
    bpm: this.editor.meter.bpm,
    timeSignature: [this.editor.meter.timeSignature[0], this.editor.meter.timeSignature[1]],
  });

  get revision(): number {
    return this.editor.revision;
  }

  get meter(): Meter {
    return this.editor.meter;
  }

  /** A new, empty seed at 120 bpm in 4/4: one undo step, so a stray click loses nothing. */
  clear(): void {
    this.editor.apply({ notes: [], selection: [] }, DEFAULT_METER);
    this.cursor = 0;
    this.opened = {};
  }

  setBpm(bpm: number): void {
    if (!Number.isFinite(bpm)) return;
    this.editor.setMeter({ ...this.meter, bpm: clampBpm(bpm) });
  }

  setTimeSignature(timeSignature: TimeSignature): void {
    this.editor.setMeter({ ...this.meter, timeSignature: cleanTimeSignature(timeSignature) });
  }

  /**
   * Bars `fromBar`..`toBar` of `source` as the seed (one undo step): replacing it, with the source's
   * tempo and time signature, or appended at the seed's next bar line, keeping the seed's meter.
   */
  useBars(source: Melody, fromBar: number, toBar: number, mode: 'replace' | 'append'): void {
    const clip = barsOf(source.notes, source.timeSignature, fromBar, toBar);
    if (mode === 'replace') {
      const meter = { bpm: clampBpm(source.bpm), timeSignature: cleanTimeSignature(source.timeSignature) };
      this.editor.apply(pasteNotes([], clip, 0), meter);
      this.cursor = clip.length;
      this.opened = {};
    } else {
      const at = appendStep(this.editor.notes, this.meter.timeSignature);
      this.editor.apply(pasteNotes(this.editor.notes, clip, at));
      this.cursor = at + clip.length;
    }
  }

  /** A whole melody (a generated result the user keeps) as the seed: one undo step, cursor at its end. */
  replaceWith(melody: Melody): void {
    const meter = { bpm: clampBpm(melody.bpm), timeSignature: cleanTimeSignature(melody.timeSignature) };
    const notes = plainNotes(melody.notes);
    this.editor.apply({ notes, selection: [] }, meter);
    const last = notes.at(-1);
    this.cursor = last ? last.start + last.duration : 0;
  }

  /** The seed as plain data, for the document file. */
  toData(): SeedPart {
    return this.melody;
  }

  /** Opens a document's seed, with no undo history. */
  restore(seed: SeedPart): void {
    const meter = { bpm: clampBpm(seed.bpm), timeSignature: cleanTimeSignature(seed.timeSignature) };
    this.editor.load(plainNotes(seed.notes), meter);
    this.cursor = 0;
    this.opened = {};
  }
}
