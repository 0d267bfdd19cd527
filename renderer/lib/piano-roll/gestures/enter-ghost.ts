/**
 * Entering a ghost note (the model's suggestion at the cursor, ghosts.ts): the press adds the ghost's
 * note where the ghost is, with the note length tool's duration wherever along the ghost the press
 * lands; dragging right past the ghost's end lengthens it to the step under the pointer, as drawing
 * a note does. A press on a ghost never starts a drawing elsewhere in its cells.
 */
import type { Note } from '../../../../app/contract/api';
import { addNote } from '../edits';
import type { RollPoint } from '../geometry';
import type { Ghost } from '../ghosts';
import type { Gesture, Origin } from './gesture';

export function enterGhostGesture(
  origin: Origin,
  ghost: Pick<Ghost, 'pitch' | 'start'>,
  options: { length: number; velocity: number },
): Gesture {
  const length = Math.max(1, Math.round(options.length));
  const noteTo = (p: RollPoint): Note => {
    const end = Math.max(ghost.start + length, Math.ceil(p.step));
    return {
      pitch: ghost.pitch,
      start: ghost.start,
      duration: end - ghost.start,
      velocity: options.velocity,
    };
  };
  return {
    update: (p) => addNote(origin.notes, noteTo(p)),
    end: (p) => addNote(origin.notes, noteTo(p)),
  };
}
