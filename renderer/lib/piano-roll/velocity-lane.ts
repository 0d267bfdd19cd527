/**
 * The velocity lane under the roll: one bar per note at its onset, as tall as its velocity, sharing
 * the roll's horizontal scale and scroll. Pure geometry and one painter, like layers.ts, so the lane
 * is tested with a recording context; the component only measures and forwards the pointer.
 */
import type { Note } from '../../../app/contract/api';
import { KEYS_WIDTH, stepToX, visibleRange, type RollScale } from './geometry';
import type { Painter } from './layers';
import type { LanePoint } from './gestures/set-velocity';

/** The lane's height in CSS pixels, and the gap kept above the tallest bar. */
export const LANE_HEIGHT = 60;
const LANE_PAD = 6;
/** A bar is at most this wide, so neighbouring short notes stay apart. */
const BAR_WIDTH = 6;

/** Top of a bar of `velocity` in a lane `height` px tall. */
export function velocityToY(velocity: number, height: number): number {
  return height - ((height - LANE_PAD) * velocity) / 127;
}

/** The velocity at height `y`, clamped to 1..127. */
export function yToVelocity(y: number, height: number): number {
  const v = Math.round(((height - y) * 127) / (height - LANE_PAD));
  return Math.min(127, Math.max(1, v));
}

/** The lane point under pixel (x, y) of the lane's note area (scrolling included). */
export function lanePointAt(x: number, y: number, s: RollScale, height: number): LanePoint {
  return { step: x / s.pxPerStep, velocity: yToVelocity(y, height) };
}

/**
 * The note whose bar is under `step`: the note sounding there (melodies are monophonic, so at most
 * one), or null over a rest.
 */
export function laneHit(notes: readonly Note[], step: number): number | null {
  const [from, to] = visibleRange(notes, step, step + 1e-9);
  return from < to ? from : null;
}

export interface LaneFrame {
  notes: readonly Note[];
  scale: RollScale;
  width: number;
  height: number;
  scrollLeft: number;
  selection: readonly number[];
}

export function paintVelocityLane(ctx: Painter, f: LaneFrame): void {
  const { width: w, height: h, scale: sc } = f;
  ctx.fillStyle = '#14161a';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#2c323a';
  ctx.fillRect(0, 0, w, 1);
  const fromStep = f.scrollLeft / sc.pxPerStep;
  const toStep = fromStep + (w - KEYS_WIDTH) / sc.pxPerStep;
  const [first, end] = visibleRange(f.notes, fromStep, toStep);
  const selected = new Set(f.selection);
  for (let i = first; i < end; i++) {
    const n = f.notes[i];
    const x = KEYS_WIDTH + stepToX(n.start, sc) - f.scrollLeft;
    if (x < KEYS_WIDTH - BAR_WIDTH) continue;
    const top = velocityToY(n.velocity, h);
    const barWidth = Math.max(2, Math.min(BAR_WIDTH, stepToX(n.duration, sc) - 1));
    ctx.fillStyle = selected.has(i) ? '#fff3d6' : 'hsl(38 72% 56%)';
    ctx.fillRect(x, top, barWidth, h - top);
  }
  ctx.fillStyle = '#111316';
  ctx.fillRect(0, 0, KEYS_WIDTH, h);
  ctx.fillStyle = '#9aa4b0';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillText('Velocity', 4, h / 2);
}
