import { describe, expect, it } from 'vitest';
import { moveNotesGesture } from '../../../../renderer/lib/piano-roll/gestures/move-notes';
import { shape, tune } from '../notes';

describe('moving notes', () => {
  it('carries the selection with the pointer, the grabbed note snapping to the grid', () => {
    const g = moveNotesGesture(
      { notes: tune, selection: [0, 1] },
      1,
      { step: 5.5, pitch: 62 },
      {
        snap: 4,
        additive: false,
      },
    );
    g.update({ step: 7, pitch: 62 });
    // 5.5 → 12.3 carries D from 4 to 10.8, which snaps to 12: both notes move 8 steps, up 3 semitones.
    expect(shape(g.end({ step: 12.3, pitch: 65 }))).toEqual({
      notes: [
        [63, 8, 4],
        [65, 12, 4],
        [67, 16, 8],
      ],
      selection: [0, 1],
    });
  });

  it('computes each step from where the drag began: a neighbour passed over comes back', () => {
    const g = moveNotesGesture(
      { notes: tune, selection: [0] },
      0,
      { step: 1, pitch: 60 },
      { snap: 1, additive: false },
    );
    expect(g.update({ step: 5, pitch: 60 }).notes).toHaveLength(3);
    expect(g.end({ step: 1, pitch: 60 }).notes).toEqual(tune);
  });

  it('selects the grabbed note alone when released where it was pressed', () => {
    const g = moveNotesGesture(
      { notes: tune, selection: [0, 1, 2] },
      1,
      { step: 5, pitch: 62 },
      {
        snap: 1,
        additive: false,
      },
    );
    g.update({ step: 5.4, pitch: 62 });
    expect(g.end({ step: 5.2, pitch: 62 })).toEqual({ notes: tune, selection: [1] });
  });

  it('keeps the selection on such a click with shift', () => {
    const g = moveNotesGesture(
      { notes: tune, selection: [0, 1] },
      1,
      { step: 5, pitch: 62 },
      {
        snap: 1,
        additive: true,
      },
    );
    expect(g.end({ step: 5, pitch: 62 }).selection).toEqual([0, 1]);
  });

  it('keeps the moved selection when a drag ends back where it began', () => {
    const g = moveNotesGesture(
      { notes: tune, selection: [0, 1] },
      1,
      { step: 5, pitch: 62 },
      {
        snap: 1,
        additive: false,
      },
    );
    g.update({ step: 9, pitch: 62 });
    expect(g.end({ step: 5, pitch: 62 }).selection).toEqual([0, 1]);
  });
});
