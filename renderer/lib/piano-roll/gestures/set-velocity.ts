/**
 * Dragging a bar of the velocity lane up or down sets the note's velocity to the height under the
 * pointer; when the note is one of several selected, every selected note gets that velocity (as a
 * mixer's grouped faders do). Otherwise the note is selected alone.
 */
import { setVelocity } from '../edits';
import type { Gesture, Origin } from './gesture';

/** A point of the velocity lane: the step under the pointer and the velocity at its height (1..127). */
export interface LanePoint {
  step: number;
  velocity: number;
}

export function velocityGesture(origin: Origin, grabbed: number): Gesture<LanePoint> {
  const selection = origin.selection.includes(grabbed) ? origin.selection : [grabbed];
  const step = (p: LanePoint) => setVelocity(origin.notes, selection, p.velocity);
  return { update: step, end: step };
}
