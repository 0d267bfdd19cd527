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

/**
 * A take being recorded: presses and releases keyed by their source (as NoteInput keys them), the
 * notes finished so far, and at the end every note, those still held ending then, quantized.
 */
export class Take {
  readonly timing: TakeTiming;
  readonly #played: PlayedNote[] = [];
  readonly #open = new Map<string, Omit<PlayedNote, 'off'>>();

  constructor(timing: TakeTiming) {
    this.timing = timing;
  }

  press(source: string, pitch: number, velocity: number, time: number): void {
    this.release(source, time);
    this.#open.set(source, { pitch, velocity, on: time });
  }

  release(source: string, time: number): void {
    const open = this.#open.get(source);
    if (!open) return;
    this.#open.delete(source);
    this.#played.push({ ...open, off: time });
  }

  /** Notes finished so far. */
  get finished(): number {
    return this.#played.length;
  }

  /** Ends the take at `time`: the notes, quantized, from the take's step 0. */
  finish(time: number): Note[] {
    for (const source of [...this.#open.keys()]) this.release(source, time);
    return quantizeTake(this.#played, this.timing);
  }
}
