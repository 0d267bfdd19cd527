import { describe, expect, it } from 'vitest';
import type { Note } from '../../../engine/midi/types.js';
import { detectKey } from '../../../engine/sample/key.js';

const notes = (pitches: number[], duration = 4): Note[] =>
  pitches.map((pitch, i) => ({ pitch, start: i * duration, duration, velocity: 80 }));

describe('detectKey (Krumhansl–Schmuckler)', () => {
  it('finds C major in a C major scale and tune, and the same tune transposed in its new key', () => {
    expect(detectKey(notes([60, 62, 64, 65, 67, 69, 71, 72]))).toEqual({ tonic: 0, name: 'major' });
    const tune = [60, 62, 64, 60, 60, 62, 64, 60, 64, 65, 67, 64, 65, 67]; // Frère Jacques
    expect(detectKey(notes(tune))).toEqual({ tonic: 0, name: 'major' });
    expect(detectKey(notes(tune.map((p) => p + 2)))).toEqual({ tonic: 2, name: 'major' });
  });

  it('finds A minor in an A minor arpeggio and phrase', () => {
    expect(detectKey(notes([57, 60, 64, 69, 64, 60, 57, 59, 60, 62, 64, 57]))).toEqual({
      tonic: 9,
      name: 'minor',
    });
  });

  it('weighs pitches by how long they sound', () => {
    const long: Note[] = [
      { pitch: 67, start: 0, duration: 32, velocity: 80 },
      { pitch: 71, start: 32, duration: 16, velocity: 80 },
      { pitch: 62, start: 48, duration: 16, velocity: 80 },
      { pitch: 60, start: 64, duration: 1, velocity: 80 },
    ];
    expect(detectKey(long)).toEqual({ tonic: 7, name: 'major' });
  });

  it('answers null for no notes', () => {
    expect(detectKey([])).toBeNull();
  });
});
