/**
 * A real-time take as notes: what was played (times in milliseconds on one clock, e.g.
 * performance.now()) quantized to the grid, measured from the take's origin (the downbeat after the
 * count-in). Onsets go to the nearest grid line, ends too, and every note is at least one grid cell
 * long. A note played so early that it lands before the origin is left out. Overlaps are left to the
 * edit that places the take (edits.ts: the later onset wins, as in extraction).
 */
import type { Note } from '../../../app/contract/api';

export interface PlayedNote {
  pitch: number;
  velocity: number;
  on: number;
  off: number;
}

export interface TakeTiming {
  /** Time of step 0 of the take. */
  origin: number;
  /** Milliseconds per step (a 16th note) at the take's tempo. */
  stepMs: number;
  /** Grid in steps. */
  grid: number;
}

/** Milliseconds per 16th-note step at `bpm` quarter notes a minute. */
export function stepMs(bpm: number): number {
  return 60_000 / bpm / 4;
}

export function quantizeTake(played: readonly PlayedNote[], timing: TakeTiming): Note[] {
  const grid = Math.max(1, Math.round(timing.grid));
  // `+ 0` turns the -0 of a note rounded up to the origin into 0.
  const toGrid = (t: number) => Math.round((t - timing.origin) / timing.stepMs / grid) * grid + 0;
  const notes: Note[] = [];
  for (const p of played) {
    const start = toGrid(p.on);
    if (start < 0) continue;
    const duration = Math.max(grid, toGrid(p.off) - start);
    notes.push({ pitch: p.pitch, start, duration, velocity: p.velocity });
  }
  return notes.sort((a, b) => a.start - b.start);
}
