// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { keyLetter, keyPitch, keyTarget, octaveBase } from '../../../renderer/lib/input/computer-keyboard';

describe('the computer keyboard as a piano', () => {
  it('plays the white keys on the home row and the black keys on the row above, from C', () => {
    const codes = [
      'KeyA',
      'KeyW',
      'KeyS',
      'KeyE',
      'KeyD',
      'KeyF',
      'KeyT',
      'KeyG',
      'KeyY',
      'KeyH',
      'KeyU',
      'KeyJ',
    ];
    expect(codes.map((c) => keyPitch(c, 4))).toEqual([60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71]);
  });

  it('goes on into the next octave with K O L P ;', () => {
    expect(['KeyK', 'KeyO', 'KeyL', 'KeyP', 'Semicolon'].map((c) => keyPitch(c, 4))).toEqual([
      72, 73, 74, 75, 76,
    ]);
  });

  it('moves with the octave: A is the C of the octave shown', () => {
    expect([keyPitch('KeyA', 3), keyPitch('KeyA', 5), octaveBase(0), octaveBase(8)]).toEqual([
      48, 72, 12, 108,
    ]);
  });

  it('plays nothing for keys outside the two rows', () => {
    expect([keyPitch('KeyQ', 4), keyPitch('KeyZ', 4), keyPitch('Digit1', 4)]).toEqual([null, null, null]);
  });

  it('names the key that plays a pitch, for the on-screen keyboard', () => {
    expect([
      keyLetter(60, 4),
      keyLetter(61, 4),
      keyLetter(76, 4),
      keyLetter(59, 4),
      keyLetter(72, 5),
    ]).toEqual(['A', 'W', ';', null, 'A']);
  });
});

describe('where a key press lands', () => {
  const element = (html: string) => {
    document.body.innerHTML = html;
    return document.body.firstElementChild!;
  };

  it('is typing in text fields, number fields, selects and editable text', () => {
    for (const html of [
      '<input type="text">',
      '<input type="number">',
      '<input>',
      '<select></select>',
      '<textarea></textarea>',
      '<div contenteditable="true"></div>',
    ])
      expect(keyTarget(element(html)), html).toBe('text');
  });

  it('is a control on buttons, checkboxes and sliders', () => {
    for (const html of ['<button>Play</button>', '<input type="checkbox">', '<input type="range">'])
      expect(keyTarget(element(html)), html).toBe('control');
  });

  it('is free elsewhere', () => {
    expect([keyTarget(element('<div></div>')), keyTarget(document.body), keyTarget(null)]).toEqual([
      'free',
      'free',
      'free',
    ]);
  });
});
