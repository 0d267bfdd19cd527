import { describe, expect, it } from 'vitest';
import { encode } from '../../../engine/tokens/index.js';
import {
  addNote,
  copyNotes,
  deleteNotes,
  duplicateNotes,
  moveNotes,
  pasteNotes,
  quantizeNotes,
  resizeNotes,
  setVelocity,
  transposeNotes,
  type Edit,
} from '../../../renderer/lib/piano-roll/edits';
import { frozen, melody, shape, tune } from './notes';

describe('addNote', () => {
  it('puts the note in start order and selects it', () => {
    expect(shape(addNote(tune, { pitch: 65, start: 12, duration: 4, velocity: 80 }))).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 4],
        [64, 8, 4],
        [65, 12, 4],
        [67, 16, 8],
      ],
      selection: [3],
    });
  });

  it('cuts short a note it lands inside', () => {
    expect(shape(addNote(tune, { pitch: 72, start: 18, duration: 2, velocity: 80 })).notes.slice(-2)).toEqual(
      [
        [67, 16, 2],
        [72, 18, 2],
      ],
    );
  });

  it('replaces a note whose onset it covers', () => {
    expect(shape(addNote(tune, { pitch: 72, start: 4, duration: 4, velocity: 80 }))).toEqual({
      notes: [
        [60, 0, 4],
        [72, 4, 4],
        [64, 8, 4],
        [67, 16, 8],
      ],
      selection: [1],
    });
  });

  it('over several notes: cuts the one it starts in, removes those it covers', () => {
    expect(shape(addNote(tune, { pitch: 72, start: 2, duration: 12, velocity: 80 })).notes).toEqual([
      [60, 0, 2],
      [72, 2, 12],
      [67, 16, 8],
    ]);
  });

  it('clamps the new note to whole steps and the MIDI ranges', () => {
    const [added] = addNote([], { pitch: 130, start: -3, duration: 0.2, velocity: 0 }).notes;
    expect(added).toEqual({ pitch: 127, start: 0, duration: 1, velocity: 1 });
  });

  it('leaves its inputs as they were', () => {
    const notes = frozen(melody([60, 0, 4], [62, 4, 4]));
    const added = addNote(notes, { pitch: 64, start: 2, duration: 4, velocity: 80 });
    expect(notes.map((n) => n.duration)).toEqual([4, 4]);
    expect(added.notes).not.toBe(notes);
  });
});

describe('deleteNotes', () => {
  it('removes the selected notes and selects nothing', () => {
    expect(shape(deleteNotes(tune, [0, 2]))).toEqual({
      notes: [
        [62, 4, 4],
        [67, 16, 8],
      ],
      selection: [],
    });
  });

  it('ignores indices that name no note', () => {
    expect(deleteNotes(tune, [7, -1, 1.5]).notes).toEqual(tune);
  });
});

describe('moveNotes', () => {
  it('moves the selected notes in time and pitch; the selection follows them', () => {
    // E moves after G's end and up a tone: it is now the last note.
    expect(shape(moveNotes(tune, [2], 16, 2))).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 4],
        [67, 16, 8],
        [66, 24, 4],
      ],
      selection: [3],
    });
  });

  it('lets the moved note win: the note it starts inside is cut, the note whose onset it covers is gone', () => {
    expect(shape(moveNotes(tune, [0], 6, 0))).toEqual({
      notes: [
        [62, 4, 2],
        [60, 6, 4],
        [67, 16, 8],
      ],
      selection: [1],
    });
  });

  it('brings back what it removed when the same drag returns (each step is computed from the start)', () => {
    expect(moveNotes(tune, [0], 6, 0).notes).toHaveLength(3);
    expect(moveNotes(tune, [0], 0, 0).notes).toEqual(tune);
  });

  it('moves a group as a whole, which stops at step 0 and at the ends of the MIDI range', () => {
    const group = frozen(melody([120, 2, 2], [124, 4, 2], [3, 6, 2]));
    expect(shape(moveNotes(group, [0, 1, 2], -10, 9)).notes).toEqual([
      [123, 0, 2],
      [127, 2, 2],
      [6, 4, 2],
    ]);
    expect(shape(moveNotes(group, [0, 1, 2], 0, -9)).notes.map(([p]) => p)).toEqual([117, 121, 0]);
  });

  it('changes nothing without a selection', () => {
    expect(moveNotes(tune, [], 4, 4)).toEqual({ notes: tune, selection: [] });
  });
});

describe('transposeNotes', () => {
  it('moves the selected notes by semitones and keeps their times', () => {
    expect(shape(transposeNotes(tune, [1, 3], 12))).toEqual({
      notes: [
        [60, 0, 4],
        [74, 4, 4],
        [64, 8, 4],
        [79, 16, 8],
      ],
      selection: [1, 3],
    });
  });
});

describe('resizeNotes', () => {
  it('lengthens a note over the next one, which is removed because its onset is covered', () => {
    expect(shape(resizeNotes(tune, [1], 2))).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 6],
        [67, 16, 8],
      ],
      selection: [1],
    });
  });

  it('never shortens a note below one step', () => {
    expect(shape(resizeNotes(tune, [3], -20)).notes[3]).toEqual([67, 16, 1]);
  });

  it('lets the later of two lengthened notes keep its onset: the earlier is cut there', () => {
    expect(shape(resizeNotes(tune, [0, 1], 3)).notes.slice(0, 3)).toEqual([
      [60, 0, 4],
      [62, 4, 7],
      [67, 16, 8],
    ]);
  });
});

describe('setVelocity', () => {
  it('sets the velocity of the selected notes within 1..127 and keeps the selection', () => {
    const edit = setVelocity(tune, [0, 3], 200);
    expect(edit.notes.map((n) => n.velocity)).toEqual([127, 80, 80, 127]);
    expect(edit.selection).toEqual([0, 3]);
  });
});

describe('quantizeNotes', () => {
  const loose = frozen(melody([60, 1, 2], [62, 5, 3], [64, 10, 1]));

  it('moves starts to the nearest grid line and keeps lengths', () => {
    expect(shape(quantizeNotes(loose, [0, 1, 2], 4))).toEqual({
      notes: [
        [60, 0, 2],
        [62, 4, 3],
        [64, 12, 1],
      ],
      selection: [0, 1, 2],
    });
  });

  it('keeps the later of two notes that land on the same line', () => {
    const close = frozen(melody([60, 5, 1], [62, 6, 2]));
    expect(shape(quantizeNotes(close, [0, 1], 8))).toEqual({ notes: [[62, 8, 2]], selection: [0] });
  });
});

describe('copy, paste and duplicate', () => {
  it('copies the selected notes relative to the first, with the span they cover', () => {
    expect(copyNotes(tune, [2, 1])).toEqual({
      notes: melody([62, 0, 4], [64, 4, 4]),
      length: 8,
    });
    expect(copyNotes(tune, [])).toBeNull();
  });

  it('pastes with the first note at the given step and selects the pasted notes', () => {
    const clip = copyNotes(tune, [0, 1])!;
    expect(shape(pasteNotes(tune, clip, 12))).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 4],
        [64, 8, 4],
        [60, 12, 4],
        [62, 16, 4],
      ],
      selection: [3, 4],
    });
  });

  it('duplicates the selection right after its last note, selecting the copies', () => {
    expect(shape(duplicateNotes(tune, [0, 1]))).toEqual({
      notes: [
        [60, 0, 4],
        [62, 4, 4],
        [60, 8, 4],
        [62, 12, 4],
        [67, 16, 8],
      ],
      selection: [2, 3],
    });
  });
});

describe('every edit keeps a valid melody', () => {
  it('for a thousand seeded random edits (the engine encodes every result)', () => {
    let state = 12345;
    const rand = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    let edit: Edit = { notes: tune, selection: [] };
    const sizes = new Set<number>();
    for (let k = 0; k < 1000; k++) {
      const pick = Array.from({ length: rand(3) + 1 }, () => rand(edit.notes.length + 1));
      const ops = [
        () =>
          addNote(edit.notes, { pitch: rand(128), start: rand(64), duration: rand(12) + 1, velocity: 80 }),
        () => moveNotes(edit.notes, pick, rand(17) - 8, rand(25) - 12),
        () => resizeNotes(edit.notes, pick, rand(13) - 6),
        () => quantizeNotes(edit.notes, pick, [1, 2, 4, 8][rand(4)]),
        () => duplicateNotes(edit.notes, pick),
        () => deleteNotes(edit.notes, edit.notes.length > 12 ? pick : []),
      ];
      edit = ops[rand(ops.length)]();
      expect(() => encode({ notes: [...edit.notes], bpm: 120, timeSignature: [4, 4] })).not.toThrow();
      expect(
        edit.selection.every(
          (i, j) => i >= 0 && i < edit.notes.length && (j === 0 || i > edit.selection[j - 1]),
        ),
      ).toBe(true);
      sizes.add(edit.notes.length);
    }
    // The walk went through melodies of many lengths, not one degenerate state.
    expect(sizes.size).toBeGreaterThan(8);
  });
});
