import { describe, expect, it } from 'vitest';
import { appendStep, barsOf } from '../../../renderer/lib/piano-roll/edits';
import { melody, shape } from './notes';

// Four bars of 3/4 (12 steps a bar): a note a bar, the third held into the fourth.
const waltz = melody([60, 0, 4], [62, 12, 4], [64, 24, 16], [65, 40, 4]);

describe('taking bars of a melody', () => {
  it('takes the notes that begin in the bars, moved to start at the first bar line', () => {
    const clip = barsOf(waltz, [3, 4], 2, 2);
    expect([shape({ notes: clip.notes, selection: [] }).notes, clip.length]).toEqual([[[62, 0, 4]], 12]);
  });

  it('cuts a note that sounds past the last bar at its end', () => {
    const clip = barsOf(waltz, [3, 4], 2, 3);
    expect(shape({ notes: clip.notes, selection: [] }).notes).toEqual([
      [62, 0, 4],
      [64, 12, 12],
    ]);
  });

  it('leaves out a note begun in an earlier bar, and keeps the bars as long as they are', () => {
    const clip = barsOf(waltz, [3, 4], 4, 4);
    expect([shape({ notes: clip.notes, selection: [] }).notes, clip.length]).toEqual([[[65, 4, 4]], 12]);
  });

  it('reads a reversed range the right way round, and starts no earlier than bar 1', () => {
    expect(barsOf(waltz, [3, 4], 2, 1)).toEqual(barsOf(waltz, [3, 4], 1, 2));
    expect(barsOf(waltz, [3, 4], -3, 1)).toEqual(barsOf(waltz, [3, 4], 1, 1));
  });

  it('appends at the first bar line after the last note, or at the start when empty', () => {
    expect([
      appendStep(waltz, [3, 4]),
      appendStep(melody([60, 0, 12]), [3, 4]),
      appendStep([], [3, 4]),
    ]).toEqual([48, 12, 0]);
  });
});
