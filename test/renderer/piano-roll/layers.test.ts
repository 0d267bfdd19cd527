import { describe, expect, it } from 'vitest';
import type { Note } from '../../../app/contract/api';
import { pitchToY } from '../../../renderer/lib/piano-roll/geometry';
import {
  gridLayer,
  notesLayer,
  paintRoll,
  cursorLayer,
  playheadLayer,
  rollLayers,
  rulerLayer,
  selectionLayer,
  type Layer,
  type RollFrame,
} from '../../../renderer/lib/piano-roll/layers';
import { scale, testFrame } from './frame';
import { RecordingContext, tagged } from './recording-context';

const note = (start: number, duration: number, pitch: number, velocity = 80): Note => ({
  pitch,
  start,
  duration,
  velocity,
});
// Scrolled so that pitch 60's row starts 50 px down the canvas: 22 px of ruler, then 28 px of rows.
const scrollTop = pitchToY(60, scale) - 28;
// 452 px wide with the 52 px keyboard: steps 0..40 in view.
const frame = (over: Partial<RollFrame> = {}): RollFrame =>
  testFrame({ notes: [note(0, 4, 60), note(4, 2, 62), note(48, 4, 64)], scrollTop, ...over });

function paint(f: RollFrame, layers: readonly Layer[] = rollLayers()) {
  const ctx = new RecordingContext();
  const view = paintRoll(ctx, f, tagged(ctx, layers));
  return { ctx, view };
}

describe('the roll’s layers', () => {
  it('are painted bottom to top: rows, grid, notes, selection, ruler, cursor, playhead, keyboard', () => {
    expect(rollLayers().map((l) => l.name)).toEqual([
      'rows',
      'grid',
      'notes',
      'selection',
      'ruler',
      'cursor',
      'playhead',
      'keyboard',
    ]);
  });

  it('take overlays above the notes and selection and below the ruler, playhead and keyboard', () => {
    const ghosts: Layer = { name: 'ghosts', paint: () => undefined };
    expect(rollLayers([ghosts]).map((l) => l.name)).toEqual([
      'rows',
      'grid',
      'notes',
      'selection',
      'ghosts',
      'ruler',
      'cursor',
      'playhead',
      'keyboard',
    ]);
  });

  it('paint in list order, each seeing the same frame', () => {
    const seen: string[] = [];
    const spy = (name: string): Layer => ({
      name,
      paint: (_c, f) => void seen.push(`${name}:${f.notes.length}`),
    });
    paint(frame(), [spy('a'), spy('b'), spy('c')]);
    expect(seen).toEqual(['a:3', 'b:3', 'c:3']);
  });
});

describe('notes layer', () => {
  it('draws a bar per note in view, a pixel short of its length, inside its row', () => {
    const { ctx, view } = paint(frame(), [notesLayer]);
    const bodies = ctx.of('notes').filter((d) => d.op === 'fillRect' && d.style.startsWith('hsl'));
    expect(bodies.map((d) => d.at)).toEqual([
      [52, 51, 39, 9],
      [92, 29, 19, 9],
    ]);
    expect([view.firstNote, view.endNote]).toEqual([0, 2]);
  });

  it('moves with the horizontal scroll', () => {
    const { ctx, view } = paint(frame({ scrollLeft: 400 }), [notesLayer]);
    const bodies = ctx.of('notes').filter((d) => d.style.startsWith('hsl'));
    expect(bodies.map((d) => d.at[0])).toEqual([52 + 480 - 400]);
    expect([view.firstNote, view.endNote]).toEqual([2, 3]);
  });

  it('draws louder notes lighter', () => {
    const { ctx } = paint(frame({ notes: [note(0, 4, 60, 1), note(4, 4, 60, 127)] }), [notesLayer]);
    expect(
      ctx
        .of('notes')
        .filter((d) => d.style.startsWith('hsl'))
        .map((d) => d.style),
    ).toEqual(['hsl(38 72% 48%)', 'hsl(38 72% 68%)']);
  });

  it('draws a generated continuation (notes from highlightFrom on) in its own colour', () => {
    const notes = [note(0, 4, 60, 1), note(4, 4, 62, 1), note(8, 4, 64, 1)];
    const { ctx } = paint(frame({ notes, highlightFrom: 2 }), [notesLayer]);
    expect(
      ctx
        .of('notes')
        .filter((d) => d.style.startsWith('hsl'))
        .map((d) => d.style),
    ).toEqual(['hsl(38 72% 48%)', 'hsl(38 72% 48%)', 'hsl(168 58% 42%)']);
  });

  it('names the notes once they are wide enough to read', () => {
    const narrow = paint(frame(), [notesLayer]).ctx.of('notes');
    const wide = paint(frame({ scale: { ...scale, pxPerStep: 13 } }), [notesLayer]).ctx.of('notes');
    expect(narrow.filter((d) => d.op === 'fillText')).toEqual([]);
    expect(wide.filter((d) => d.op === 'fillText').map((d) => d.text)).toEqual(['C4', 'D4']);
  });
});

describe('grid layer', () => {
  it('draws bar lines firmer than beat lines, on the bars of 4/4', () => {
    const lines = paint(frame(), [gridLayer]).ctx.of('grid');
    const bars = lines.filter((d) => d.style === '#3d4550').map((d) => d.at[0]);
    const beats = lines.filter((d) => d.style === '#2a3038').map((d) => d.at[0]);
    expect(bars).toEqual([52, 212, 372]);
    expect(beats).toEqual([92, 132, 172, 252, 292, 332, 412, 452]);
  });

  it('draws the bars of 7/32 every 4 steps, where generation ends', () => {
    const lines = paint(frame({ timeSignature: [7, 32] }), [gridLayer]).ctx.of('grid');
    expect(lines.filter((d) => d.style === '#3d4550').map((d) => (d.at[0] - 52) / 10)).toEqual([
      0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40,
    ]);
  });
});

describe('ruler layer', () => {
  it('numbers the bars from 1', () => {
    const labels = paint(frame(), [rulerLayer])
      .ctx.of('ruler')
      .filter((d) => d.op === 'fillText');
    expect(labels.map((d) => [d.text, d.at[0]])).toEqual([
      ['1', 56.5],
      ['2', 216.5],
      ['3', 376.5],
    ]);
  });
});

describe('selection layer', () => {
  it('draws nothing without a selection or a box', () => {
    expect(paint(frame(), [selectionLayer]).ctx.drawn).toEqual([]);
  });

  it('outlines exactly the selected notes in view', () => {
    const { ctx } = paint(frame({ selection: [1, 2] }), [selectionLayer]);
    expect(ctx.of('selection').map((d) => [d.op, ...d.at])).toEqual([
      ['strokeRect', 92.75, 29.75, 17.5, 7.5],
    ]);
  });

  it('shades and outlines the box being dragged over its steps and rows', () => {
    const box = { fromStep: 2, toStep: 6, lowPitch: 60, highPitch: 62 };
    const drawn = paint(frame({ box }), [selectionLayer]).ctx.of('selection');
    expect(drawn.map((d) => [d.op, ...d.at])).toEqual([
      ['fillRect', 72, 28, 40, 33],
      ['strokeRect', 72.5, 28.5, 39, 32],
    ]);
  });
});

describe('playhead layer', () => {
  it('draws nothing when stopped', () => {
    expect(paint(frame(), [playheadLayer]).ctx.drawn).toEqual([]);
  });

  it('draws a line below the ruler and a marker on it at the playhead', () => {
    const drawn = paint(frame({ playhead: 10 }), [playheadLayer]).ctx.of('playhead');
    expect(drawn.map((d) => [d.op, ...d.at])).toEqual([
      ['fillRect', 152, 22, 1.5, 278],
      ['fill', 147, 0, 157, 0, 152, 7],
    ]);
  });

  it('hides the playhead when it is scrolled out under the keyboard', () => {
    expect(paint(frame({ playhead: 10, scrollLeft: 200 }), [playheadLayer]).ctx.drawn).toEqual([]);
  });
});

describe('cursor layer', () => {
  it('draws nothing without a cursor (a roll that only shows)', () => {
    expect(paint(frame(), [cursorLayer]).ctx.drawn).toEqual([]);
  });

  it('draws a dashed line through the rows and a flag on the ruler at the cursor', () => {
    const drawn = paint(frame({ cursor: 10 }), [cursorLayer]).ctx.of('cursor');
    const xs = new Set(drawn.map((d) => d.at[0]));
    expect([...xs]).toEqual([152]);
    expect(drawn.at(-1)!.at).toEqual([152, 2, 6, 18]);
    expect(drawn.slice(0, -1).every((d) => d.at[1] >= 22 && d.at[3] === 3)).toBe(true);
  });

  it('hides the cursor when it is scrolled out under the keyboard', () => {
    expect(paint(frame({ cursor: 10, scrollLeft: 200 }), [cursorLayer]).ctx.drawn).toEqual([]);
  });
});
