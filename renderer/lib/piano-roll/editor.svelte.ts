/**
 * The editor's state: the notes being edited, the selection, the clipboard and snapshot undo/redo.
 * Note arrays are `$state.raw` and never mutated (edits.ts returns new arrays), so a snapshot is two
 * references and undo costs nothing to record. Every edit is one undo step, restoring the notes and
 * the selection as they were; a gesture (a drag) is one step however many pointer moves it takes,
 * and none when it changed no note. Changing only the selection is never an undo step.
 *
 * The melody's meter (tempo and time signature) is part of what is edited and undone, so taking bars
 * of another melody (its notes and its meter) is one step, as is a change of tempo. `revision` counts
 * changes of the notes or the meter that stay (edits, undo, redo, loading), never the moves of a
 * drag in progress: what a document's autosave watches.
 */
import type { Note } from '../../../app/contract/api';
import type { TimeSignature } from '../../../engine/time';
import { copyNotes, deleteNotes, pasteNotes, type Clip, type Edit } from './edits';
import type { RollBox, RollPoint } from './geometry';
import type { Gesture } from './gestures/gesture';

export const HISTORY_LIMIT = 200;

/** Tempo in quarter notes a minute, and the time signature. */
export interface Meter {
  bpm: number;
  timeSignature: TimeSignature;
}

export const DEFAULT_METER: Meter = { bpm: 120, timeSignature: [4, 4] };

interface Snapshot {
  notes: readonly Note[];
  selection: readonly number[];
  meter: Meter;
}

const sameMeter = (a: Meter, b: Meter) =>
  a === b ||
  (a.bpm === b.bpm && a.timeSignature[0] === b.timeSignature[0] && a.timeSignature[1] === b.timeSignature[1]);

function sameNotes(a: readonly Note[], b: readonly Note[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every(
    (n, i) =>
      n.pitch === b[i].pitch &&
      n.start === b[i].start &&
      n.duration === b[i].duration &&
      n.velocity === b[i].velocity,
  );
}

export class RollEditor {
  notes = $state.raw<readonly Note[]>([]);
  selection = $state.raw<readonly number[]>([]);
  meter = $state.raw<Meter>(DEFAULT_METER);
  /** Changes of the notes or the meter that stay; see the module comment. */
  revision = $state(0);
  clipboard = $state.raw<Clip | null>(null);
  /** The box of a box selection being dragged, for the selection layer. */
  box = $state.raw<RollBox | null>(null);
  #undo = $state.raw<Snapshot[]>([]);
  #redo = $state.raw<Snapshot[]>([]);
  // Gesture<P>'s methods take P: stored as Gesture<unknown>, called back with the P it was begun with.
  #gesture: { gesture: Gesture<unknown>; before: Snapshot } | null = null;

  readonly canUndo = $derived(this.#undo.length > 0);
  readonly canRedo = $derived(this.#redo.length > 0);

  readonly #historyLimit: number;

  constructor(notes: readonly Note[] = [], historyLimit = HISTORY_LIMIT, meter: Meter = DEFAULT_METER) {
    this.notes = notes;
    this.meter = meter;
    this.#historyLimit = historyLimit;
  }

  /** Starts editing other notes (and meter): nothing selected, no history. */
  load(notes: readonly Note[], meter: Meter = this.meter): void {
    this.cancelGesture();
    this.#set({ notes, selection: [], meter });
    this.#undo = [];
    this.#redo = [];
    this.revision++;
  }

  select(selection: readonly number[]): void {
    this.selection = selection;
  }

  /** Applies an edit (and a new meter) as one undo step, none when the notes and meter stay the same. */
  apply(edit: Edit, meter: Meter = this.meter): void {
    this.#record(this.#snapshot(), edit, meter);
  }

  /** A new tempo or time signature, as one undo step. */
  setMeter(meter: Meter): void {
    this.apply({ notes: this.notes, selection: this.selection }, meter);
  }

  /** Applies `operation` (one of edits.ts's) to the current notes and selection. */
  edit(operation: (notes: readonly Note[], selection: readonly number[]) => Edit): void {
    this.apply(operation(this.notes, this.selection));
  }

  undo(): void {
    const stacks = this.#travel(this.#undo, this.#redo);
    if (stacks) [this.#undo, this.#redo] = stacks;
  }

  redo(): void {
    const stacks = this.#travel(this.#redo, this.#undo);
    if (stacks) [this.#redo, this.#undo] = stacks;
  }

  /** Restores the top of `from`, keeping the present on `to`; null when there is nothing to restore. */
  #travel(from: Snapshot[], to: Snapshot[]): [Snapshot[], Snapshot[]] | null {
    const target = from.at(-1);
    if (!target || this.#gesture) return null;
    const present = this.#snapshot();
    this.#set(target);
    this.revision++;
    return [from.slice(0, -1), [...to, present]];
  }

  copy(): void {
    this.clipboard = copyNotes(this.notes, this.selection) ?? this.clipboard;
  }

  cut(): void {
    this.copy();
    this.edit(deleteNotes);
  }

  /** Pastes the clipboard with its first note at `atStep`. */
  paste(atStep: number): void {
    const clip = this.clipboard;
    if (clip) this.edit((notes) => pasteNotes(notes, clip, atStep));
  }

  /**
   * A press at `at` starts `gesture`; what it does at the press shows at once. `P` is where the
   * pointer is in the gesture's terms: a RollPoint on the roll, a LanePoint on the velocity lane.
   */
  beginGesture<P = RollPoint>(gesture: Gesture<P>, at: P): void {
    this.cancelGesture();
    this.#gesture = { gesture, before: this.#snapshot() };
    this.moveGesture(at);
  }

  get gestureActive(): boolean {
    return this.#gesture !== null;
  }

  moveGesture<P = RollPoint>(p: P): void {
    if (!this.#gesture) return;
    const step = this.#gesture.gesture.update(p);
    this.#set({ ...step, meter: this.meter });
    this.box = step.box ?? null;
  }

  /** The release: the gesture's edit becomes one undo step. */
  endGesture<P = RollPoint>(p: P): void {
    const active = this.#gesture;
    if (!active) return;
    this.#gesture = null;
    this.box = null;
    this.#record(active.before, active.gesture.end(p), active.before.meter);
  }

  /** Abandons a gesture (Escape, a lost pointer): the notes and selection are as before it. */
  cancelGesture(): void {
    const active = this.#gesture;
    if (!active) return;
    this.#gesture = null;
    this.box = null;
    this.#set(active.before);
  }

  #snapshot(): Snapshot {
    return { notes: this.notes, selection: this.selection, meter: this.meter };
  }

  #set(s: Snapshot): void {
    this.notes = s.notes;
    this.selection = s.selection;
    this.meter = s.meter;
  }

  #record(before: Snapshot, edit: Edit, meter: Meter): void {
    if (!sameNotes(before.notes, edit.notes) || !sameMeter(before.meter, meter)) {
      this.#undo = [...this.#undo, before].slice(-this.#historyLimit);
      this.#redo = [];
      this.#set({ notes: edit.notes, selection: edit.selection, meter });
      this.revision++;
    } else {
      this.#set({ notes: before.notes, selection: edit.selection, meter: before.meter });
    }
  }
}
