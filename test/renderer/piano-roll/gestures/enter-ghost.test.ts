import { describe, expect, it } from 'vitest';
import { enterGhostGesture } from '../../../../renderer/lib/piano-roll/gestures/enter-ghost';
import { shape, tune } from '../notes';

// The tune is C D E (quarters from 0) and G (a half from 16): the cursor at 12, in the rest.
const ghost = { pitch: 65, start: 12 };
const tools = { length: 2, velocity: 80 };

describe('entering a ghost note', () => {
  it('adds the ghost’s note with the note length tool’s duration, wherever along the ghost it is pressed', () => {
    for (const step of [12, 12.5, 13.9]) {
      const g = enterGhostGesture({ notes: tune, selection: [] }, ghost, tools);
      const { notes, selection } = shape(g.end({ step, pitch: 65 }));
      // Between E4 (8–12) and G4 (16–24), selected.
      expect([notes.length, notes[2], notes[3], notes[4], selection]).toEqual([
        5,
        [64, 8, 4],
        [65, 12, 2],
        [67, 16, 8],
        [3],
      ]);
    }
  });

  it('is lengthened by dragging right past its end, to the step under the pointer', () => {
    const g = enterGhostGesture({ notes: tune, selection: [] }, ghost, tools);
    expect(shape(g.update({ step: 15.2, pitch: 70 })).notes[3]).toEqual([65, 12, 4]);
    // Back inside the ghost: the tool's length again.
    expect(shape(g.end({ step: 12.4, pitch: 65 })).notes[3]).toEqual([65, 12, 2]);
  });

  it('stays on the ghost’s row and start however the pointer moves', () => {
    const g = enterGhostGesture({ notes: tune, selection: [] }, ghost, tools);
    expect(shape(g.end({ step: 2, pitch: 40 })).notes[3]).toEqual([65, 12, 2]);
  });
});
