/**
 * Does generation sound like the tunes it learned from? The first `seedBars` bars of each tune are
 * continued by `bars` bars, exactly as `continuo generate` does, and the continuations are measured
 * against the tunes' own next bars (bars 9–16 for the defaults) on four counts:
 *
 *   loop        a figure of at most LOOP_MAX_PERIOD notes repeated note for note (pitch, duration
 *               and the gap before it) over at least LOOP_MIN_NOTES notes: `E5 F#5 E5 E5 D5` for
 *               eight bars. Real folk tunes repeat phrases and parts, not a bar on end.
 *   stray       a note outside the pitch range the model was trained on (± a margin, given by the
 *               caller): runaway sequences and isolated absurd notes.
 *   bar line    a note held across a bar line (`start mod bar + duration > bar`), per time
 *               signature, compared with the tunes themselves.
 *   restated    the continuation restates the seed, as AABB tunes do: at least RESTATED_SHARE of its
 *               notes have a note of the same pitch at the same place of the seed (bar 9 against
 *               bar 1, bar 10 against bar 2 …). AB tunes, whose bars 9–16 are a new part, do not.
 *               Variation is allowed (the tunes' own restatements mostly differ in a note or
 *               more, above all in bar 9), so the count says how often, and `copied` says how many
 *               are the seed again note for note (pitch, start and duration of every note), which a
 *               restatement made by copying would inflate: 4 % of the validation tunes do it.
 *   copying     (when the model file has a memorisation index) the continuation has a run of
 *               MEMO_WARNING_NOTES or more notes found verbatim in the training melodies.
 *
 * Pure: tunes and a model in, numbers out. `continuo check-generation` and `continuo bench` run it on
 * tunes a model never trained on.
 */
import type { Melody, Note } from '../midi/types.js';
import { RESTATED_SHARE, restatedShare } from '../memory/form.js';
import { MEMO_WARNING_NOTES } from '../model/memorisation.js';
import { generate, type GenerateOptions } from '../sample/generate.js';
import { barSteps, type TokenModel } from '../tokens/index.js';

export const LOOP_MAX_PERIOD = 8;
export const LOOP_MIN_NOTES = 24;
/** A continuation restates the seed when this share of its notes are as in the seed (engine/memory/form.ts). */
export { RESTATED_SHARE, restatedShare };

export interface CheckTune {
  name: string;
  melody: Melody;
}

export interface CheckOptions {
  /** Bars of each tune given as the seed. Default 8. */
  seedBars?: number;
  /** Bars generated after the seed. Default 8. */
  bars?: number;
  /** Continuations per tune (variations of one call, random seed = the tune's index). Default 4. */
  variations?: number;
  /** Notes outside this range (MIDI numbers, inclusive) are stray. */
  range: { min: number; max: number };
  /**
   * The longest run of `notes` found verbatim in the model's training melodies among those reaching
   * index `from` (engine/model/memorisation.ts); without it, `verbatim` is −1.
   */
  longestRun?: (notes: readonly Note[], from: number) => number;
}

/** The longest span of notes made by repeating one figure of `period` ≤ maxPeriod notes. */
export function longestLoop(
  notes: readonly Note[],
  maxPeriod = LOOP_MAX_PERIOD,
): { notes: number; period: number } {
  const gap = notes.map((n, i) => (i === 0 ? 0 : n.start - notes[i - 1].start - notes[i - 1].duration));
  const same = (i: number, j: number) =>
    notes[i].pitch === notes[j].pitch && notes[i].duration === notes[j].duration && gap[i] === gap[j];
  let best = { notes: 0, period: 0 };
  for (let p = 1; p <= maxPeriod; p++) {
    let run = 0;
    for (let i = p; i < notes.length; i++) {
      run = same(i, i - p) ? run + 1 : 0;
      if (run > 0 && run + p > best.notes) best = { notes: run + p, period: p };
    }
  }
  return best;
}

/** How many of `notes` are held across a bar line of `bar` steps (bars start at step 0). */
export function barLineCrossings(notes: readonly Note[], bar: number): number {
  let n = 0;
  for (const note of notes) if ((note.start % bar) + note.duration > bar) n++;
  return n;
}

/** Whether `continuation` is `seed` again note for note, its step `offset` being the seed's step 0. */
export function copiesSeed(seed: readonly Note[], continuation: readonly Note[], offset: number): boolean {
  return (
    continuation.length === seed.length &&
    continuation.every(
      (n, i) =>
        n.pitch === seed[i].pitch && n.start - offset === seed[i].start && n.duration === seed[i].duration,
    )
  );
}

/**
 * The seed (notes starting in the first `seedBars` bars, the last one cut at the bar line) and the
 * tune's own continuation (notes starting in the next `bars` bars), or null when the tune is too
 * short to have both.
 */
export function seedAndContinuation(
  melody: Melody,
  seedBars: number,
  bars: number,
): { seed: Melody; real: Note[]; offset: number } | null {
  const bar = barSteps(melody.timeSignature);
  const cut = seedBars * bar;
  const end = cut + bars * bar;
  const last = melody.notes[melody.notes.length - 1];
  if (!last || last.start + last.duration < end) return null;
  const seedNotes = melody.notes
    .filter((n) => n.start < cut)
    .map((n) => ({ ...n, duration: Math.min(n.duration, cut - n.start) }));
  if (seedNotes.length === 0) return null;
  return {
    seed: { ...melody, notes: seedNotes },
    real: melody.notes.filter((n) => n.start >= cut && n.start < end),
    offset: cut,
  };
}

export interface ContinuationStats {
  tune: string;
  variation: number;
  timeSignature: string;
  notes: number;
  loop: { notes: number; period: number };
  stray: number;
  lowest: number;
  highest: number;
  crossings: number;
  restated: number;
  /** The continuation is the seed again note for note. */
  copied: boolean;
  /** Longest run of the continuation (with the seed before it) found in the training melodies; −1: unknown. */
  verbatim: number;
}

export function continuationStats(
  tune: string,
  variation: number,
  seed: Melody,
  continuation: readonly Note[],
  offset: number,
  range: { min: number; max: number },
  longestRun?: CheckOptions['longestRun'],
): ContinuationStats {
  const bar = barSteps(seed.timeSignature);
  let lowest = 128;
  let highest = -1;
  let stray = 0;
  for (const n of continuation) {
    lowest = Math.min(lowest, n.pitch);
    highest = Math.max(highest, n.pitch);
    if (n.pitch < range.min || n.pitch > range.max) stray++;
  }
  return {
    tune,
    variation,
    timeSignature: `${seed.timeSignature[0]}/${seed.timeSignature[1]}`,
    notes: continuation.length,
    loop: longestLoop(continuation),
    stray,
    lowest,
    highest,
    crossings: barLineCrossings(continuation, bar),
    restated: restatedShare(seed.notes, continuation, offset),
    copied: copiesSeed(seed.notes, continuation, offset),
    verbatim: longestRun ? longestRun([...seed.notes, ...continuation], seed.notes.length) : -1,
  };
}

export interface CheckSummary {
  continuations: number;
  notes: number;
  /** Continuations with a loop of at least LOOP_MIN_NOTES notes. */
  loops: number;
  strayNotes: number;
  /** Continuations with at least one stray note. */
  strayContinuations: number;
  lowest: number;
  highest: number;
  /** Per time signature ("3/4"): notes, and notes held across a bar line. */
  metre: Record<string, { notes: number; crossings: number }>;
  crossings: number;
  /** Continuations that restate the seed (restated share ≥ RESTATED_SHARE). */
  restated: number;
  /** Continuations that are the seed again note for note. */
  copied: number;
  /** Continuations with a run of MEMO_WARNING_NOTES or more notes from the training melodies (−1: unknown). */
  copying: number;
  /** The median of their longest such runs (−1: unknown). */
  medianVerbatim: number;
  perContinuation: ContinuationStats[];
}

export function summarize(stats: readonly ContinuationStats[]): CheckSummary {
  const metre: CheckSummary['metre'] = {};
  for (const s of stats) {
    const m = (metre[s.timeSignature] ??= { notes: 0, crossings: 0 });
    m.notes += s.notes;
    m.crossings += s.crossings;
  }
  const sum = (f: (s: ContinuationStats) => number) => stats.reduce((a, s) => a + f(s), 0);
  const known = stats.length > 0 && stats.every((s) => s.verbatim >= 0);
  const runs = stats.map((s) => s.verbatim).sort((a, b) => a - b);
  return {
    continuations: stats.length,
    notes: sum((s) => s.notes),
    loops: stats.filter((s) => s.loop.notes >= LOOP_MIN_NOTES).length,
    strayNotes: sum((s) => s.stray),
    strayContinuations: stats.filter((s) => s.stray > 0).length,
    lowest: Math.min(128, ...stats.filter((s) => s.notes > 0).map((s) => s.lowest)),
    highest: Math.max(-1, ...stats.filter((s) => s.notes > 0).map((s) => s.highest)),
    metre,
    crossings: sum((s) => s.crossings),
    restated: stats.filter((s) => s.restated >= RESTATED_SHARE).length,
    copied: stats.filter((s) => s.copied).length,
    copying: known ? stats.filter((s) => s.verbatim >= MEMO_WARNING_NOTES).length : -1,
    medianVerbatim: known && runs.length ? runs[Math.floor(runs.length / 2)] : -1,
    perContinuation: stats.slice(),
  };
}

/** The tunes' own continuations, measured like generated ones. */
export function checkRealContinuations(tunes: readonly CheckTune[], options: CheckOptions): CheckSummary {
  const stats: ContinuationStats[] = [];
  for (const t of tunes) {
    const s = seedAndContinuation(t.melody, options.seedBars ?? 8, options.bars ?? 8);
    if (s)
      stats.push(continuationStats(t.name, 0, s.seed, s.real, s.offset, options.range, options.longestRun));
  }
  return summarize(stats);
}

/**
 * Continues every tune long enough (seedBars + bars) with `model` and `sampling` (temperature, top-k,
 * top-p, constraints: any GenerateOptions but bars, variations and random seed), `variations`
 * continuations each, tune k drawing from random seed k.
 */
export function checkGeneration(
  model: TokenModel,
  tunes: readonly CheckTune[],
  sampling: Omit<GenerateOptions, 'bars' | 'variations' | 'randomSeed'>,
  options: CheckOptions,
): CheckSummary {
  const stats: ContinuationStats[] = [];
  tunes.forEach((t, k) => {
    const s = seedAndContinuation(t.melody, options.seedBars ?? 8, options.bars ?? 8);
    if (!s) return;
    const bars = options.bars ?? 8;
    const out = generate(model, s.seed, {
      ...sampling,
      bars,
      variations: options.variations ?? 4,
      randomSeed: k,
    });
    for (const v of out) {
      const continuation = v.melody.notes.slice(v.seedNotes);
      const offset = v.endStep - bars * barSteps(s.seed.timeSignature);
      stats.push(
        continuationStats(t.name, v.index, s.seed, continuation, offset, options.range, options.longestRun),
      );
    }
  });
  return summarize(stats);
}
