import { describe, expect, it } from 'vitest';
import { boxSelect } from '../../../../renderer/lib/piano-roll/gestures/box-select';
import { tune } from '../notes';

describe('box selection', () => {
  it('shows the box between the press and the pointer, and selects the notes it touches', () => {
    const g = boxSelect({ notes: tune, selection: [3] }, { step: 9.5, pitch: 61 }, { additive: false });
    expect(g.update({ step: 2.5, pitch: 64 })).toEqual({
      notes: tune,
      selection: [1, 2],
      box: { fromStep: 2.5, toStep: 9.5, lowPitch: 61, highPitch: 64 },
    });
  });

  it('ends with the notes inside, without a box', () => {
    const g = boxSelect({ notes: tune, selection: [3] }, { step: 0, pitch: 59 }, { additive: false });
    g.update({ step: 30, pitch: 70 });
    expect(g.end({ step: 3, pitch: 60 })).toEqual({ notes: tune, selection: [0] });
  });

  it('adds to the selection when additive', () => {
    const g = boxSelect({ notes: tune, selection: [3] }, { step: 0, pitch: 60 }, { additive: true });
    expect(g.end({ step: 6, pitch: 62 }).selection).toEqual([0, 1, 3]);
  });

  it('never changes the notes', () => {
    const g = boxSelect({ notes: tune, selection: [] }, { step: 0, pitch: 0 }, { additive: false });
    expect(g.end({ step: 100, pitch: 127 }).notes).toBe(tune);
  });
});
