/**
 * Which gesture a press starts, from what is under the pointer (geometry's hitTest) and shift:
 *   note end grip     → resize the selection (the note joins it, or is selected alone)
 *   note body         → move the selection (likewise); with shift, add or remove the note instead
 *   empty cell        → draw a note there
 *   empty cell, shift → box selection, added to the current one
 */
import type { RollHit, RollPoint } from '../geometry';
import { toggle, union } from '../selection';
import { boxSelect } from './box-select';
import { drawNote, type DrawOptions } from './draw-note';
import type { Gesture, Origin } from './gesture';
import { moveNotesGesture } from './move-notes';
import { resizeNoteGesture } from './resize-note';

export function startGesture(
  origin: Origin,
  hit: RollHit,
  at: RollPoint,
  shift: boolean,
  options: DrawOptions,
): Gesture {
  if (hit.kind === 'cell') {
    return shift ? boxSelect(origin, at, { additive: true }) : drawNote(origin, at, options);
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
