import { describe, expect, it } from 'vitest';
import { velocityGesture } from '../../../../renderer/lib/piano-roll/gestures/set-velocity';
import { tune } from '../notes';

const velocities = (notes: readonly { velocity: number }[]) => notes.map((n) => n.velocity);

describe('dragging a bar of the velocity lane', () => {
  it('sets the grabbed note to the velocity under the pointer and selects it alone', () => {
    const g = velocityGesture({ notes: tune, selection: [0, 3] }, 1);
    g.update({ step: 5, velocity: 30 });
    const end = g.end({ step: 5, velocity: 110 });
    expect([velocities(end.notes), end.selection]).toEqual([[80, 110, 80, 80], [1]]);
  });

  it('sets every selected note when the grabbed note is one of them', () => {
    const g = velocityGesture({ notes: tune, selection: [0, 2] }, 2);
    const end = g.end({ step: 9, velocity: 40 });
    expect([velocities(end.notes), end.selection]).toEqual([
      [40, 80, 40, 80],
      [0, 2],
    ]);
  });

  it('keeps the timing and pitches of the notes', () => {
    const g = velocityGesture({ notes: tune, selection: [] }, 3);
    const end = g.end({ step: 17, velocity: 127 });
    expect(end.notes.map(({ pitch, start, duration }) => [pitch, start, duration])).toEqual(
      tune.map(({ pitch, start, duration }) => [pitch, start, duration]),
    );
  });
});
