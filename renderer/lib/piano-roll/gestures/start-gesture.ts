/**
 * Which gesture a press starts, from what is under the pointer (geometry's hitTest) and the keys held:
 *   note end grip        → resize the selection (the note joins it, or is selected alone)
 *   note body            → move the selection (likewise); with shift, add or remove the note instead
 *   empty cell           → draw a note there
 *   empty cell, Ctrl/⌘   → box selection, replacing the current one
 *   empty cell, shift    → box selection, added to the current one
 * A plain press on empty space draws because entering notes is what the editor is for; the box
 * takes a modifier, as a lasso does in most drawing tools.
 */
import type { RollHit, RollPoint } from '../geometry';
import { toggle, union } from '../selection';
import { boxSelect } from './box-select';
import { drawNote, type DrawOptions } from './draw-note';
import type { Gesture, Origin } from './gesture';
import { moveNotesGesture } from './move-notes';
import { resizeNoteGesture } from './resize-note';

export interface Modifiers {
  shift: boolean;
  /** Ctrl, or ⌘ on a Mac. */
  command: boolean;
}

export function startGesture(
  origin: Origin,
  hit: RollHit,
  at: RollPoint,
  { shift, command }: Modifiers,
  options: DrawOptions,
): Gesture {
  if (hit.kind === 'cell') {
    return shift || command ? boxSelect(origin, at, { additive: shift }) : drawNote(origin, at, options);
  }
  const { index } = hit;
  if (hit.part === 'body' && shift) {
    const toggled = { notes: origin.notes, selection: toggle(origin.selection, index) };
    return { update: () => toggled, end: () => toggled };
  }
  const selection = origin.selection.includes(index)
    ? origin.selection
    : shift
      ? union(origin.selection, [index])
      : [index];
  const grabbed = { notes: origin.notes, selection };
  return hit.part === 'end'
    ? resizeNoteGesture(grabbed, index, at, options)
    : moveNotesGesture(grabbed, index, at, { snap: options.snap, additive: shift });
}
