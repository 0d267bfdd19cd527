import { describe, expect, it } from 'vitest';
import { resizeNoteGesture } from '../../../../renderer/lib/piano-roll/gestures/resize-note';
import { shape, tune } from '../notes';

describe('resizing notes by the end grip', () => {
  it('moves the grabbed note’s end with the pointer, snapped to the grid', () => {
    const g = resizeNoteGesture({ notes: tune, selection: [3] }, 3, { step: 23.8, pitch: 67 }, { snap: 4 });
    g.update({ step: 26, pitch: 67 });
    expect(shape(g.end({ step: 25.9, pitch: 70 })).notes[3]).toEqual([67, 16, 12]);
  });

  it('changes every selected note’s length by as much as the grabbed one', () => {
    const g = resizeNoteGesture({ notes: tune, selection: [0, 3] }, 3, { step: 24, pitch: 67 }, { snap: 1 });
    expect(shape(g.end({ step: 22, pitch: 67 }))).toEqual({
      notes: [
        [60, 0, 2],
        [62, 4, 4],
        [64, 8, 4],
        [67, 16, 6],
      ],
      selection: [0, 3],
    });
  });

  it('never ends a note before one step after its start', () => {
    const g = resizeNoteGesture({ notes: tune, selection: [1] }, 1, { step: 8, pitch: 62 }, { snap: 4 });
    expect(shape(g.end({ step: -10, pitch: 62 })).notes[1]).toEqual([62, 4, 1]);
  });

  it('removes the next note once the end passes its onset, and brings it back when it returns', () => {
    const g = resizeNoteGesture({ notes: tune, selection: [1] }, 1, { step: 8, pitch: 62 }, { snap: 1 });
    expect(g.update({ step: 10, pitch: 62 }).notes).toHaveLength(3);
    expect(g.end({ step: 8, pitch: 62 }).notes).toEqual(tune);
  });
});
