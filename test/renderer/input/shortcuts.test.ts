import { describe, expect, it } from 'vitest';
import { commandFor, type KeyContext, type KeyPress } from '../../../renderer/lib/input/shortcuts';
import { keyPress } from './key-press';

const press = keyPress;
const free: KeyContext = { target: 'free', stepEntry: false, octave: 4 };
const kind = (p: KeyPress, c: KeyContext = free) => commandFor(p, c)?.kind ?? null;

describe('editing shortcuts', () => {
  it('undoes with Ctrl+Z or ⌘Z, redoes with Shift+Ctrl+Z, ⇧⌘Z or Ctrl+Y', () => {
    expect([
      kind(press('KeyZ', { ctrlKey: true })),
      kind(press('KeyZ', { metaKey: true })),
      kind(press('KeyZ', { ctrlKey: true, shiftKey: true, key: 'Z' })),
      kind(press('KeyZ', { metaKey: true, shiftKey: true, key: 'Z' })),
      kind(press('KeyY', { ctrlKey: true })),
    ]).toEqual(['undo', 'undo', 'redo', 'redo', 'redo']);
  });

  it('copies, cuts, pastes, duplicates and selects all with Ctrl/⌘ + C X V D A', () => {
    expect(['KeyC', 'KeyX', 'KeyV', 'KeyD', 'KeyA'].map((c) => kind(press(c, { ctrlKey: true })))).toEqual([
      'copy',
      'cut',
      'paste',
      'duplicate',
      'selectAll',
    ]);
  });

  it('saves the document with Ctrl/⌘+S and opens one with Ctrl/⌘+O, even while typing in a field', () => {
    const text: KeyContext = { ...free, target: 'text' };
    expect([
      kind(press('KeyS', { ctrlKey: true })),
      kind(press('KeyS', { metaKey: true })),
      kind(press('KeyO', { ctrlKey: true })),
      kind(press('KeyS', { ctrlKey: true }), text),
      kind(press('KeyO', { metaKey: true }), text),
      kind(press('KeyS', { ctrlKey: true, repeat: true })),
      kind(press('KeyS', { ctrlKey: true, altKey: true })),
    ]).toEqual(['save', 'save', 'open', 'save', 'open', null, null]);
  });

  it('reads shortcuts by the letter typed, so ⌘Z is undo on an AZERTY keyboard too', () => {
    // On AZERTY the key labelled Z sits where QWERTY has W.
    expect(kind(press('KeyW', { ctrlKey: true, key: 'z' }))).toBe('undo');
  });

  it('deletes the selection with Delete or Backspace', () => {
    expect([kind(press('Delete')), kind(press('Backspace'))]).toEqual(['delete', 'delete']);
  });

  it('transposes with the up and down arrows, an octave with Shift', () => {
    const t = (p: KeyPress) => commandFor(p, free);
    expect([
      t(press('ArrowUp')),
      t(press('ArrowDown')),
      t(press('ArrowUp', { shiftKey: true })),
      t(press('ArrowDown', { shiftKey: true })),
    ]).toEqual([
      { kind: 'transpose', semitones: 1 },
      { kind: 'transpose', semitones: -1 },
      { kind: 'transpose', semitones: 12 },
      { kind: 'transpose', semitones: -12 },
    ]);
  });

  it('moves by a grid cell with the left and right arrows', () => {
    expect([commandFor(press('ArrowLeft'), free), commandFor(press('ArrowRight'), free)]).toEqual([
      { kind: 'nudge', cells: -1 },
      { kind: 'nudge', cells: 1 },
    ]);
  });

  it('plays and stops with Space, and Escape escapes', () => {
    expect([kind(press('Space', { key: ' ' })), kind(press('Escape'))]).toEqual(['playStop', 'escape']);
  });

  it('switches A/B between two results with B (not a piano key), and not with Shift+B or Ctrl+B', () => {
    expect(kind(press('KeyB'))).toBe('compare');
    expect(commandFor(press('KeyB', { shiftKey: true }), free)).toBeNull();
    expect(commandFor(press('KeyB', { ctrlKey: true, key: 'b' }), free)).toBeNull();
  });
});

describe('the piano keys', () => {
  it('play the pitch of the key in the octave shown', () => {
    expect([commandFor(press('KeyA'), free), commandFor(press('KeyJ'), { ...free, octave: 2 })]).toEqual([
      { kind: 'note', pitch: 60 },
      { kind: 'note', pitch: 47 },
    ]);
  });

  it('shift the octave with Z and X', () => {
    expect([commandFor(press('KeyZ'), free), commandFor(press('KeyX'), free)]).toEqual([
      { kind: 'octave', by: -1 },
      { kind: 'octave', by: 1 },
    ]);
  });

  it('ignore the key repeat of a held key', () => {
    expect([kind(press('KeyA', { repeat: true })), kind(press('KeyZ', { repeat: true }))]).toEqual([
      null,
      null,
    ]);
  });

  it('are not notes with Ctrl, ⌘ or Alt held', () => {
    expect([kind(press('KeyG', { ctrlKey: true })), kind(press('KeyS', { altKey: true }))]).toEqual([
      null,
      null,
    ]);
  });

  it('play nothing above the top of MIDI', () => {
    expect(kind(press('Semicolon'), { ...free, octave: 8 })).toBe('note');
    expect(commandFor(press('Semicolon'), { ...free, octave: 8 })).toEqual({ kind: 'note', pitch: 124 });
  });
});

describe('step entry', () => {
  const stepping: KeyContext = { ...free, stepEntry: true };

  it('makes Backspace take back the last entry while Delete still deletes the selection', () => {
    expect([kind(press('Backspace'), stepping), kind(press('Delete'), stepping)]).toEqual([
      'removeLastEntry',
      'delete',
    ]);
  });

  it('makes Space a rest', () => {
    expect(kind(press('Space', { key: ' ' }), stepping)).toBe('rest');
  });
});

describe('where keys go to the page instead', () => {
  it('fires nothing while typing in a field', () => {
    const typing: KeyContext = { ...free, target: 'text' };
    expect(
      [press('KeyA'), press('KeyZ', { ctrlKey: true }), press('Backspace'), press('Space')].map((p) =>
        kind(p, typing),
      ),
    ).toEqual([null, null, null, null]);
  });

  it('leaves Space, Enter and arrows to a focused button or checkbox, but still plays letters', () => {
    const control: KeyContext = { ...free, target: 'control' };
    expect(
      [press('Space'), press('Enter'), press('ArrowUp'), press('KeyA'), press('KeyZ', { ctrlKey: true })].map(
        (p) => kind(p, control),
      ),
    ).toEqual([null, null, null, 'note', 'undo']);
  });
});
