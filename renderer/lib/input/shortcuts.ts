/**
 * What a key press means in the editor, as data: one pure function from the key and where it was
 * pressed to a command, so the whole keyboard map is specified by tests. The app carries commands out.
 *
 * Ctrl (or ⌘ on a Mac) + Z undo, + Shift + Z or + Y redo, + C/X/V copy/cut/paste, + D duplicate,
 * + A select all, + S save the document, + O open one (these two in a text field too: they mean
 * nothing to it). Delete deletes the selection; so does Backspace, except in step entry, where it
 * takes back the last note entered. ↑/↓ transpose the selection a semitone, with Shift an octave;
 * ←/→ move it a grid cell (or the cursor, when nothing is selected). Space plays and stops, or in
 * step entry enters a rest. Escape stops a recording, abandons a drag, or clears the selection.
 * Z/X move the computer piano an octave down/up; its keys (computer-keyboard.ts) play notes.
 */
import { keyPitch, OCTAVE_DOWN_KEY, OCTAVE_UP_KEY, PIANO_KEYS, type KeyTarget } from './computer-keyboard';

/** The one key of A/B between two results (B, by position; not a key of the computer piano). */
export const COMPARE_KEY = 'KeyB';

export type Command =
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'copy' }
  | { kind: 'cut' }
  | { kind: 'paste' }
  | { kind: 'duplicate' }
  | { kind: 'selectAll' }
  | { kind: 'delete' }
  | { kind: 'removeLastEntry' }
  | { kind: 'transpose'; semitones: number }
  | { kind: 'nudge'; cells: number }
  | { kind: 'playStop' }
  | { kind: 'rest' }
  | { kind: 'escape' }
  | { kind: 'octave'; by: number }
  | { kind: 'note'; pitch: number }
  | { kind: 'new' }
  | { kind: 'open' }
  | { kind: 'save' }
  /** A/B: switch to the other of the last two results auditioned. */
  | { kind: 'compare' };

/** The parts of a KeyboardEvent the map reads. */
export interface KeyPress {
  code: string;
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  repeat: boolean;
}

export interface KeyContext {
  target: KeyTarget;
  stepEntry: boolean;
  octave: number;
}

/** Keys that operate a focused control (a button, a checkbox): left to it. */
const CONTROL_KEYS = new Set([
  'Space',
  'Enter',
  'NumpadEnter',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
]);

/** The document's keys: Ctrl/⌘ + S and + O (Ctrl + N is the browser's own; Electron's menu has it). */
function documentCommand(press: KeyPress): Command | null {
  if (!(press.ctrlKey || press.metaKey) || press.altKey || press.shiftKey) return null;
  const key = press.key.toLowerCase();
  return key === 's' ? { kind: 'save' } : key === 'o' ? { kind: 'open' } : null;
}

export function commandFor(press: KeyPress, context: KeyContext): Command | null {
  const document = documentCommand(press);
  if (document) return press.repeat ? null : document;
  if (context.target === 'text') return null;
  if (context.target === 'control' && CONTROL_KEYS.has(press.code)) return null;
  const command = press.ctrlKey || press.metaKey;
  if (command) {
    if (press.altKey) return null;
    switch (press.key.toLowerCase()) {
      case 'z':
        return { kind: press.shiftKey ? 'redo' : 'undo' };
      case 'y':
        return { kind: 'redo' };
      case 'c':
        return { kind: 'copy' };
      case 'x':
        return { kind: 'cut' };
      case 'v':
        return { kind: 'paste' };
      case 'd':
        return { kind: 'duplicate' };
      case 'a':
        return { kind: 'selectAll' };
      default:
        return null;
    }
  }
  switch (press.code) {
    case 'Delete':
      return { kind: 'delete' };
    case 'Backspace':
      return { kind: context.stepEntry ? 'removeLastEntry' : 'delete' };
    case 'ArrowUp':
    case 'ArrowDown': {
      const semitones = press.shiftKey ? 12 : 1;
      return { kind: 'transpose', semitones: press.code === 'ArrowUp' ? semitones : -semitones };
    }
    case 'ArrowLeft':
      return { kind: 'nudge', cells: -1 };
    case 'ArrowRight':
      return { kind: 'nudge', cells: 1 };
    case 'Space':
      return press.repeat ? null : { kind: context.stepEntry ? 'rest' : 'playStop' };
    case 'Escape':
      return { kind: 'escape' };
  }
  if (press.altKey || press.repeat) return null;
  if (press.code === OCTAVE_DOWN_KEY) return { kind: 'octave', by: -1 };
  if (press.code === OCTAVE_UP_KEY) return { kind: 'octave', by: 1 };
  if (press.code === COMPARE_KEY && !press.shiftKey) return { kind: 'compare' };
  if (press.code in PIANO_KEYS) {
    const pitch = keyPitch(press.code, context.octave);
    return pitch === null || pitch > 127 ? null : { kind: 'note', pitch };
  }
  return null;
}
