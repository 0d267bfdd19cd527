/**
 * Dragging a note's end grip resizes the selection: the grabbed note's end follows the pointer and
 * snaps to the nearest grid line (never before one step after its start), and every selected note
 * changes length by as much.
 */
import { resizeNotes } from '../edits';
import { snapTo, type RollPoint } from '../geometry';
import type { Gesture, Origin } from './gesture';

export function resizeNoteGesture(
  origin: Origin,
  grabbed: number,
  at: RollPoint,
  options: { snap: number },
): Gesture {
  const note = origin.notes[grabbed];
  const end = note.start + note.duration;
  const step = (p: RollPoint) => {
    const to = Math.max(note.start + 1, snapTo(end + p.step - at.step, options.snap));
    return resizeNotes(origin.notes, origin.selection, to - end);
  };
  return { update: step, end: step };
}
