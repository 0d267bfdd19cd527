/**
 * How the roll is looked at: horizontal zoom, whether the view follows the playhead, and where it
 * scrolls by itself (to a new melody's first notes, after the playhead). The component applies the
 * scroll positions decided here; drawing never scrolls.
 */
import type { Note } from '../../../app/contract/api';
import type { TimeSignature } from '../../../engine/time';
import { clampZoom, followScroll, KEYS_WIDTH, openingScroll, stepToX, type RollScale } from './geometry';

export const DEFAULT_PX_PER_STEP = 12;
export const ZOOM_STEP = 1.25;

export class RollView {
  pxPerStep = $state(DEFAULT_PX_PER_STEP);
  follow = $state(true);
  /** What the view last scrolled to; not reactive: deciding to scroll must not redraw. */
  #shown: object | null = null;

  zoomBy(factor: number): void {
    this.pxPerStep = clampZoom(this.pxPerStep * factor);
  }

  set(pxPerStep: number): void {
    this.pxPerStep = clampZoom(pxPerStep);
  }

  /**
   * The scroll that shows a melody's first notes when `melody` was not shown before, otherwise null.
   * `melody` is what identifies the melody: a read-only melody's notes array, or an editor (whose
   * edits replace the array but must not move the view).
   */
  scrollForNew(
    melody: object,
    notes: readonly Note[],
    ts: TimeSignature,
    scale: RollScale,
    viewWidth: number,
    viewHeight: number,
  ): { scrollLeft: number; scrollTop: number } | null {
    if (this.#shown === melody) return null;
    this.#shown = melody;
    return openingScroll(notes, ts, scale, viewWidth, viewHeight);
  }

  /** The horizontal scroll that keeps the playhead in view, or null to leave the scroll alone. */
  scrollToFollow(
    playhead: number | null,
    scale: RollScale,
    scrollLeft: number,
    viewWidth: number,
  ): number | null {
    if (playhead === null || !this.follow) return null;
    const target = followScroll(stepToX(playhead, scale), scrollLeft, viewWidth - KEYS_WIDTH);
    return target === scrollLeft ? null : target;
  }
}
