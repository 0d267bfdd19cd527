import { describe, expect, it } from 'vitest';
import type { Note } from '../../app/contract/api';
import {
  barBeat,
  describeMelody,
  durationName,
  noteAt,
  followScroll,
  gridLines,
  isBlackKey,
  lengthInBars,
  pitchName,
  pitchToY,
  snapToBeat,
  stepsPerBar,
  stepsPerBeat,
  stepToX,
  visibleRange,
  xToStep,
  yToPitch,
  zoomAround,
  MAX_PX_PER_STEP,
  type RollScale,
} from '../../renderer/lib/piano-roll/geometry';

const note = (start: number, duration: number, pitch = 60): Note => ({
  pitch,
  start,
  duration,
  velocity: 80,
});
const scale: RollScale = { pxPerStep: 10, rowHeight: 12, highPitch: 108, lowPitch: 21 };

describe('pitch names and keys', () => {
  it('names MIDI 60 as C4 (middle C) and 69 as A4', () => {
    expect(pitchName(60)).toBe('C4');
    expect(pitchName(69)).toBe('A4');
  });
  it('names the piano extremes and sharps', () => {
    expect([pitchName(21), pitchName(108), pitchName(61), pitchName(0)]).toEqual(['A0', 'C8', 'C♯4', 'C-1']);
  });
  it('marks exactly the five black keys of each octave', () => {
    const black = Array.from({ length: 12 }, (_, i) => 60 + i)
      .filter(isBlackKey)
      .map(pitchName);
    expect(black).toEqual(['C♯4', 'D♯4', 'F♯4', 'G♯4', 'A♯4']);
  });
});

describe('bars and beats from the time signature', () => {
  it('gives 16 steps per bar and 4 per beat in 4/4', () => {
    expect([stepsPerBar([4, 4]), stepsPerBeat([4, 4])]).toEqual([16, 4]);
  });
  it('gives 12 steps per bar and 4 per beat in 3/4', () => {
    expect([stepsPerBar([3, 4]), stepsPerBeat([3, 4])]).toEqual([12, 4]);
  });
  it('counts 6/8 in two dotted-quarter beats', () => {
    expect([stepsPerBar([6, 8]), stepsPerBeat([6, 8])]).toEqual([12, 6]);
  });
  it('counts 3/8 in eighth-note beats (not compound)', () => {
    expect([stepsPerBar([3, 8]), stepsPerBeat([3, 8])]).toEqual([6, 2]);
  });
  it('places bar, beat and step lines for 3/4', () => {
    const lines = gridLines(0, 12, [3, 4], false);
    expect(lines.map((l) => [l.step, l.kind, l.bar])).toEqual([
      [0, 'bar', 1],
      [4, 'beat', 1],
      [8, 'beat', 1],
      [12, 'bar', 2],
    ]);
  });
  it('adds step lines between beats only when asked', () => {
    expect(gridLines(0, 4, [4, 4], true).map((l) => l.kind)).toEqual(['bar', 'step', 'step', 'step', 'beat']);
  });
  it('reports positions as 1-based bar.beat', () => {
    expect([barBeat(0, [4, 4]), barBeat(5, [4, 4]), barBeat(16, [4, 4]), barBeat(7, [6, 8])]).toEqual([
      '1.1',
      '1.2',
      '2.1',
      '1.2',
    ]);
  });
  it('snaps a ruler click back to the beat it falls in', () => {
    expect([snapToBeat(7.9, [4, 4]), snapToBeat(11, [6, 8]), snapToBeat(-3, [4, 4])]).toEqual([4, 6, 0]);
  });
  it('rounds a melody up to whole bars, at least one', () => {
    expect(lengthInBars([note(0, 4), note(14, 3)], [4, 4])).toBe(2);
    expect(lengthInBars([], [4, 4])).toBe(1);
  });
});

describe('coordinates', () => {
  it('maps steps to x and back', () => {
    expect(stepToX(7, scale)).toBe(70);
    expect(xToStep(stepToX(7.5, scale), scale)).toBe(7.5);
  });
  it('puts the highest pitch in the top row and finds the row under any y in it', () => {
    expect(pitchToY(108, scale)).toBe(0);
    expect(pitchToY(60, scale)).toBe(48 * 12);
    expect(yToPitch(pitchToY(60, scale) + 11.9, scale)).toBe(60);
  });
  it('keeps the step under the cursor in place when zooming', () => {
    const before = { pxPerStep: 10, scrollLeft: 300 };
    const after = zoomAround(before.pxPerStep, before.scrollLeft, 2, 150);
    const stepBefore = (before.scrollLeft + 150) / before.pxPerStep;
    const stepAfter = (after.scrollLeft + 150) / after.pxPerStep;
    expect(after.pxPerStep).toBe(20);
    expect(stepAfter).toBeCloseTo(stepBefore, 9);
  });
  it('limits zoom', () => {
    expect(zoomAround(MAX_PX_PER_STEP, 0, 4, 0).pxPerStep).toBe(MAX_PX_PER_STEP);
  });
  it('leaves the scroll alone while the playhead is in view and pages on when it leaves', () => {
    expect(followScroll(500, 0, 1000)).toBe(0);
    expect(followScroll(1200, 0, 1000)).toBe(1200 - 48);
  });
});

describe('visible notes', () => {
  const notes = Array.from({ length: 5000 }, (_, i) => note(i * 4, 3, 60 + (i % 12)));
  it('finds exactly the notes overlapping a window', () => {
    const [from, to] = visibleRange(notes, 101, 120);
    const expected = notes.filter((n) => n.start < 120 && n.start + n.duration > 101);
    expect(notes.slice(from, to)).toEqual(expected);
  });
  it('includes a note that started before the window but still sounds in it', () => {
    const [from] = visibleRange([note(0, 10), note(10, 2)], 5, 20);
    expect(from).toBe(0);
  });
  it('is empty past the end', () => {
    const [from, to] = visibleRange(notes, 1e6, 1e6 + 50);
    expect(to - from).toBe(0);
  });
});

describe('summary for screen readers', () => {
  it('says how many notes, the range and the length', () => {
    expect(describeMelody([note(0, 4, 62), note(4, 4, 74)], [3, 4])).toBe(
      'Piano roll: 2 notes from D4 to D5 over 1 bar in 3/4',
    );
  });
});

describe('reading notes under the pointer', () => {
  const notes = [note(0, 4, 60), note(4, 2, 62), note(8, 6, 64)];
  it('finds the note sounding at a step on its own pitch', () => {
    expect(noteAt(notes, 5.5, 62)).toBe(notes[1]);
    expect(noteAt(notes, 13.9, 64)).toBe(notes[2]);
  });
  it('finds nothing on another pitch, in a rest, or at a note’s end', () => {
    expect([noteAt(notes, 5.5, 60), noteAt(notes, 7, 62), noteAt(notes, 6, 62)]).toEqual([null, null, null]);
  });
  it('names note lengths the way musicians do', () => {
    expect([1, 2, 3, 4, 6, 8, 12, 16, 5].map(durationName)).toEqual([
      '16th',
      '8th',
      'dotted 8th',
      'quarter',
      'dotted quarter',
      'half',
      'dotted half',
      'whole',
      '5/16',
    ]);
  });
});
