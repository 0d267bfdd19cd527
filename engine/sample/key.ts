/**
 * The key of a melody, for "detect from the seed": the Krumhansl–Schmuckler key-finding algorithm
 * with the Krumhansl–Kessler probe-tone profiles (Krumhansl 1990, "Cognitive Foundations of Musical
 * Pitch"). Each pitch class is weighted by how long it sounds; the key whose profile, rotated to its
 * tonic, correlates best with those weights wins, among the 12 major and 12 (natural) minor keys.
 * Ties go to the lower tonic, major before minor, so the answer is the same on every run.
 *
 * Written here rather than taken from a library: it is twenty lines over the engine's own note type
 * and scale names, and the music libraries on npm that offer key detection either work on chord
 * symbols or bring a whole theory toolkit for this one function.
 */
import type { Note } from '../midi/types.js';
import type { ScaleName } from './constraints.js';

const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

export interface DetectedKey {
  tonic: number;
  name: Extract<ScaleName, 'major' | 'minor'>;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** The most likely key of `notes`, or null when there are none (nothing to detect from). */
export function detectKey(notes: readonly Note[]): DetectedKey | null {
  if (notes.length === 0) return null;
  const weights = new Array<number>(12).fill(0);
  for (const n of notes) weights[n.pitch % 12] += n.duration;
  let best: DetectedKey = { tonic: 0, name: 'major' };
  let bestR = -Infinity;
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [name, profile] of [
      ['major', MAJOR_PROFILE],
      ['minor', MINOR_PROFILE],
    ] as const) {
      const rotated = weights.map((_, pc) => weights[(pc + tonic) % 12]);
      const r = correlation(rotated, profile);
      if (r > bestR + 1e-12) {
        bestR = r;
        best = { tonic, name };
      }
    }
  }
  return best;
}
