/**
 * Form while generating: whether the part being generated restates the part before it, as folk
 * tunes play each part twice (AABB).
 *
 * The mixture decides token by token, and a restatement is a decision about a whole part. Token by
 * token, the bar copy (./experts.ts) is trusted only while it has been right for a run of tokens:
 * one varied note and the trust is gone, the continuation drifts into new material and the copy,
 * no longer aligned in rhythm, has nothing to propose. Scoring a real tune that is right (the tune
 * comes back to the copy, which regains its run); sampling, the model's own variation ends the
 * restatement. So continuing the first 8 bars of the validation tunes, the engine restated them in
 * 17–37 % of the continuations where the tunes themselves do in 86 % (and lowest novelty, the
 * memories alone, only reached 49 %).
 *
 * The part plan: when a part after the seed begins at an odd part of the piece's 8-bar grid (bars
 * 9–16, 25–32, …: the second playing of a pair), it restates the part before with probability
 *
 *   q = σ(logit(rate) + bias(novelty))
 *
 * where `rate` is how often the training tunes restate there (`styleRestateRate`, stored in the
 * model file by `continuo train`) and bias is the novelty's shift of the memories' log-odds
 * (./novelty.ts): novelty 0.5 restates as often as the style, 0 always, 1 never. A restating part
 * mixes the bar copy of the part before (the seed's bar at the same place of the part) into the
 * sampling distribution with weight RESTATE_WEIGHT, whatever its run: a varied note does not end the
 * restatement, and the copy proposes the source again wherever the rhythm realigns. The decisions
 * are drawn per variation from the sampler's random seed (`partPlanSeed`), so they are reproducible
 * and variations differ. Scoring never plans (only the sampler calls `planParts`), so bits/note are
 * untouched.
 */
import type { Note } from '../midi/types.js';
import { PART_BARS } from './experts.js';

/** Share of a part's notes found at the same place of the part before, above which it restates it. */
export const RESTATED_SHARE = 0.5;

/**
 * Weight of the part before's bar copy in the sampling distribution of a restating part, from the
 * part's bar RESTATE_FROM_BAR on. Chosen on half of the validation tunes (every other one: 35 long enough;
 * engine/eval/generation-check.ts, 8 bars continued, every part planned to restate), restating /
 * note-for-note copies of the seed, at the app's defaults and at temperature 1:
 *
 *                          weight 0.1   0.2       0.3       0.5
 *   plan from bar 1        72 %/5 %     94 %/8 %  96 %/14 %  100 %/31 %  (app defaults)
 *                          45 %/0 %     64 %/1 %  86 %/1 %   100 %/8 %   (temperature 1)
 *   plan from bar 2                               97 %/1 %   100 %/1 %   (app defaults)
 *                                                 74 %/0 %   96 %/0 %    (temperature 1)
 *
 * With 0.5 from bar 2 the restating continuations have most often 80–90 % of their notes as in the
 * seed, the tunes' own restatements 90–100 % (4 % of the validation tunes' bars 9–16 copy bars 1–8
 * note for note).
 */
export const RESTATE_WEIGHT = 0.5;

/**
 * The plan restates a part from its second bar (index 1): in the training tunes that restate bars
 * 1–8 in bars 9–16, 55 % of the notes of bar 9 differ from bar 1 (bar 1 often holds the pickup, bar
 * 9 the end of the phrase before), 1–2 % of bars 10–14, 4–9 % of bars 15–16. The first bar is the
 * mixture's, whose bar copy already proposes the part before there (./experts.ts).
 */
export const RESTATE_FROM_BAR = 1;

/**
 * Share of `part`'s notes that have a note of the same pitch starting at the same place of
 * `source`, `part`'s step `offset` being `source`'s step 0. 0 for an empty part.
 */
export function restatedShare(source: readonly Note[], part: readonly Note[], offset: number): number {
  if (part.length === 0) return 0;
  const at = new Map<number, number>();
  for (const n of source) at.set(n.start, n.pitch);
  let same = 0;
  for (const n of part) if (at.get(n.start - offset) === n.pitch) same++;
  return same / part.length;
}

/** Parts of a pair below which its own rate is not kept: later pairs share one pooled rate. */
export const RATE_MIN_PARTS = 100;

/**
 * How often the second part of a pair restates the first in `melodies`: for each odd part of the
 * 8-bar grid (bars 9–16 after 1–8, then 25–32 after 17–24, …) that melodies fill, the share whose
 * notes are at least RESTATED_SHARE those of the part before. A pair met in fewer than
 * RATE_MIN_PARTS melodies is pooled with all later ones into the last rate. `bar`: steps per bar
 * of a melody. Empty when no melody has two full parts. (The 808 training tunes of the default
 * model: 0.836 for bars 9–16, 0.732 for bars 25–32, 0.538 for bars 41–48, then 0.5 pooled.)
 */
export function styleRestateRates<M extends { notes: readonly Note[] }>(
  melodies: readonly M[],
  bar: (m: M) => number,
): number[] {
  const parts: number[] = [];
  const restated: number[] = [];
  for (const m of melodies) {
    const span = PART_BARS * bar(m);
    const last = m.notes[m.notes.length - 1];
    if (!last) continue;
    const end = last.start + last.duration;
    for (let p = 1, pair = 0; (p + 1) * span <= end; p += 2, pair++) {
      const source = m.notes
        .filter((n) => n.start >= (p - 1) * span && n.start < p * span)
        .map((n) => ({ ...n, start: n.start - (p - 1) * span }));
      const part = m.notes.filter((n) => n.start >= p * span && n.start < (p + 1) * span);
      if (source.length === 0 || part.length === 0) continue;
      parts[pair] = (parts[pair] ?? 0) + 1;
      restated[pair] =
        (restated[pair] ?? 0) + (restatedShare(source, part, p * span) >= RESTATED_SHARE ? 1 : 0);
    }
  }
  const rates: number[] = [];
  for (let pair = 0; pair < parts.length; pair++) {
    if ((parts[pair] ?? 0) >= RATE_MIN_PARTS) {
      rates.push(restated[pair] / parts[pair]);
      continue;
    }
    let n = 0;
    let r = 0;
    for (let q = pair; q < parts.length; q++) {
      n += parts[q] ?? 0;
      r += restated[q] ?? 0;
    }
    if (n > 0) rates.push(r / n);
    break;
  }
  return rates;
}

/** The style's rate for the pair whose second part is odd part `part` of the grid (the last rate beyond). */
export function rateOfPart(rates: readonly number[], part: number): number {
  if (rates.length === 0) return 0;
  return rates[Math.min((part - 1) >> 1, rates.length - 1)];
}

/** The probability that a part restates the one before, for the style's rate and a novelty bias. */
export function restateProbability(rate: number, bias: number): number {
  if (!(rate > 0) || bias === -Infinity) return 0;
  if (rate >= 1 || bias === Infinity) return 1;
  return 1 / (1 + Math.exp(-(Math.log(rate / (1 - rate)) + bias)));
}

function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * A variation's plan seed (uint32) from the sampler's random seed and the variation's index: a hash
 * apart from the sampler's own random numbers (engine/sample/rng.ts), so planning draws none of them.
 */
export function partPlanSeed(randomSeed: number, variation: number): number {
  const lo = randomSeed >>> 0;
  const hi = Math.floor(randomSeed / 4294967296) >>> 0;
  return mix32(mix32(lo ^ 0x5f3759df) ^ Math.imul(hi + 1, 0x9e3779b9) ^ Math.imul(variation + 1, 0x85ebca6b));
}

/** Uniform in [0, 1) for part `part` of the plan with `seed`. */
export function partUniform(seed: number, part: number): number {
  return mix32(seed ^ Math.imul(part + 1, 0xc2b2ae35)) / 4294967296;
}
