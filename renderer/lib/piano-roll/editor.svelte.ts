/**
 * The editor's state: the notes being edited, the selection, the clipboard and snapshot undo/redo.
 * Note arrays are `$state.raw` and never mutated (edits.ts returns new arrays), so a snapshot is two
 * references and undo costs nothing to record. Every edit is one undo step, restoring the notes and
 * the selection as they were; a gesture (a drag) is one step however many pointer moves it takes,
 * and none when it changed no note. Changing only the selection is never an undo step.
 */
import type { Note } from '../../../app/contract/api';
import { copyNotes, deleteNotes, pasteNotes, type Clip, type Edit } from './edits';
import type { RollBox, RollPoint } from './geometry';
import type { Gesture } from './gestures/gesture';

export const HISTORY_LIMIT = 200;

interface Snapshot {
  notes: readonly Note[];
  selection: readonly number[];
}

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
  clipboard = $state.raw<Clip | null>(null);
  /** The box of a box selection being dragged, for the selection layer. */
  box = $state.raw<RollBox | null>(null);
  #undo = $state.raw<Snapshot[]>([]);
  #redo = $state.raw<Snapshot[]>([]);
  #gesture: { gesture: Gesture; before: Snapshot } | null = null;

  readonly canUndo = $derived(this.#undo.length > 0);
  readonly canRedo = $derived(this.#redo.length > 0);

  readonly #historyLimit: number;

  constructor(notes: readonly Note[] = [], historyLimit = HISTORY_LIMIT) {
    this.notes = notes;
    this.#historyLimit = historyLimit;
  }

  /** Starts editing other notes: nothing selected, no history. */
  load(notes: readonly Note[]): void {
    this.cancelGesture();
    this.#set({ notes, selection: [] });
    this.#undo = [];
    this.#redo = [];
  }

  select(selection: readonly number[]): void {
    this.selection = selection;
  }

  /** Applies an edit as one undo step (none when the notes stay the same). */
  apply(edit: Edit): void {
    this.#record(this.#snapshot(), edit);
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

  /** A press at `at` starts `gesture`; what it does at the press shows at once. */
  beginGesture(gesture: Gesture, at: RollPoint): void {
    this.cancelGesture();
    this.#gesture = { gesture, before: this.#snapshot() };
    this.moveGesture(at);
  }

  moveGesture(p: RollPoint): void {
    if (!this.#gesture) return;
    const step = this.#gesture.gesture.update(p);
    this.#set(step);
    this.box = step.box ?? null;
  }

  /** The release: the gesture's edit becomes one undo step. */
  endGesture(p: RollPoint): void {
    const active = this.#gesture;
    if (!active) return;
    this.#gesture = null;
    this.box = null;
    this.#record(active.before, active.gesture.end(p));
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
    return { notes: this.notes, selection: this.selection };
  }

  #set(s: Snapshot): void {
    this.notes = s.notes;
    this.selection = s.selection;
  }

  #record(before: Snapshot, edit: Edit): void {
    if (!sameNotes(before.notes, edit.notes)) {
      this.#undo = [...this.#undo, before].slice(-this.#historyLimit);
      this.#redo = [];
      this.#set(edit);
    } else {
      this.#set({ notes: before.notes, selection: edit.selection });
    }
  }
}
