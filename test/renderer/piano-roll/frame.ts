/** The frame the painter tests draw: 10 px a step, 11 px a row, every key of the piano. */
import type { RollScale } from '../../../renderer/lib/piano-roll/geometry';
import type { RollFrame } from '../../../renderer/lib/piano-roll/layers';

export const scale: RollScale = { pxPerStep: 10, rowHeight: 11, highPitch: 108, lowPitch: 21 };

/** 452 × 300 px (steps 0..40 in view beside the 52 px keyboard), in 4/4, nothing selected or playing. */
export const testFrame = (over: Partial<RollFrame>): RollFrame => ({
  notes: [],
  timeSignature: [4, 4],
  scale,
  width: 452,
  height: 300,
  scrollLeft: 0,
  scrollTop: 0,
  playhead: null,
  selection: [],
  box: null,
  ...over,
});
