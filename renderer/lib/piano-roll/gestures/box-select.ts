/**
 * Dragging a box over the roll selects the notes it touches (geometry's rows and steps, between the
 * press and the pointer), added to the selection before it when `additive`. The notes do not change.
 */
import type { RollBox, RollPoint } from '../geometry';
import { notesInBox, union } from '../selection';
import type { Gesture, Origin } from './gesture';

export function boxSelect(origin: Origin, at: RollPoint, options: { additive: boolean }): Gesture {
  const boxTo = (p: RollPoint): RollBox => ({
    fromStep: Math.min(at.step, p.step),
    toStep: Math.max(at.step, p.step),
    lowPitch: Math.min(at.pitch, p.pitch),
    highPitch: Math.max(at.pitch, p.pitch),
  });
  const select = (box: RollBox) => {
    const inside = notesInBox(origin.notes, box);
    return { notes: origin.notes, selection: options.additive ? union(origin.selection, inside) : inside };
  };
  return {
    update(p) {
      const box = boxTo(p);
      return { ...select(box), box };
    },
    end: (p) => select(boxTo(p)),
  };
}
