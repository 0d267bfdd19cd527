import { describe, expect, it } from 'vitest';
import type { RollScale } from '../../../renderer/lib/piano-roll/geometry';
import {
  laneHit,
  lanePointAt,
  paintVelocityLane,
  velocityToY,
  yToVelocity,
} from '../../../renderer/lib/piano-roll/velocity-lane';
import { melody } from './notes';
import { RecordingContext } from './recording-context';

const scale: RollScale = { pxPerStep: 10, rowHeight: 11, highPitch: 108, lowPitch: 21 };

describe('velocity lane geometry', () => {
  it('maps the bottom of the lane to velocity 1 and near its top to 127, clamping beyond', () => {
    expect([yToVelocity(60, 60), yToVelocity(6, 60), yToVelocity(0, 60), yToVelocity(80, 60)]).toEqual([
      1, 127, 127, 1,
    ]);
  });

  it('puts the top of a bar where that velocity is read back', () => {
    for (const v of [1, 40, 64, 100, 127]) expect(yToVelocity(velocityToY(v, 60), 60)).toBe(v);
  });

  it('finds the note sounding under a step, and none over a rest', () => {
    const notes = melody([60, 0, 4], [62, 8, 2]);
    expect([laneHit(notes, 3.5), laneHit(notes, 6), laneHit(notes, 8)]).toEqual([0, null, 1]);
  });

  it('reads a point of the lane as a step and a velocity', () => {
    expect(lanePointAt(45, 33, scale, 60)).toEqual({ step: 4.5, velocity: yToVelocity(33, 60) });
  });
});

describe('velocity lane painter', () => {
  it('draws one bar per visible note at its onset, as tall as its velocity, selected ones lighter', () => {
    const ctx = new RecordingContext();
    const notes = melody([60, 0, 4], [62, 8, 2]);
    const loud = { ...notes[1], velocity: 127 };
    paintVelocityLane(ctx, {
      notes: [notes[0], loud],
      scale,
      width: 400,
      height: 60,
      scrollLeft: 0,
      selection: [1],
    });
    const bars = ctx.drawn.filter((d) => d.op === 'fillRect' && d.at[1] > 1 && d.at[0] >= 52);
    expect(bars.map((b) => [b.at[0], Math.round(b.at[1]), b.style])).toEqual([
      [52, Math.round(velocityToY(80, 60)), 'hsl(38 72% 56%)'],
      [132, 6, '#fff3d6'],
    ]);
  });
});
