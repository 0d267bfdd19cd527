import { describe, expect, it } from 'vitest';
import { hitTest, type RollPoint, type RollScale } from '../../../../renderer/lib/piano-roll/geometry';
import { startGesture, type Modifiers } from '../../../../renderer/lib/piano-roll/gestures/start-gesture';
import { shape, tune } from '../notes';

const scale: RollScale = { pxPerStep: 10, rowHeight: 11, highPitch: 108, lowPitch: 21 };
const options = { snap: 1, length: 4, velocity: 80 };

/** A press at `at`, a move to `to`, a release there: the final edit. */
function drag(selection: number[], at: RollPoint, to: RollPoint, keys: Partial<Modifiers> = {}) {
  const hit = hitTest(tune, at, scale)!;
  const g = startGesture(
    { notes: tune, selection },
    hit,
    at,
    { shift: false, command: false, ...keys },
    options,
  );
  g.update(to);
  return shape(g.end(to));
}

describe('what a press starts', () => {
  it('on an empty cell, draws a note', () => {
    expect(drag([], { step: 12.5, pitch: 65 }, { step: 12.5, pitch: 65 }).notes[3]).toEqual([65, 12, 4]);
  });

  it('on an empty cell with shift, drags a box that adds to the selection', () => {
    expect(drag([3], { step: 12.5, pitch: 70 }, { step: 7, pitch: 50 }, { shift: true })).toEqual({
      notes: shape({ notes: tune, selection: [] }).notes,
      selection: [1, 2, 3],
    });
  });

  it('on an empty cell with Ctrl/⌘, drags a box that replaces the selection', () => {
    expect(drag([3], { step: 12.5, pitch: 70 }, { step: 7, pitch: 50 }, { command: true }).selection).toEqual(
      [1, 2],
    );
  });

  it('on an unselected note’s body, selects it alone and moves it', () => {
    expect(drag([0], { step: 9, pitch: 64 }, { step: 13, pitch: 65 })).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 4],
        [65, 12, 4],
        [67, 16, 8],
      ],
      selection: [2],
    });
  });

  it('on a selected note’s body, moves the whole selection', () => {
    // C and D move a step later; D now covers E's onset, so E goes.
    expect(drag([0, 1], { step: 1, pitch: 60 }, { step: 2, pitch: 60 }).notes).toEqual([
      [60, 1, 4],
      [62, 5, 4],
      [67, 16, 8],
    ]);
  });

  it('on a note’s body with shift, adds it to the selection or takes it out', () => {
    expect(drag([0], { step: 5, pitch: 62 }, { step: 9, pitch: 62 }, { shift: true }).selection).toEqual([
      0, 1,
    ]);
    expect(drag([0, 1], { step: 5, pitch: 62 }, { step: 5, pitch: 62 }, { shift: true }).selection).toEqual([
      0,
    ]);
  });

  it('on a note’s end grip, resizes it', () => {
    expect(drag([], { step: 7.8, pitch: 62 }, { step: 5.9, pitch: 62 })).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 2],
        [64, 8, 4],
        [67, 16, 8],
      ],
      selection: [1],
    });
  });
});
