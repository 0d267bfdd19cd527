import { describe, expect, it } from 'vitest';
import type { Note } from '../../../app/contract/api';
import { generate } from '../../../engine/sample/generate.js';
import type { TimeSignature } from '../../../engine/time/index.js';
import {
  barBeat,
  cellStart,
  describeMelody,
  durationName,
  followScroll,
  gridLines,
  hitTest,
  isBlackKey,
  notesEnd,
  openingScroll,
  pitchName,
  pitchToY,
  pointAt,
  snapTo,
  stepToX,
  visibleRange,
  xToStep,
  yToPitch,
  zoomAround,
  MAX_PX_PER_STEP,
  type RollScale,
} from '../../../renderer/lib/piano-roll/geometry';
import { UniformModel } from '../../engine/sample/fake-models.js';

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

describe('bar and beat lines', () => {
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
  it('draws 5/8 in five eighth-note beats to a 10-step bar', () => {
    const lines = gridLines(0, 10, [5, 8], false);
    expect(lines.map((l) => [l.step, l.kind])).toEqual([
      [0, 'bar'],
      [2, 'beat'],
      [4, 'beat'],
      [6, 'beat'],
      [8, 'beat'],
      [10, 'bar'],
    ]);
  });
  it('draws 7/32 bars every 4 steps, the rounded bar generation uses, with no beat lines', () => {
    const lines = gridLines(0, 12, [7, 32], true);
    expect(lines.filter((l) => l.kind !== 'step').map((l) => [l.step, l.kind, l.bar])).toEqual([
      [0, 'bar', 1],
      [4, 'bar', 2],
      [8, 'bar', 3],
      [12, 'bar', 4],
    ]);
  });
  it('reports positions as 1-based bar.beat', () => {
    expect([barBeat(0, [4, 4]), barBeat(5, [4, 4]), barBeat(16, [4, 4]), barBeat(7, [6, 8])]).toEqual([
      '1.1',
      '1.2',
      '2.1',
      '1.2',
    ]);
  });
  it('counts 13/16 as 13 beats of a 16th', () => {
    expect([barBeat(12, [13, 16]), barBeat(13, [13, 16])]).toEqual(['1.13', '2.1']);
  });
  it('finds where the last note ends', () => {
    expect([notesEnd([note(0, 4), note(14, 3)]), notesEnd([])]).toEqual([17, 0]);
  });
});

describe('snapping to a grid of steps', () => {
  it('snaps to the nearest grid line', () => {
    expect([snapTo(5.9, 4), snapTo(5.9, 1), snapTo(1.9, 4)]).toEqual([4, 6, 0]);
  });
  it('finds the grid cell a point is in', () => {
    expect([cellStart(7.9, 4), cellStart(8, 4), cellStart(7.9, 1)]).toEqual([4, 8, 7]);
  });
  it('treats a grid finer than a step (a 1/32 snap) as one step, since notes are whole steps', () => {
    expect([snapTo(2.4, 0.5), cellStart(2.6, 0.5)]).toEqual([2, 2]);
  });
});

describe('the roll’s bar lines are where generation ends', () => {
  const meters: TimeSignature[] = [
    [4, 4],
    [5, 8],
    [7, 8],
    [3, 8],
    [6, 8],
    [2, 2],
    [3, 16],
    [13, 16],
    [7, 32],
    [5, 32],
  ];
  for (const ts of meters) {
    it(`in ${ts[0]}/${ts[1]}`, () => {
      const seed = {
        notes: [note(0, 3, 62), note(3, 2, 64)],
        bpm: 100,
        timeSignature: [ts[0], ts[1]] as [number, number],
      };
      const [v] = generate(new UniformModel(), seed, { bars: 3, randomSeed: 7 });
      const barLines = gridLines(0, v.endStep + 1, ts, false).filter((l) => l.kind === 'bar');
      // The seed's bar is completed and three more follow: the roll's bar lines from the seed's end
      // on are that bar's end and the three bars', the last where generation stopped.
      const fromSeedEnd = barLines.map((l) => l.step).filter((step) => step >= notesEnd(seed.notes));
      expect(fromSeedEnd.length).toBe(4);
      expect(fromSeedEnd[3]).toBe(v.endStep);
      expect(notesEnd(v.melody.notes)).toBe(v.endStep);
    });
  }
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

describe('what is under the pointer', () => {
  const notes = [note(0, 4, 60), note(4, 2, 62), note(8, 6, 64)];
  it('turns pixels of the note area into a step and the row’s pitch', () => {
    expect(pointAt(55, pitchToY(62, scale) + 3, scale)).toEqual({ step: 5.5, pitch: 62 });
  });
  it('finds the body of the note sounding at a step on its own pitch', () => {
    expect(hitTest(notes, { step: 5, pitch: 62 }, scale)).toEqual({ kind: 'note', index: 1, part: 'body' });
    expect(hitTest(notes, { step: 8.2, pitch: 64 }, scale)).toEqual({ kind: 'note', index: 2, part: 'body' });
  });
  it('finds the end grip in the last 5 px of a note', () => {
    // 10 px a step: the 6-step note at 8 ends at x = 140; its grip is x 135..140.
    expect(hitTest(notes, { step: 13.6, pitch: 64 }, scale)).toMatchObject({ index: 2, part: 'end' });
    expect(hitTest(notes, { step: 13.4, pitch: 64 }, scale)).toMatchObject({ index: 2, part: 'body' });
  });
  it('keeps the grip to a third of a short note, so its body can still be grabbed', () => {
    // A 1-step note is 10 px wide: grip 3.33 px, body 6.67 px.
    const short = [note(4, 1, 62)];
    expect(hitTest(short, { step: 4.6, pitch: 62 }, scale)).toMatchObject({ index: 0, part: 'body' });
    expect(hitTest(short, { step: 4.7, pitch: 62 }, scale)).toMatchObject({ index: 0, part: 'end' });
  });
  it('finds an empty cell on another pitch, in a rest, or at a note’s end', () => {
    expect(hitTest(notes, { step: 5.5, pitch: 60 }, scale)).toEqual({ kind: 'cell', step: 5, pitch: 60 });
    expect(hitTest(notes, { step: 7, pitch: 62 }, scale)).toEqual({ kind: 'cell', step: 7, pitch: 62 });
    expect(hitTest(notes, { step: 6, pitch: 62 }, scale)).toEqual({ kind: 'cell', step: 6, pitch: 62 });
  });
  it('finds nothing before step 0 or outside the rows', () => {
    expect([
      hitTest(notes, { step: -0.5, pitch: 60 }, scale),
      hitTest(notes, { step: 1, pitch: 109 }, scale),
      hitTest(notes, { step: 1, pitch: 20 }, scale),
    ]).toEqual([null, null, null]);
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

describe('where a new melody opens', () => {
  // 10 px a step and a 52 px keyboard: a 452 px wide roll shows 40 steps.
  it('starts at the beginning, centred on the pitches in view', () => {
    const notes = [note(8, 4, 60), note(12, 4, 72), note(60, 4, 100)];
    expect(openingScroll(notes, [4, 4], scale, 452, 200)).toEqual({
      scrollLeft: 0,
      scrollTop: 22 + pitchToY(66, scale) - 100,
    });
  });
  it('starts at the bar of the first note when it lies beyond most of the view', () => {
    const notes = [note(50, 4, 67), note(54, 4, 67)];
    expect(openingScroll(notes, [3, 4], scale, 452, 200)).toEqual({
      scrollLeft: 48 * 10,
      scrollTop: 22 + pitchToY(67, scale) - 100,
    });
  });
  it('centres an empty roll around F♯4, never scrolling above the top', () => {
    expect(openingScroll([], [4, 4], scale, 452, 200).scrollTop).toBe(22 + pitchToY(66, scale) - 100);
    expect(openingScroll([note(0, 4, 108)], [4, 4], scale, 452, 200).scrollTop).toBe(0);
  });
});
