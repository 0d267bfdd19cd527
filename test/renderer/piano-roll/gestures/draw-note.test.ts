import { describe, expect, it } from 'vitest';
import { drawNote } from '../../../../renderer/lib/piano-roll/gestures/draw-note';
import { shape, tune } from '../notes';

const origin = { notes: tune, selection: [0] };
const options = { snap: 4, length: 2, velocity: 90 };

describe('drawing a note', () => {
  it('adds a note of the chosen length at the grid line of the cell pressed, and selects it', () => {
    const g = drawNote(origin, { step: 13.7, pitch: 65 }, options);
    expect(shape(g.end({ step: 13.7, pitch: 65 }))).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 4],
        [64, 8, 4],
        [65, 12, 2],
        [67, 16, 8],
      ],
      selection: [3],
    });
  });

  it('gives the note the velocity chosen', () => {
    const g = drawNote(origin, { step: 12, pitch: 65 }, options);
    expect(g.end({ step: 12, pitch: 65 }).notes[3].velocity).toBe(90);
  });

  it('lengthens the note to the end of the cell under the pointer as it is dragged right', () => {
    const g = drawNote({ notes: [], selection: [] }, { step: 0.5, pitch: 60 }, options);
    expect([4.2, 9.9, 11.5].map((step) => shape(g.update({ step, pitch: 72 })).notes)).toEqual([
      [[60, 0, 8]],
      [[60, 0, 12]],
      [[60, 0, 12]],
    ]);
  });

  it('goes back to the chosen length when dragged back into the first cell, or left of it', () => {
    const g = drawNote({ notes: [], selection: [] }, { step: 4.5, pitch: 60 }, options);
    g.update({ step: 12, pitch: 60 });
    expect(shape(g.end({ step: 5, pitch: 60 })).notes).toEqual([[60, 4, 2]]);
    expect(
      shape(
        drawNote({ notes: [], selection: [] }, { step: 4.5, pitch: 60 }, options).end({ step: 1, pitch: 60 }),
      ).notes,
    ).toEqual([[60, 4, 4]]);
  });

  it('cuts the note it is drawn into short, by the edit rules', () => {
    const g = drawNote(origin, { step: 20.2, pitch: 72 }, { ...options, snap: 1 });
    expect(shape(g.end({ step: 20.2, pitch: 72 })).notes.slice(-2)).toEqual([
      [67, 16, 4],
      [72, 20, 2],
    ]);
  });
});
