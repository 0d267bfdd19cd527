/**
 * Dragging a note's body moves the selection with it: the grabbed note's start follows the pointer
 * and snaps to the nearest grid line, the others keep their distance to it; rows follow the pointer
 * by semitones. A press and release without moving selects the grabbed note alone (a click on one of
 * several selected notes), unless `additive` (shift).
 */
import { moveNotes } from '../edits';
import { snapTo, type RollPoint } from '../geometry';
import type { Gesture, Origin } from './gesture';

export function moveNotesGesture(
  origin: Origin,
  grabbed: number,
  at: RollPoint,
  options: { snap: number; additive: boolean },
): Gesture {
  const from = origin.notes[grabbed].start;
  const offsets = (p: RollPoint) => ({
    steps: snapTo(from + p.step - at.step, options.snap) - from,
    semitones: p.pitch - at.pitch,
  });
  let moved = false;
  const step = (p: RollPoint) => {
    const { steps, semitones } = offsets(p);
    if (steps !== 0 || semitones !== 0) moved = true;
    return moveNotes(origin.notes, origin.selection, steps, semitones);
  };
  return {
    update: step,
    end(p) {
      const edit = step(p);
      if (moved || options.additive) return edit;
      return { notes: origin.notes, selection: [grabbed] };
    },
  };
}
