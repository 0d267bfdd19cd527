/**
 * Drawing a note on an empty cell: the press adds a note of `length` steps at the grid line of the
 * cell, on its row; dragging to the right sets its length to reach the end of the grid cell under the
 * pointer (at least one cell). Dragging back into the first cell gives the press's length again.
 */
import type { Note } from '../../../../app/contract/api';
import { addNote } from '../edits';
import { cellStart, type RollPoint } from '../geometry';
import type { Gesture, Origin } from './gesture';

export interface DrawOptions {
  /** Grid in steps (1 = no snapping: notes are whole steps). */
  snap: number;
  /** Length of a note added by a click, in steps. */
  length: number;
  velocity: number;
}

export function drawNote(origin: Origin, at: RollPoint, options: DrawOptions): Gesture {
  const grid = Math.max(1, Math.round(options.snap));
  const start = cellStart(at.step, grid);
  const noteTo = (p: RollPoint): Note => {
    const cell = cellStart(p.step, grid);
    const duration = cell === start ? options.length : Math.max(grid, cell + grid - start);
    return { pitch: at.pitch, start, duration, velocity: options.velocity };
  };
  return {
    update: (p) => addNote(origin.notes, noteTo(p)),
    end: (p) => addNote(origin.notes, noteTo(p)),
  };
}
