/**
 * The user's musical constraints, applied as masks on PITCH tokens (other tokens are untouched):
 *   scale      only pitches whose pitch class is in the scale built on `tonic` (0 = C … 11 = B)
 *   range      only pitches in [min, max] (MIDI numbers, inclusive)
 *   maxRepeats at most this many consecutive notes of the same pitch (1 = never repeat a pitch)
 */
import { PITCH_BASE } from '../tokens/index.js';

/** Intervals above the tonic, in semitones. */
export const SCALES = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  'harmonic-minor': [0, 2, 3, 5, 7, 8, 11],
  'melodic-minor': [0, 2, 3, 5, 7, 9, 11],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  phrygian: [0, 1, 3, 5, 7, 8, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  locrian: [0, 1, 3, 5, 6, 8, 10],
  'major-pentatonic': [0, 2, 4, 7, 9],
  'minor-pentatonic': [0, 3, 5, 7, 10],
  blues: [0, 3, 5, 6, 7, 10],
  chromatic: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
} as const satisfies Record<string, readonly number[]>;

export type ScaleName = keyof typeof SCALES;
export const SCALE_NAMES = Object.keys(SCALES) as ScaleName[];

export interface Constraints {
  scale?: { tonic: number; name: ScaleName };
  range?: { min: number; max: number };
  maxRepeats?: number;
}

const NOTE_LETTERS: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

/** "C", "f#", "Bb", "E♭" → pitch class 0..11. Throws a RangeError with one line for anything else. */
export function parseTonic(text: string): number {
  const m = /^([a-gA-G])([#♯b♭]?)$/.exec(text.trim());
  if (!m) throw new RangeError(`key "${text}" is not a note name like C, F#, Bb`);
  const acc = m[2] === '#' || m[2] === '♯' ? 1 : m[2] === 'b' || m[2] === '♭' ? -1 : 0;
  return (NOTE_LETTERS[m[1].toLowerCase()] + acc + 12) % 12;
}

/** "dorian", "Major", "minor-pentatonic" → a ScaleName; throws listing the known scales otherwise. */
export function parseScale(text: string): ScaleName {
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  if (key in SCALES) return key as ScaleName;
  throw new RangeError(`scale "${text}" is not one of: ${SCALE_NAMES.join(', ')}`);
}

/** One line saying what is wrong with the constraints, or null. */
export function constraintsProblem(c: Constraints): string | null {
  if (c.scale) {
    if (!Number.isInteger(c.scale.tonic) || c.scale.tonic < 0 || c.scale.tonic > 11)
      return `tonic ${c.scale.tonic} must be a pitch class 0..11`;
    if (!(c.scale.name in SCALES)) return `scale "${c.scale.name}" is not one of: ${SCALE_NAMES.join(', ')}`;
  }
  if (c.range) {
    const { min, max } = c.range;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 127 || min > max) {
      return `pitch range ${min}..${max} must be MIDI numbers with 0 ≤ min ≤ max ≤ 127`;
    }
  }
  if (c.maxRepeats !== undefined && (!Number.isInteger(c.maxRepeats) || c.maxRepeats < 1)) {
    return `maximum repeats ${c.maxRepeats} must be a whole number ≥ 1`;
  }
  const count = allowedPitches(c).filter((a) => a).length;
  if (count === 0) return 'the scale and pitch range together allow no pitch at all';
  if (count === 1 && c.maxRepeats !== undefined) {
    return `the scale and pitch range allow a single pitch, which cannot be repeated at most ${c.maxRepeats} times in a row`;
  }
  return null;
}

/** allowed[p] for p in 0..127 under the scale and range (repeats depend on the melody so far). */
export function allowedPitches(c: Constraints): boolean[] {
  const inScale = new Set<number>(
    c.scale ? SCALES[c.scale.name].map((i) => (i + c.scale!.tonic) % 12) : SCALES.chromatic,
  );
  const min = c.range?.min ?? 0;
  const max = c.range?.max ?? 127;
  return Array.from({ length: 128 }, (_, p) => p >= min && p <= max && inScale.has(p % 12));
}

/**
 * Clears the PITCH tokens that the constraints forbid next in `mask`. `lastPitch` and `repeats` describe the
 * melody so far: the last note's pitch (or −1) and how many notes in a row ended with it.
 */
export function maskPitches(
  mask: Uint8Array,
  allowed: readonly boolean[],
  c: Constraints,
  lastPitch: number,
  repeats: number,
): void {
  for (let p = 0; p < 128; p++) if (!allowed[p]) mask[PITCH_BASE + p] = 0;
  if (c.maxRepeats !== undefined && lastPitch >= 0 && repeats >= c.maxRepeats)
    mask[PITCH_BASE + lastPitch] = 0;
}
