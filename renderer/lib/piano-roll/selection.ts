/** Selections of notes: ascending indices into a melody's notes (see edits.ts). */
import type { Note } from '../../../app/contract/api';
import { visibleRange, type RollBox } from './geometry';

/** The notes that overlap `box`: sounding within its steps, on one of its rows. */
export function notesInBox(notes: readonly Note[], box: RollBox): number[] {
  const [from, to] = visibleRange(notes, box.fromStep, box.toStep);
  const inside: number[] = [];
  for (let i = from; i < to; i++) {
    if (notes[i].pitch >= box.lowPitch && notes[i].pitch <= box.highPitch) inside.push(i);
  }
  return inside;
}

/** Both selections as one. */
export function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** `selection` with `index` added, or removed if it was there (shift-click). */
export function toggle(selection: readonly number[], index: number): number[] {
  return selection.includes(index) ? selection.filter((i) => i !== index) : union(selection, [index]);
}
