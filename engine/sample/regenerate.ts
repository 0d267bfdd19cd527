/**
 * Regenerating bars `fromBar`..`toBar` (1-based, inclusive) of a melody while keeping what comes
 * before and after them. The notes starting before the range are the seed (one still sounding at the
 * range's first bar line is cut there); `candidates` continuations of exactly the range's bars are
 * sampled from it (engine/sample/generate.ts, in lockstep); each candidate is followed by the kept
 * notes (those starting after the range) and scored by the model's probability of those kept notes
 * given the seed and the candidate: the candidate that leads most naturally into the old bars wins.
 *
 *   score(candidate) = Σ −log2 p(token | seed, candidate, kept tokens before it)   over the kept tokens
 *
 * (END included when there are kept notes: the melody still ends where it did.) Ties go to the lower
 * candidate index. Reproducible like generation: candidate i draws from Rng(randomSeed, i).
 */
import type { Melody, Note } from '../midi/types.js';
import { END, barSteps, encode, type TokenModel } from '../tokens/index.js';
import { generate, generateOptionsProblem, type GenerateOptions } from './generate.js';

export interface RegenerateOptions extends Omit<GenerateOptions, 'bars' | 'variations' | 'startStep'> {
  /** First bar to regenerate, 1-based. */
  fromBar: number;
  /** Last bar to regenerate, inclusive. */
  toBar: number;
  /** Candidates sampled for the range, 1..MAX_VARIATIONS. Default 8. */
  candidates?: number;
}

export interface RegenerateCandidate {
  /** The candidate's notes for the range. */
  notes: Note[];
  /** Bits of the kept notes after the range given this candidate (0 when nothing follows). */
  keptBits: number;
}

export interface RegenerateResult {
  /** The melody with the chosen candidate in the range. */
  melody: Melody;
  /** Index of the chosen candidate in `candidates`. */
  chosen: number;
  candidates: RegenerateCandidate[];
  /** Notes before the range, in the range (the chosen ones) and after it, as indices into melody.notes. */
  range: { first: number; end: number };
}

/** One line saying what is wrong with the options for this melody, or null. */
export function regenerateOptionsProblem(melody: Melody, o: RegenerateOptions): string | null {
  if (!Number.isInteger(o.fromBar) || !Number.isInteger(o.toBar) || o.fromBar < 1 || o.toBar < o.fromBar)
    return `bars ${o.fromBar}-${o.toBar} must be whole bar numbers with 1 ≤ from ≤ to`;
  const last = melody.notes[melody.notes.length - 1];
  const bars = last ? Math.ceil((last.start + last.duration) / barSteps(melody.timeSignature)) : 0;
  if (o.fromBar > bars) return `bar ${o.fromBar} is after the melody's last bar (${bars})`;
  return generateOptionsProblem({
    ...o,
    bars: o.toBar - o.fromBar + 1,
    variations: o.candidates ?? 8,
  });
}

export function regenerateBars(
  model: TokenModel,
  melody: Melody,
  options: RegenerateOptions,
): RegenerateResult {
  const problem = regenerateOptionsProblem(melody, options);
  if (problem !== null) throw new RangeError(problem);
  const bar = barSteps(melody.timeSignature);
  const from = (options.fromBar - 1) * bar;
  const to = options.toBar * bar;
  const before = melody.notes
    .filter((n) => n.start < from)
    .map((n) => ({ ...n, duration: Math.min(n.duration, from - n.start) }));
  const after = melody.notes.filter((n) => n.start >= to).map((n) => ({ ...n }));
  const { fromBar: _f, toBar: _t, candidates: _c, ...sampling } = options;
  const variations = generate(
    model,
    { ...melody, notes: before },
    {
      ...sampling,
      bars: options.toBar - options.fromBar + 1,
      variations: options.candidates ?? 8,
      startStep: from,
    },
  );
  const candidates = variations.map((v) => {
    const notes = v.melody.notes.slice(v.seedNotes);
    return {
      notes,
      keptBits: after.length ? keptBits(model, melody, [...before, ...notes], after, options) : 0,
    };
  });
  let chosen = 0;
  candidates.forEach((c, i) => {
    if (c.keptBits < candidates[chosen].keptBits) chosen = i;
  });
  const notes = [...before, ...candidates[chosen].notes.map((n) => ({ ...n })), ...after];
  return {
    melody: { ...melody, notes },
    chosen,
    candidates,
    range: { first: before.length, end: before.length + candidates[chosen].notes.length },
  };
}

/** −log2 p of the tokens of `kept` (and END) after `prefix`. */
function keptBits(
  model: TokenModel,
  melody: Melody,
  prefix: Note[],
  kept: Note[],
  options: { novelty?: number },
): number {
  const prefixTokens = encode({ ...melody, notes: prefix }).length - 1; // without END
  const tokens = encode({ ...melody, notes: [...prefix, ...kept] });
  const stream = model.begin({
    timeSignature: melody.timeSignature,
    ...(options.novelty !== undefined ? { novelty: options.novelty } : {}),
  });
  let bits = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (i >= prefixTokens) bits -= Math.log2(stream.probabilities()[tokens[i]]);
    if (tokens[i] !== END) stream.advance(tokens[i]);
  }
  return bits;
}
