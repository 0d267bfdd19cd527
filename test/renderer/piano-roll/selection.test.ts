import { describe, expect, it } from 'vitest';
import type { Note } from '../../../app/contract/api';
import { notesInBox, toggle, union } from '../../../renderer/lib/piano-roll/selection';

const note = (pitch: number, start: number, duration: number): Note => ({
  pitch,
  start,
  duration,
  velocity: 80,
});
const notes = [note(60, 0, 4), note(62, 4, 4), note(64, 8, 4), note(67, 16, 8)];

describe('selections', () => {
  it('finds the notes a box touches: sounding within its steps, on its rows', () => {
    expect(notesInBox(notes, { fromStep: 3.5, toStep: 9, lowPitch: 60, highPitch: 63 })).toEqual([0, 1]);
    expect(notesInBox(notes, { fromStep: 12, toStep: 16, lowPitch: 0, highPitch: 127 })).toEqual([]);
  });

  it('joins two selections in note order without repeats', () => {
    expect(union([3, 1], [1, 0])).toEqual([0, 1, 3]);
  });

  it('adds a note that was not selected and removes one that was (shift-click)', () => {
    expect([toggle([0, 3], 2), toggle([0, 2, 3], 2)]).toEqual([
      [0, 2, 3],
      [0, 3],
    ]);
  });
});
