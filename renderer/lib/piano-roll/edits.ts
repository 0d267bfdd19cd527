/**
 * Pure edit operations on a melody's notes, for the editor's commands and gestures. None mutates its
 * inputs; each returns the new notes and the new selection.
 *
 * Every result keeps Melody's invariants: sorted by start, monophonic (no two notes overlap), whole
 * steps, pitch 0..127, start ≥ 0, duration ≥ 1, velocity 1..127. Edited notes are clamped into those
 * ranges; a group that is moved stops at the edge as a whole, keeping its shape.
 *
 * Overlaps: the edited notes win. Where an edited note would overlap a note the edit did not touch,
 * the untouched note is cut to end where the edited one starts if it starts earlier, and removed if
 * the edited note covers its onset. Among the edited notes the later onset wins the same way (the
 * earlier note is cut short, as extraction cuts a note where the next one starts). An edit computed
 * again from the same starting notes (a drag in progress) brings back what it removed before.
 *
 * Selection: ascending indices into the notes. An edit selects the notes it placed (added, moved,
 * resized, pasted, duplicated, re-timed or re-voiced); delete selects nothing.
 */
import type { Note } from '../../../app/contract/api';
import { barSteps, lengthInBars, type TimeSignature } from '../../../engine/time';
import { notesEnd, snapTo } from './geometry';

export interface Edit {
  notes: readonly Note[];
  selection: readonly number[];
}

/** Copied notes, their starts relative to the first one, and the span they cover in steps. */
export interface Clip {
  notes: readonly Note[];
  length: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, Math.round(value)));

function clampNote(n: Note): Note {
  return {
    pitch: clamp(n.pitch, 0, 127),
    start: Math.max(0, Math.round(n.start)),
    duration: Math.max(1, Math.round(n.duration)),
    velocity: clamp(n.velocity, 1, 127),
  };
}

interface Placed {
  note: Note;
  /** Placed by this edit: wins overlaps and is selected afterwards. */
  edited: boolean;
}

/** Sorts and resolves overlaps by the rules of the module comment. */
function settle(items: Placed[]): Edit {
  const sorted = items.slice().sort((a, b) => a.note.start - b.note.start);
  const out: Placed[] = [];
  for (const item of sorted) {
    let keep = true;
    while (out.length > 0) {
      const last = out[out.length - 1];
      if (last.note.start + last.note.duration <= item.note.start) break;
      if (last.edited && !item.edited) {
        keep = false;
      } else if (last.note.start === item.note.start) {
        out.pop();
        continue;
      } else {
        out[out.length - 1] = {
          ...last,
          note: { ...last.note, duration: item.note.start - last.note.start },
        };
      }
      break;
    }
    if (keep) out.push(item);
  }
  const selection: number[] = [];
  out.forEach((item, i) => item.edited && selection.push(i));
  return { notes: out.map((item) => item.note), selection };
}

function chosen(notes: readonly Note[], selection: readonly number[]): Set<number> {
  return new Set(selection.filter((i) => Number.isInteger(i) && i >= 0 && i < notes.length));
}

/** Replaces each selected note with `change(note)`, then settles. */
function changeSelected(
  notes: readonly Note[],
  selection: readonly number[],
  change: (n: Note) => Note,
): Edit {
  const picked = chosen(notes, selection);
  if (picked.size === 0) return { notes, selection: [] };
  return settle(
    notes.map((note, i) =>
      picked.has(i) ? { note: clampNote(change(note)), edited: true } : { note, edited: false },
    ),
  );
}

/** Adds `placed` to all of `notes`, then settles. */
function place(notes: readonly Note[], placed: readonly Note[]): Edit {
  return settle([
    ...notes.map((note) => ({ note, edited: false })),
    ...placed.map((note) => ({ note: clampNote(note), edited: true })),
  ]);
}

export function addNote(notes: readonly Note[], note: Note): Edit {
  return place(notes, [note]);
}

export function deleteNotes(notes: readonly Note[], selection: readonly number[]): Edit {
  const picked = chosen(notes, selection);
  return { notes: notes.filter((_, i) => !picked.has(i)), selection: [] };
}

/** Moves the selected notes by `steps` and `semitones`, as a group that stops at the edges of time and pitch. */
export function moveNotes(
  notes: readonly Note[],
  selection: readonly number[],
  steps: number,
  semitones: number,
): Edit {
  const picked = [...chosen(notes, selection)].map((i) => notes[i]);
  if (picked.length === 0) return { notes, selection: [] };
  const earliest = Math.min(...picked.map((n) => n.start));
  const lowest = Math.min(...picked.map((n) => n.pitch));
  const highest = Math.max(...picked.map((n) => n.pitch));
  const dStep = Math.max(-earliest, Math.round(steps));
  const dPitch = Math.min(127 - highest, Math.max(-lowest, Math.round(semitones)));
  return changeSelected(notes, selection, (n) => ({ ...n, start: n.start + dStep, pitch: n.pitch + dPitch }));
}

export function transposeNotes(
  notes: readonly Note[],
  selection: readonly number[],
  semitones: number,
): Edit {
  return moveNotes(notes, selection, 0, semitones);
}

/** Lengthens (or, negative, shortens) each selected note by `steps`; no note gets shorter than one step. */
export function resizeNotes(notes: readonly Note[], selection: readonly number[], steps: number): Edit {
  return changeSelected(notes, selection, (n) => ({ ...n, duration: n.duration + steps }));
}

export function setVelocity(notes: readonly Note[], selection: readonly number[], velocity: number): Edit {
  return changeSelected(notes, selection, (n) => ({ ...n, velocity }));
}

/** Moves each selected note's start to the nearest line of a grid of `grid` steps; lengths are kept. */
export function quantizeNotes(notes: readonly Note[], selection: readonly number[], grid: number): Edit {
  return changeSelected(notes, selection, (n) => ({ ...n, start: snapTo(n.start, grid) }));
}

/** The selected notes, for pasting elsewhere. Null without a selection. */
export function copyNotes(notes: readonly Note[], selection: readonly number[]): Clip | null {
  const picked = [...chosen(notes, selection)].sort((a, b) => a - b).map((i) => notes[i]);
  if (picked.length === 0) return null;
  const from = picked[0].start;
  const to = Math.max(...picked.map((n) => n.start + n.duration));
  return { notes: picked.map((n) => ({ ...n, start: n.start - from })), length: to - from };
}

/** Places `clip` with its first note at `atStep`. */
export function pasteNotes(notes: readonly Note[], clip: Clip, atStep: number): Edit {
  return place(
    notes,
    clip.notes.map((n) => ({ ...n, start: n.start + atStep })),
  );
}

/** A copy of the selected notes right after them (where their last note ends). */
export function duplicateNotes(notes: readonly Note[], selection: readonly number[]): Edit {
  const clip = copyNotes(notes, selection);
  if (!clip) return { notes, selection: [] };
  const first = Math.min(...chosen(notes, selection)); // notes are sorted: the earliest selected
  return pasteNotes(notes, clip, notes[first].start + clip.length);
}

/**
 * Bars `fromBar` to `toBar` (1-based, inclusive, engine/time's bars) as a clip starting at the first
 * bar line: the notes that begin in those bars, a note sounding past the last bar cut at its end, and
 * the clip as long as the bars (so rests at either end are kept). A note begun in an earlier bar is
 * left out: its onset is not in the range.
 */
export function barsOf(notes: readonly Note[], ts: TimeSignature, fromBar: number, toBar: number): Clip {
  const bar = barSteps(ts);
  const first = Math.max(1, Math.round(Math.min(fromBar, toBar)));
  const last = Math.max(first, Math.round(Math.max(fromBar, toBar)));
  const from = (first - 1) * bar;
  const to = last * bar;
  const inside = notes
    .filter((n) => n.start >= from && n.start < to)
    .map((n) => ({ ...n, start: n.start - from, duration: Math.min(n.duration, to - n.start) }));
  return { notes: inside, length: to - from };
}

/** Where appended music begins: the first bar line at or after the last note's end (0 without notes). */
export function appendStep(notes: readonly Note[], ts: TimeSignature): number {
  return notes.length === 0 ? 0 : lengthInBars(notesEnd(notes), ts) * barSteps(ts);
}
