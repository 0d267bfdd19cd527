/**
 * Pure coordinate transforms and musical grid arithmetic for the piano roll. Time is in steps
 * (16th notes, 4 to a quarter) as in the engine; pitch is the MIDI note number, C4 = 60.
 * Kept free of DOM and Svelte so the editor that comes later can share and test them.
 */
import type { Note } from '../../../app/contract/api';

export const STEPS_PER_QUARTER = 4;
const SHARP_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];
const BLACK = [false, true, false, true, false, false, true, false, true, false, true, false];

/** Scientific pitch name, C4 = 60 (middle C). */
export function pitchName(pitch: number): string {
  const pc = ((pitch % 12) + 12) % 12;
  return `${SHARP_NAMES[pc]}${Math.floor(pitch / 12) - 1}`;
}

export function isBlackKey(pitch: number): boolean {
  return BLACK[((pitch % 12) + 12) % 12];
}

export type TimeSignature = readonly [numerator: number, denominator: number];

/** Steps in one bar: numerator × (16th notes per denominator unit). */
export function stepsPerBar([n, d]: TimeSignature): number {
  return (n * 4 * STEPS_PER_QUARTER) / d;
}

/** Compound meters (6/8, 9/8, 12/8, 6/16 …) are felt in dotted beats of three units. */
function isCompound([n, d]: TimeSignature): boolean {
  return d >= 8 && n > 3 && n % 3 === 0;
}

/** Steps in one felt beat: the denominator's unit, or three of them in compound meters. */
export function stepsPerBeat(ts: TimeSignature): number {
  const unit = (4 * STEPS_PER_QUARTER) / ts[1];
  return isCompound(ts) ? unit * 3 : unit;
}

export type GridKind = 'bar' | 'beat' | 'step';
export interface GridLine {
  step: number;
  kind: GridKind;
  bar: number; // 1-based bar the line belongs to
}

/**
 * Grid lines from `fromStep` to `toStep` inclusive. Step lines only when `withSteps` (the caller
 * asks for them when zoomed in far enough to see them); fractional beat units (e.g. 7/32) fall back
 * to bar lines only.
 */
export function gridLines(
  fromStep: number,
  toStep: number,
  ts: TimeSignature,
  withSteps: boolean,
): GridLine[] {
  const bar = stepsPerBar(ts);
  const beat = stepsPerBeat(ts);
  const lines: GridLine[] = [];
  const first = Math.max(0, Math.ceil(fromStep));
  for (let step = first; step <= toStep; step++) {
    const inBar = step % bar;
    const barNumber = Math.floor(step / bar) + 1;
    if (Math.abs(inBar) < 1e-9) lines.push({ step, kind: 'bar', bar: barNumber });
    else if (Number.isInteger(beat) && inBar % beat === 0) lines.push({ step, kind: 'beat', bar: barNumber });
    else if (withSteps) lines.push({ step, kind: 'step', bar: barNumber });
  }
  return lines;
}

/** The beat at or before `step`: where a click on the ruler starts playback. */
export function snapToBeat(step: number, ts: TimeSignature): number {
  const beat = stepsPerBeat(ts);
  return Math.max(0, Math.floor(step / beat) * beat);
}

/** "bar.beat" position, both 1-based, as musicians count. */
export function barBeat(step: number, ts: TimeSignature): string {
  const bar = stepsPerBar(ts);
  const beat = stepsPerBeat(ts);
  const s = Math.max(0, step);
  return `${Math.floor(s / bar) + 1}.${Math.floor((s % bar) / beat) + 1}`;
}

/** The melody's end rounded up to a whole bar (at least one bar), the length of the roll and of a loop. */
export function lengthInBars(notes: readonly Note[], ts: TimeSignature): number {
  const last = notes.at(-1);
  const end = last ? last.start + last.duration : 0;
  return Math.max(1, Math.ceil(end / stepsPerBar(ts)));
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
  const bars = lengthInBars(notes, ts);
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

/** The melody note sounding at `step` on `pitch`, if any. */
export function noteAt(notes: readonly Note[], step: number, pitch: number): Note | null {
  const [from, to] = visibleRange(notes, step, step + 1e-9);
  for (let i = from; i < to; i++) if (notes[i].pitch === pitch) return notes[i];
  return null;
}
