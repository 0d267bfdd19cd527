import { describe, expect, it } from 'vitest';
import type { Note } from '../../../app/contract/api';
import { MAX_PX_PER_STEP, type RollScale } from '../../../renderer/lib/piano-roll/geometry';
import { RollView } from '../../../renderer/lib/piano-roll/roll-view.svelte';

const note = (start: number, pitch: number): Note => ({ pitch, start, duration: 4, velocity: 80 });
const scale: RollScale = { pxPerStep: 10, rowHeight: 11, highPitch: 108, lowPitch: 21 };

describe('RollView: scrolling to a new melody', () => {
  it('scrolls to a melody the first time it is shown, then leaves the scroll to the user', () => {
    const view = new RollView();
    const notes = [note(100, 60)];
    expect(view.scrollForNew(notes, notes, [4, 4], scale, 452, 200)).toEqual({
      scrollLeft: 960,
      scrollTop: expect.any(Number),
    });
    expect(view.scrollForNew(notes, notes, [4, 4], scale, 452, 200)).toBeNull();
  });

  it('scrolls again when a melody is shown after another', () => {
    const view = new RollView();
    const a = [note(0, 60)];
    const b = [note(0, 72)];
    view.scrollForNew(a, a, [4, 4], scale, 452, 200);
    view.scrollForNew(b, b, [4, 4], scale, 452, 200);
    expect(view.scrollForNew(a, a, [4, 4], scale, 452, 200)).not.toBeNull();
  });

  it('keeps the view while the notes of one melody change, when the melody is named by its owner', () => {
    const view = new RollView();
    const editor = {};
    view.scrollForNew(editor, [note(0, 60)], [4, 4], scale, 452, 200);
    expect(view.scrollForNew(editor, [note(0, 60), note(4, 62)], [4, 4], scale, 452, 200)).toBeNull();
  });
});

describe('RollView: following the playhead', () => {
  it('leaves the scroll alone when stopped, or while the playhead is in view', () => {
    const view = new RollView();
    expect(view.scrollToFollow(null, scale, 0, 452)).toBeNull();
    expect(view.scrollToFollow(20, scale, 0, 452)).toBeNull();
  });

  it('pages on when the playhead leaves the view', () => {
    const view = new RollView();
    expect(view.scrollToFollow(50, scale, 0, 452)).toBe(500 - 40);
  });

  it('does not follow when Follow is off', () => {
    const view = new RollView();
    view.follow = false;
    expect(view.scrollToFollow(50, scale, 0, 452)).toBeNull();
  });
});

describe('RollView: zoom', () => {
  it('keeps zoom within its limits', () => {
    const view = new RollView();
    view.zoomBy(1000);
    expect(view.pxPerStep).toBe(MAX_PX_PER_STEP);
  });
});
