/**
 * Pure coordinate transforms and musical grid arithmetic for the piano roll. Time is in steps
 * (16th notes, 4 to a quarter) as in the engine; pitch is the MIDI note number, C4 = 60.
 * Bars and beats are engine/time's. Free of DOM and Svelte: painters, gestures and tests share them.
 */
import type { Note } from '../../../app/contract/api';
import {
  barIndex,
  barStart,
  barSteps,
  beatInBar,
  beatSteps,
  lengthInBars,
  type TimeSignature,
} from '../../../engine/time';

const SHARP_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];
const BLACK = [false, true, false, true, false, false, true, false, true, false, true, false];

/** The roll's fixed parts, in CSS pixels: the keyboard on the left, the ruler on top, one row a semitone. */
export const KEYS_WIDTH = 52;
export const RULER_HEIGHT = 22;
export const ROW_HEIGHT = 11;

/** Scientific pitch name, C4 = 60 (middle C). */
export function pitchName(pitch: number): string {
  const pc = ((pitch % 12) + 12) % 12;
  return `${SHARP_NAMES[pc]}${Math.floor(pitch / 12) - 1}`;
}

export function isBlackKey(pitch: number): boolean {
  return BLACK[((pitch % 12) + 12) % 12];
}

export type GridKind = 'bar' | 'beat' | 'step';
export interface GridLine {
  step: number;
  kind: GridKind;
  bar: number; // 1-based bar the line belongs to
}

/**
 * Grid lines from `fromStep` to `toStep` inclusive, on engine/time's bars (so a bar line is where
 * generation can end) and beats. Step lines only when `withSteps` (the caller asks for them when
 * zoomed in far enough to see them).
 */
export function gridLines(
  fromStep: number,
  toStep: number,
  ts: TimeSignature,
  withSteps: boolean,
): GridLine[] {
  const bar = barSteps(ts);
  const beat = beatSteps(ts);
  const lines: GridLine[] = [];
  for (let step = Math.max(0, Math.ceil(fromStep)); step <= toStep; step++) {
    const inBar = step % bar;
    const barNumber = barIndex(step, ts) + 1;
    if (inBar === 0) lines.push({ step, kind: 'bar', bar: barNumber });
    else if (inBar % beat === 0) lines.push({ step, kind: 'beat', bar: barNumber });
    else if (withSteps) lines.push({ step, kind: 'step', bar: barNumber });
  }
  return lines;
}

/** "bar.beat" position, both 1-based, as musicians count. */
export function barBeat(step: number, ts: TimeSignature): string {
  return `${barIndex(step, ts) + 1}.${beatInBar(step, ts) + 1}`;
}

/**
 * The nearest line of a grid of `grid` steps (snapping). Notes live on whole steps, so a grid finer
 * than one step (a 1/32 snap) is one step.
 */
export function snapTo(step: number, grid: number): number {
  const g = Math.max(1, Math.round(grid));
  return Math.round(step / g) * g;
}

/** The grid line at or before `step`: the cell a pointer is in. */
export function cellStart(step: number, grid: number): number {
  const g = Math.max(1, Math.round(grid));
  return Math.floor(step / g) * g;
}

/** The step where the last note ends (0 without notes). */
export function notesEnd(notes: readonly Note[]): number {
  const last = notes.at(-1);
  return last ? last.start + last.duration : 0;
}

/**
 * Notes that overlap the step window [fromStep, toStep): a contiguous slice, because melody notes
 * are sorted and never overlap, found by binary search so drawing stays cheap for long pieces.
 */
export function visibleRange(
  notes: readonly Note[],
  fromStep: number,
  toStep: number,
): [start: number, end: number] {
  let lo = 0;
  let hi = notes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (notes[mid].start + notes[mid].duration <= fromStep) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  hi = notes.length;
  while (end < hi) {
    const mid = (end + hi) >> 1;
    if (notes[mid].start < toStep) end = mid + 1;
    else hi = mid;
  }
  return [lo, end];
}

/** Maps steps and pitches to pixels of the note area (before scrolling) and back. */
export interface RollScale {
  pxPerStep: number;
  rowHeight: number;
  highPitch: number; // the top row
  lowPitch: number; // the bottom row
}

export function stepToX(step: number, s: RollScale): number {
  return step * s.pxPerStep;
}
export function xToStep(x: number, s: RollScale): number {
  return x / s.pxPerStep;
}
export function pitchToY(pitch: number, s: RollScale): number {
  return (s.highPitch - pitch) * s.rowHeight;
}
/** The pitch of the row containing y (rows are `rowHeight` tall, top row = highPitch). */
export function yToPitch(y: number, s: RollScale): number {
  return s.highPitch - Math.floor(y / s.rowHeight);
}
export function contentHeight(s: RollScale): number {
  return (s.highPitch - s.lowPitch + 1) * s.rowHeight;
}

export const MIN_PX_PER_STEP = 2;
export const MAX_PX_PER_STEP = 64;

export function clampZoom(pxPerStep: number): number {
  return Math.min(MAX_PX_PER_STEP, Math.max(MIN_PX_PER_STEP, pxPerStep));
}

/**
 * Zooms by `factor` keeping the step under `anchorX` (pixels from the note area's visible left
 * edge) where it is on screen. Returns the new scale and scroll offset.
 */
export function zoomAround(
  pxPerStep: number,
  scrollLeft: number,
  factor: number,
  anchorX: number,
): { pxPerStep: number; scrollLeft: number } {
  const next = clampZoom(pxPerStep * factor);
  const anchorStep = (scrollLeft + anchorX) / pxPerStep;
  return { pxPerStep: next, scrollLeft: Math.max(0, anchorStep * next - anchorX) };
}

/**
 * Where to scroll so the playhead stays in view while playing: unchanged while it is inside the
 * view, otherwise a page on, with the playhead a little in from the left edge.
 */
export function followScroll(playheadX: number, scrollLeft: number, viewWidth: number): number {
  const margin = Math.min(48, viewWidth * 0.1);
  if (playheadX >= scrollLeft && playheadX <= scrollLeft + viewWidth - margin) return scrollLeft;
  return Math.max(0, playheadX - margin);
}

/** The pitch range the roll shows: the piano's 88 keys, widened if a melody goes beyond them. */
export function pitchBounds(notes: readonly Note[]): { lowPitch: number; highPitch: number } {
  let low = 21;
  let high = 108;
  for (const n of notes) {
    if (n.pitch < low) low = n.pitch;
    if (n.pitch > high) high = n.pitch;
  }
  return { lowPitch: low, highPitch: high };
}

/** One sentence describing the roll's content, for screen readers and tests. */
export function describeMelody(notes: readonly Note[], ts: TimeSignature): string {
  if (notes.length === 0) return 'Piano roll: no notes';
  let low = notes[0].pitch;
  let high = notes[0].pitch;
  for (const n of notes) {
    low = Math.min(low, n.pitch);
    high = Math.max(high, n.pitch);
  }
  const bars = lengthInBars(notesEnd(notes), ts);
  const count = notes.length === 1 ? '1 note' : `${notes.length} notes`;
  return `Piano roll: ${count} from ${pitchName(low)} to ${pitchName(high)} over ${bars} ${bars === 1 ? 'bar' : 'bars'} in ${ts[0]}/${ts[1]}`;
}

const DURATION_NAMES: Record<number, string> = {
  1: '16th',
  2: '8th',
  3: 'dotted 8th',
  4: 'quarter',
  6: 'dotted quarter',
  8: 'half',
  12: 'dotted half',
  16: 'whole',
};

/** A note length in steps as a musician names it ("dotted quarter"), or "n/16" when it has no name. */
export function durationName(steps: number): string {
  return DURATION_NAMES[steps] ?? `${steps}/16`;
}

/** A rectangle of the roll in musical coordinates: steps [fromStep, toStep), rows lowPitch..highPitch. */
export interface RollBox {
  fromStep: number;
  toStep: number;
  lowPitch: number;
  highPitch: number;
}

/** A point of the note area in musical coordinates: `step` fractional (where in the step), `pitch` the row. */
export interface RollPoint {
  step: number;
  pitch: number;
}

/** The point under pixel (x, y) of the note area, scrolling included (the keyboard and ruler excluded). */
export function pointAt(x: number, y: number, s: RollScale): RollPoint {
  return { step: xToStep(x, s), pitch: yToPitch(y, s) };
}

/** How close to a note's end, in pixels, the pointer grabs the end (to resize) rather than the body. */
export const END_GRIP_PX = 5;

/**
 * What is under a point of the note area: a note (its index, and whether the pointer is on its body
 * or on the grip at its right end, which resizes it), or an empty cell (the whole step and the row's
 * pitch), or null outside the rows. The grip is at most a third of the note, so a short note can
 * still be grabbed by its body. At most one note sounds at any step of a melody, so at most one can be hit.
 */
export type RollHit =
  { kind: 'note'; index: number; part: 'body' | 'end' } | { kind: 'cell'; step: number; pitch: number };

export function hitTest(notes: readonly Note[], point: RollPoint, s: RollScale): RollHit | null {
  const { step, pitch } = point;
  if (step < 0 || pitch < s.lowPitch || pitch > s.highPitch) return null;
  const [from, to] = visibleRange(notes, step, step + 1e-9);
  for (let index = from; index < to; index++) {
    const n = notes[index];
    if (n.pitch !== pitch) continue;
    const grip = Math.min(END_GRIP_PX, stepToX(n.duration, s) / 3);
    const fromEnd = stepToX(n.start + n.duration - step, s);
    return { kind: 'note', index, part: fromEnd <= grip ? 'end' : 'body' };
  }
  return { kind: 'cell', step: Math.floor(step), pitch };
}

/**
 * Where to scroll when a melody is first shown: its first notes (some files open with many bars of
 * rest, then the view starts at the bar of the first note), vertically centred on the range of the
 * notes in view (or around F♯4 without notes). `viewWidth` and `viewHeight` are the whole roll's.
 */
export function openingScroll(
  notes: readonly Note[],
  ts: TimeSignature,
  s: RollScale,
  viewWidth: number,
  viewHeight: number,
): { scrollLeft: number; scrollTop: number } {
  const viewSteps = xToStep(viewWidth - KEYS_WIDTH, s);
  const first = notes.at(0);
  const left = first && first.start > viewSteps * 0.8 ? barStart(first.start, ts) : 0;
  const [from, to] = visibleRange(notes, left, left + viewSteps);
  let low = Infinity;
  let high = -Infinity;
  for (let i = from; i < to; i++) {
    low = Math.min(low, notes[i].pitch);
    high = Math.max(high, notes[i].pitch);
  }
  const mid = to > from ? (low + high) / 2 : 66;
  return {
    scrollLeft: stepToX(left, s),
    scrollTop: Math.max(0, RULER_HEIGHT + pitchToY(mid, s) - viewHeight / 2),
  };
}
