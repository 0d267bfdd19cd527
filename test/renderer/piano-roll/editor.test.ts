import { describe, expect, it } from 'vitest';
import { moveNotes, setVelocity, transposeNotes } from '../../../renderer/lib/piano-roll/edits';
import { RollEditor } from '../../../renderer/lib/piano-roll/editor.svelte';
import { boxSelect } from '../../../renderer/lib/piano-roll/gestures/box-select';
import { moveNotesGesture } from '../../../renderer/lib/piano-roll/gestures/move-notes';
import { melody, shape, tune } from './notes';

const pitches = (editor: RollEditor) => editor.notes.map((n) => n.pitch);

describe('RollEditor: undo and redo', () => {
  it('undoes an edit, restoring the notes and the selection before it, and redoes it', () => {
    const editor = new RollEditor(tune);
    editor.select([1]);
    editor.edit((notes, selection) => transposeNotes(notes, selection, 12));
    expect([pitches(editor), editor.selection]).toEqual([[60, 74, 64, 67], [1]]);
    editor.select([0]);
    editor.undo();
    expect([editor.notes, editor.selection]).toEqual([tune, [1]]);
    editor.redo();
    expect([pitches(editor), editor.selection]).toEqual([[60, 74, 64, 67], [0]]);
  });

  it('undoes several edits in reverse order', () => {
    const editor = new RollEditor(tune, 10);
    editor.select([0]);
    for (let k = 0; k < 3; k++) editor.edit((n, s) => transposeNotes(n, s, 1));
    const seen: number[] = [];
    while (editor.canUndo) {
      editor.undo();
      seen.push(editor.notes[0].pitch);
    }
    expect(seen).toEqual([62, 61, 60]);
  });

  it('forgets what could be redone once a new edit is made', () => {
    const editor = new RollEditor(tune);
    editor.apply(moveNotes(tune, [0], 0, 1));
    editor.undo();
    editor.apply(setVelocity(tune, [2], 100));
    expect(editor.canRedo).toBe(false);
  });

  it('keeps at most the history limit, dropping the oldest steps', () => {
    const editor = new RollEditor(tune, 3);
    editor.select([0]);
    for (let k = 0; k < 5; k++) editor.edit((n, s) => transposeNotes(n, s, 1));
    let undone = 0;
    while (editor.canUndo) {
      editor.undo();
      undone++;
    }
    expect([undone, editor.notes[0].pitch]).toEqual([3, 62]);
  });

  it('makes no undo step for an edit that changes no note, or for a change of selection', () => {
    const editor = new RollEditor(tune);
    editor.apply(moveNotes(tune, [0], 0, 0));
    editor.select([2]);
    editor.apply(setVelocity(tune, [1], 80));
    expect(editor.canUndo).toBe(false);
  });

  it('starts afresh when other notes are loaded', () => {
    const editor = new RollEditor(tune);
    editor.apply(moveNotes(tune, [0], 0, 1));
    editor.select([0]);
    editor.load(melody([72, 0, 4]));
    expect([editor.canUndo, editor.canRedo, editor.selection]).toEqual([false, false, []]);
  });
});

describe('RollEditor: gestures', () => {
  it('shows a drag as it goes and keeps it as one undo step', () => {
    const editor = new RollEditor(tune);
    const at = { step: 1, pitch: 60 };
    editor.beginGesture(
      moveNotesGesture({ notes: tune, selection: [0] }, 0, at, { snap: 1, additive: false }),
      at,
    );
    expect(editor.selection).toEqual([0]);
    editor.moveGesture({ step: 2, pitch: 61 });
    editor.moveGesture({ step: 3, pitch: 62 });
    expect(shape(editor).notes.slice(0, 2)).toEqual([
      [62, 2, 4],
      [64, 8, 4],
    ]);
    editor.endGesture({ step: 3, pitch: 62 });
    editor.undo();
    expect([editor.notes, editor.canUndo]).toEqual([tune, false]);
  });

  it('restores the notes and selection when a gesture is cancelled', () => {
    const editor = new RollEditor(tune);
    editor.select([3]);
    const at = { step: 1, pitch: 60 };
    editor.beginGesture(
      moveNotesGesture({ notes: tune, selection: [0] }, 0, at, { snap: 1, additive: false }),
      at,
    );
    editor.moveGesture({ step: 9, pitch: 70 });
    editor.cancelGesture();
    expect([editor.notes, editor.selection, editor.canUndo]).toEqual([tune, [3], false]);
  });

  it('exposes the box of a box selection while it is dragged, and selects without an undo step', () => {
    const editor = new RollEditor(tune);
    const at = { step: 0, pitch: 59 };
    editor.beginGesture(boxSelect({ notes: tune, selection: [] }, at, { additive: false }), at);
    editor.moveGesture({ step: 6, pitch: 63 });
    expect(editor.box).toEqual({ fromStep: 0, toStep: 6, lowPitch: 59, highPitch: 63 });
    editor.endGesture({ step: 6, pitch: 63 });
    expect([editor.box, editor.selection, editor.canUndo]).toEqual([null, [0, 1], false]);
  });

  it('does not undo in the middle of a drag', () => {
    const editor = new RollEditor(tune);
    editor.apply(setVelocity(tune, [0], 100));
    const at = { step: 5, pitch: 62 };
    editor.beginGesture(
      moveNotesGesture({ notes: editor.notes, selection: [1] }, 1, at, { snap: 1, additive: false }),
      at,
    );
    editor.moveGesture({ step: 6, pitch: 62 });
    editor.undo();
    expect(shape(editor).notes[1]).toEqual([62, 5, 4]);
  });
});

describe('RollEditor: clipboard', () => {
  it('copies the selection and pastes it at a step, selecting the pasted notes', () => {
    const editor = new RollEditor(tune);
    editor.select([0, 1]);
    editor.copy();
    editor.paste(24);
    expect(shape(editor)).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 4],
        [64, 8, 4],
        [67, 16, 8],
        [60, 24, 4],
        [62, 28, 4],
      ],
      selection: [4, 5],
    });
  });

  it('cuts the selection as one undo step, keeping it on the clipboard', () => {
    const editor = new RollEditor(tune);
    editor.select([2]);
    editor.cut();
    expect(pitches(editor)).toEqual([60, 62, 67]);
    editor.undo();
    expect(editor.notes).toEqual(tune);
    editor.paste(12);
    expect(pitches(editor)).toEqual([60, 62, 64, 64, 67]);
  });

  it('keeps the clipboard when copying nothing', () => {
    const editor = new RollEditor(tune);
    editor.select([0]);
    editor.copy();
    editor.select([]);
    editor.copy();
    expect(editor.clipboard?.notes.map((n) => n.pitch)).toEqual([60]);
  });
});

describe('RollEditor: meter', () => {
  it('changes the tempo and time signature as one undo step each', () => {
    const editor = new RollEditor(tune);
    editor.setMeter({ bpm: 90, timeSignature: [4, 4] });
    editor.setMeter({ bpm: 90, timeSignature: [3, 4] });
    expect(editor.meter).toEqual({ bpm: 90, timeSignature: [3, 4] });
    editor.undo();
    expect(editor.meter).toEqual({ bpm: 90, timeSignature: [4, 4] });
    editor.undo();
    expect([editor.meter.bpm, editor.canUndo]).toEqual([120, false]);
  });

  it('applies new notes and a new meter together as one step', () => {
    const editor = new RollEditor(tune);
    editor.apply({ notes: melody([72, 0, 6]), selection: [] }, { bpm: 100, timeSignature: [6, 8] });
    editor.undo();
    expect([editor.notes, editor.meter.timeSignature]).toEqual([tune, [4, 4]]);
  });

  it('makes no undo step for a meter equal to the current one', () => {
    const editor = new RollEditor(tune);
    editor.setMeter({ bpm: 120, timeSignature: [4, 4] });
    expect(editor.canUndo).toBe(false);
  });
});

describe('RollEditor: revision', () => {
  it('counts edits, undo, redo and loads, but not the moves of a drag or a change of selection', () => {
    const editor = new RollEditor(tune);
    const seen = [editor.revision];
    editor.select([0]);
    editor.edit((n, s) => transposeNotes(n, s, 1));
    seen.push(editor.revision);
    const at = { step: 1, pitch: 61 };
    editor.beginGesture(
      moveNotesGesture({ notes: editor.notes, selection: [0] }, 0, at, { snap: 1, additive: false }),
      at,
    );
    editor.moveGesture({ step: 3, pitch: 61 });
    seen.push(editor.revision);
    editor.endGesture({ step: 3, pitch: 61 });
    seen.push(editor.revision);
    editor.undo();
    editor.redo();
    seen.push(editor.revision);
    editor.load([]);
    seen.push(editor.revision);
    expect(seen).toEqual([0, 1, 1, 2, 4, 5]);
  });

  it('does not count a cancelled drag', () => {
    const editor = new RollEditor(tune);
    const at = { step: 1, pitch: 60 };
    editor.beginGesture(
      moveNotesGesture({ notes: tune, selection: [0] }, 0, at, { snap: 1, additive: false }),
      at,
    );
    editor.moveGesture({ step: 5, pitch: 64 });
    editor.cancelGesture();
    expect(editor.revision).toBe(0);
  });
});
