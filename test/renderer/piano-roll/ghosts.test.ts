import { describe, expect, it } from 'vitest';
import { pitchToY } from '../../../renderer/lib/piano-roll/geometry';
import {
  ghostAlpha,
  ghostAt,
  ghostLayer,
  ghostNotes,
  ghostsInView,
  MODEL_OVERLAYS,
  percentLabel,
  SURPRISE_MAX_BITS,
  surpriseColour,
  surpriseLayer,
  type Ghost,
} from '../../../renderer/lib/piano-roll/ghosts';
import { frameView, paintRoll, rollLayers, type RollFrame } from '../../../renderer/lib/piano-roll/layers';
import { scale, testFrame } from './frame';
import { RecordingContext, tagged } from './recording-context';

/** A pitch distribution with the given probabilities, every other pitch 0. */
function distribution(probabilities: Record<number, number>): number[] {
  const pitches = new Array<number>(128).fill(0);
  for (const [pitch, p] of Object.entries(probabilities)) pitches[Number(pitch)] = p;
  return pitches;
}

const scrollTop = pitchToY(72, scale); // pitch 72's row is the first under the ruler
const frame = (over: Partial<RollFrame> = {}): RollFrame =>
  testFrame({
    notes: [
      { pitch: 60, start: 0, duration: 4, velocity: 80 },
      { pitch: 62, start: 4, duration: 4, velocity: 80 },
    ],
    scrollTop,
    cursor: 8,
    ...over,
  });

function paint(f: RollFrame) {
  const ctx = new RecordingContext();
  paintRoll(ctx, f, tagged(ctx, [ghostLayer, surpriseLayer]));
  return ctx;
}

describe('ghost notes', () => {
  const pitches = distribution({ 64: 0.5, 62: 0.2, 67: 0.2, 65: 0.05, 69: 0.004, 71: 0.046 });

  it('are the pitches the model finds likely enough to see, most likely first, equal ones low to high', () => {
    const ghosts = ghostNotes(pitches, 8, 4);
    expect(ghosts.map((g) => [g.pitch, g.probability])).toEqual([
      [64, 0.5],
      [62, 0.2],
      [67, 0.2],
      [65, 0.05],
      [71, 0.046],
    ]);
    expect(ghosts.every((g) => g.start === 8 && g.duration === 4)).toBe(true);
    expect(ghosts.map((g) => g.rank)).toEqual([0, 1, 2, 3, 4]);
  });

  it('label the top three with their percentage, and no others', () => {
    expect(ghostNotes(pitches, 0, 2).map((g) => g.label)).toEqual(['50%', '20%', '20%', null, null]);
    expect(ghostNotes(pitches, 0, 2, { labels: 1 }).map((g) => g.label)).toEqual([
      '50%',
      null,
      null,
      null,
      null,
    ]);
    expect(percentLabel(0.126)).toBe('13%');
  });

  it('take their opacity from their probability', () => {
    expect([0, 0.25, 1].map(ghostAlpha)).toEqual([0, 0.25, 1]);
    expect(ghostAlpha(1.0000001)).toBe(1);
  });

  it('are drawn at the cursor, in their rows, filled at their probability', () => {
    const ghosts = ghostNotes(distribution({ 64: 0.6, 62: 0.3, 60: 0.1 }), 8, 4);
    const drawn = paint(frame({ ghosts })).of('ghosts');
    const fills = drawn.filter((d) => d.op === 'fillRect');
    // x = 52 px of keyboard + 8 steps × 10 px; a row is 11 px, pitch 72's row at y = 22 (under the ruler).
    expect(fills.map((d) => [d.at, d.style])).toEqual([
      [[132, 22 + 12 * 11 + 1, 39, 9], 'rgba(150, 205, 255, 0.1)'],
      [[132, 22 + 10 * 11 + 1, 39, 9], 'rgba(150, 205, 255, 0.3)'],
      [[132, 22 + 8 * 11 + 1, 39, 9], 'rgba(150, 205, 255, 0.6)'],
    ]);
  });

  it('carry their percentage beside the top few, after the ghost’s end', () => {
    const ghosts = ghostNotes(pitches, 8, 4);
    const texts = paint(frame({ ghosts }))
      .of('ghosts')
      .filter((d) => d.op === 'fillText');
    expect(texts.map((d) => d.text).sort()).toEqual(['20%', '20%', '50%']);
    const top = texts.find((d) => d.text === '50%')!;
    expect(top.at[0]).toBe(132 + 39 + 4);
  });

  it('outside the view are not drawn, and what is drawn is what ghostsInView lists', () => {
    const ghosts = ghostNotes(distribution({ 64: 0.5, 100: 0.3, 30: 0.2 }), 8, 4);
    const f = frame({ ghosts });
    // Rows 73 down to 44 are in view: 100 is above, 30 below.
    expect(ghostsInView(f, frameView(f)).map((g) => g.pitch)).toEqual([64]);
    expect(
      paint(f)
        .of('ghosts')
        .filter((d) => d.op === 'fillRect'),
    ).toHaveLength(1);
    const scrolledAway = frame({ ghosts, scrollLeft: 2000 });
    expect(ghostsInView(scrolledAway, frameView(scrolledAway))).toEqual([]);
  });

  describe('hit-testing', () => {
    const ghosts: Ghost[] = ghostNotes(distribution({ 64: 0.5, 62: 0.3 }), 8, 4);

    it('finds the ghost in the row under the pointer, anywhere along its length', () => {
      expect(ghostAt(ghosts, { step: 8, pitch: 64 })?.pitch).toBe(64);
      expect(ghostAt(ghosts, { step: 11.9, pitch: 62 })?.pitch).toBe(62);
    });

    it('finds nothing before or after its steps, or in a row without a ghost', () => {
      expect(ghostAt(ghosts, { step: 7.99, pitch: 64 })).toBeNull();
      expect(ghostAt(ghosts, { step: 12, pitch: 64 })).toBeNull();
      expect(ghostAt(ghosts, { step: 9, pitch: 63 })).toBeNull();
      expect(ghostAt([], { step: 9, pitch: 64 })).toBeNull();
    });
  });
});

describe('surprise colours', () => {
  it('run from blue for an expected note to red for a surprising one, capped at the scale’s top', () => {
    expect(surpriseColour(0)).toBe('hsl(210 75% 55%)');
    expect(surpriseColour(SURPRISE_MAX_BITS / 2)).toBe('hsl(105 75% 55%)');
    expect(surpriseColour(SURPRISE_MAX_BITS)).toBe('hsl(0 75% 55%)');
    expect(surpriseColour(40)).toBe(surpriseColour(SURPRISE_MAX_BITS));
  });

  it('paint each note in view in the colour of its bits', () => {
    const drawn = paint(frame({ surprise: [0, SURPRISE_MAX_BITS] })).of('surprise');
    expect(drawn.map((d) => [d.at, d.style])).toEqual([
      [[52, 22 + 12 * 11 + 1, 39, 9], surpriseColour(0)],
      [[92, 22 + 10 * 11 + 1, 39, 9], surpriseColour(SURPRISE_MAX_BITS)],
    ]);
  });

  it('are not painted when the bits are not these notes’ (one value a note)', () => {
    expect(paint(frame({ surprise: [1] })).of('surprise')).toEqual([]);
    expect(paint(frame({ surprise: null })).of('surprise')).toEqual([]);
  });
});

describe('the model’s overlays', () => {
  it('sit in the roll’s overlay slot: surprise colours over the notes, ghosts over them, under the ruler', () => {
    expect(rollLayers(MODEL_OVERLAYS).map((l) => l.name)).toEqual([
      'rows',
      'grid',
      'notes',
      'selection',
      'surprise',
      'ghosts',
      'ruler',
      'cursor',
      'playhead',
      'keyboard',
    ]);
  });
});
