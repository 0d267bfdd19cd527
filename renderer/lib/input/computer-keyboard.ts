/**
 * The computer keyboard as a piano, laid out as DAWs do: the home row plays the white keys (A = C,
 * S = D, D = E, F, G, H, J = B, K = the next C, L, ;) and the row above the black keys between them
 * (W, E, T, Y, U, O, P). Keys are read by position (KeyboardEvent.code), so the piano is the same
 * on QWERTY, QWERTZ and AZERTY keyboards. Z and X move the piano down and up an octave.
 */

/** Semitones above the octave's C for each key. */
export const PIANO_KEYS: Readonly<Record<string, number>> = {
  KeyA: 0,
  KeyW: 1,
  KeyS: 2,
  KeyE: 3,
  KeyD: 4,
  KeyF: 5,
  KeyT: 6,
  KeyG: 7,
  KeyY: 8,
  KeyH: 9,
  KeyU: 10,
  KeyJ: 11,
  KeyK: 12,
  KeyO: 13,
  KeyL: 14,
  KeyP: 15,
  Semicolon: 16,
};

export const OCTAVE_DOWN_KEY = 'KeyZ';
export const OCTAVE_UP_KEY = 'KeyX';

/** A plays C4 (middle C) at first; the octave is C-number of the A key, 0..8 (C8 + a third is 124). */
export const DEFAULT_OCTAVE = 4;
export const MIN_OCTAVE = 0;
export const MAX_OCTAVE = 8;

export function clampOctave(octave: number): number {
  return Math.min(MAX_OCTAVE, Math.max(MIN_OCTAVE, Math.round(octave)));
}

/** MIDI pitch of the C the A key plays in `octave` (scientific pitch: C4 = 60). */
export function octaveBase(octave: number): number {
  return (clampOctave(octave) + 1) * 12;
}

/** The pitch a key plays in `octave`, or null for a key that is not part of the piano. */
export function keyPitch(code: string, octave: number): number | null {
  const offset = PIANO_KEYS[code];
  return offset === undefined ? null : octaveBase(octave) + offset;
}

/** The letter printed on the key that plays `pitch` in `octave` (for the on-screen keyboard), or null. */
export function keyLetter(pitch: number, octave: number): string | null {
  const offset = pitch - octaveBase(octave);
  const code = Object.keys(PIANO_KEYS).find((c) => PIANO_KEYS[c] === offset);
  if (!code) return null;
  return code === 'Semicolon' ? ';' : code.slice(3);
}

/**
 * Where a key press lands, which decides what it may do: in a field that takes typing ('text':
 * nothing of ours fires), on a control that keys operate ('control': letters still play, but Space,
 * Enter and arrows are the control's), or anywhere else ('free').
 */
export type KeyTarget = 'text' | 'control' | 'free';

const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']);

export function keyTarget(target: EventTarget | null): KeyTarget {
  const el = target as Element | null;
  if (!el || typeof el.closest !== 'function') return 'free';
  if (el.closest('textarea, select, [contenteditable]:not([contenteditable="false"])')) return 'text';
  const input = el.closest('input');
  if (input) return NOT_TYPED.has((input as HTMLInputElement).type) ? 'control' : 'text';
  if (el.closest('button, a[href], summary, [role="button"], [role="slider"], [role="tab"]'))
    return 'control';
  return 'free';
}
