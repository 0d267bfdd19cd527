/**
 * Musical time on the step grid: bars and beats from a time signature. One home for the rule,
 * because generation ends at bar lines (engine/sample/generate.ts) and the piano roll must draw its
 * bar lines exactly there; the renderer may import this module (eslint.config.js), nothing else of
 * the engine. Pure and dependency-free so it runs in Node, a worker and a page.
 *
 * Time is in steps: 16th notes, STEPS_PER_QUARTER to a quarter note. A bar is a whole number of
 * steps: a meter whose bar is not (7/32 is 3.5 sixteenths) is rounded to the nearest step (4), and a
 * time signature that gives no bar at all (0/4, 1/64, n/0) falls back to 4/4's 16 steps. Bars are
 * counted from step 0, the piece's first downbeat.
 *
 * Worked examples (steps per bar, steps per beat):
 *   4/4 → 16, 4     3/4 → 12, 4     2/2 → 16, 8     6/8 → 12, 6 (two dotted quarters)
 *   5/8 → 10, 2     7/8 → 14, 2     3/8 → 6, 2      3/16 → 3, 1      13/16 → 13, 1
 *   7/32 → 4, 4 (a beat shorter than a step: the bar is the beat)
 */

export const STEPS_PER_QUARTER = 4;

const STEPS_PER_WHOLE = 4 * STEPS_PER_QUARTER;

export type TimeSignature = readonly [numerator: number, denominator: number];

/** Steps in one bar (a bar of 6/8 is 12 sixteenths); a whole number, at least 1. */
export function barSteps([numerator, denominator]: TimeSignature): number {
  const steps = Math.round((numerator * STEPS_PER_WHOLE) / denominator);
  return Number.isFinite(steps) && steps >= 1 ? steps : STEPS_PER_WHOLE;
}

/** Compound meters (6/8, 9/8, 12/8, 6/16 …) are felt in dotted beats of three units. */
function isCompound([numerator, denominator]: TimeSignature): boolean {
  return denominator >= 8 && numerator > 3 && numerator % 3 === 0;
}

/**
 * Steps in one felt beat: the denominator's unit, or three of them in compound meters. A beat that is
 * not a whole number of steps (any n/32) cannot be shown or counted on the step grid, so there the
 * bar is the beat.
 */
export function beatSteps(ts: TimeSignature): number {
  const unit = (STEPS_PER_WHOLE / ts[1]) * (isCompound(ts) ? 3 : 1);
  return Number.isInteger(unit) && unit >= 1 ? unit : barSteps(ts);
}

/** The 0-based bar that contains `step` (steps before 0 count as the first bar). */
export function barIndex(step: number, ts: TimeSignature): number {
  return Math.floor(Math.max(0, step) / barSteps(ts));
}

/** The step of the bar line at or before `step`: where its bar starts. */
export function barStart(step: number, ts: TimeSignature): number {
  return barIndex(step, ts) * barSteps(ts);
}

/** The 0-based beat within its bar of `step`. */
export function beatInBar(step: number, ts: TimeSignature): number {
  return Math.floor((Math.max(0, step) - barStart(step, ts)) / beatSteps(ts));
}

/** The beat line at or before `step`, never before 0. */
export function beatStart(step: number, ts: TimeSignature): number {
  return barStart(step, ts) + beatInBar(step, ts) * beatSteps(ts);
}

/** Bars needed to hold music ending at `endStep`, rounded up to a whole bar and at least one. */
export function lengthInBars(endStep: number, ts: TimeSignature): number {
  return Math.max(1, Math.ceil(endStep / barSteps(ts)));
}
