/** Literal melodies for the piano roll's edit tests: [pitch, start, duration], velocity 80. */
import type { Note } from '../../../app/contract/api';
import type { Edit } from '../../../renderer/lib/piano-roll/edits';

export type N = [pitch: number, start: number, duration: number];

export const melody = (...notes: N[]): Note[] =>
  notes.map(([pitch, start, duration]) => ({ pitch, start, duration, velocity: 80 }));

export const shape = (edit: Edit): { notes: N[]; selection: readonly number[] } => ({
  notes: edit.notes.map((n) => [n.pitch, n.start, n.duration]),
  selection: edit.selection,
});

/** Notes frozen deeply, so an edit that mutated its input would throw. */
export const frozen = (notes: Note[]): readonly Note[] =>
  Object.freeze(notes.map((n) => Object.freeze({ ...n })));

// C D E, a quarter each, a rest, then G for a half.
export const tune = frozen(melody([60, 0, 4], [62, 4, 4], [64, 8, 4], [67, 16, 8]));
