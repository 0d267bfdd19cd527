/**
 * "What the model thinks", as the roll draws it: the model's next-note distribution at the edit
 * cursor as ghost notes (one per pitch it finds likely enough to see, its opacity the probability,
 * the top few labelled with their percentage), and each note's surprise in bits as a colour.
 * Free of DOM and Svelte: the painters, the component's hit-testing and the tests share it.
 */
import type { Note } from '../../../app/contract/api';
import { stepToX, type RollPoint, type RollScale } from './geometry';
import type { FrameView, Layer, Painter, RollFrame } from './layers';

/** A note the model might play next: where it would start, how long (the note length tool), how likely. */
export interface Ghost {
  pitch: number;
  start: number;
  duration: number;
  probability: number;
  /** Its place among the ghosts, 0 = the most likely. */
  rank: number;
  /** "34%" for the top few, else null. */
  label: string | null;
}

/** Pitches less likely than this are not drawn: at 1 % opacity they could not be seen, only hit. */
export const GHOST_MIN_PROBABILITY = 0.01;
/** How many of the most likely ghosts carry their percentage. */
export const GHOST_LABELS = 3;

export function percentLabel(probability: number): string {
  return `${Math.round(probability * 100)}%`;
}

/**
 * The ghosts of a pitch distribution (`pitches[p]`: probability of MIDI pitch p, as
 * `NextNoteDistribution.pitches`) for a note starting at `start` lasting `duration` steps: every
 * pitch at or above `minProbability`, most likely first (equal ones low to high).
 */
export function ghostNotes(
  pitches: readonly number[],
  start: number,
  duration: number,
  { minProbability = GHOST_MIN_PROBABILITY, labels = GHOST_LABELS } = {},
): Ghost[] {
  const likely: { pitch: number; probability: number }[] = [];
  pitches.forEach((probability, pitch) => {
    if (probability >= minProbability && probability > 0) likely.push({ pitch, probability });
  });
  likely.sort((a, b) => b.probability - a.probability || a.pitch - b.pitch);
  return likely.map(({ pitch, probability }, rank) => ({
    pitch,
    start,
    duration: Math.max(1, Math.round(duration)),
    probability,
    rank,
    label: rank < labels ? percentLabel(probability) : null,
  }));
}

/** A ghost's fill opacity: its probability. */
export function ghostAlpha(probability: number): number {
  return Math.min(1, Math.max(0, probability));
}

/** The ghost under a point of the note area (its row, within its steps), or null. */
export function ghostAt(ghosts: readonly Ghost[], point: RollPoint): Ghost | null {
  return (
    ghosts.find(
      (g) => g.pitch === point.pitch && point.step >= g.start && point.step < g.start + g.duration,
    ) ?? null
  );
}

/** The ghosts of a frame that are in view: exactly what the ghost layer draws. */
export function ghostsInView(frame: RollFrame, view: FrameView): Ghost[] {
  const ghosts = frame.ghosts ?? [];
  return ghosts.filter(
    (g) =>
      g.start < view.toStep &&
      g.start + g.duration > view.fromStep &&
      g.pitch <= view.topPitch &&
      g.pitch >= view.bottomPitch,
  );
}

const GHOST_RGB = '150, 205, 255';

/** Ghost notes over the notes: filled at their probability, the labelled ones outlined with their percentage. */
export const ghostLayer: Layer = {
  name: 'ghosts',
  paint(ctx: Painter, f, v) {
    const sc = f.scale;
    ctx.font = '9px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 1;
    // The least likely first, so the likely ones are drawn on top.
    const shown = ghostsInView(f, v).reverse();
    for (const g of shown) {
      const x = v.xOf(g.start);
      const y = v.yOf(g.pitch);
      const width = ghostWidth(g, sc);
      ctx.fillStyle = `rgba(${GHOST_RGB}, ${ghostAlpha(g.probability)})`;
      ctx.fillRect(x, y + 1, width, sc.rowHeight - 2);
      if (g.label !== null) {
        ctx.strokeStyle = `rgba(${GHOST_RGB}, 0.9)`;
        ctx.strokeRect(x + 0.5, y + 1.5, width - 1, sc.rowHeight - 3);
        ctx.fillStyle = '#d8ecff';
        ctx.fillText(g.label, x + width + 4, y + sc.rowHeight / 2 + 0.5);
      }
    }
  },
};

function ghostWidth(g: Ghost, sc: RollScale): number {
  return Math.max(2, stepToX(g.duration, sc) - 1);
}

// ---- surprise

/** The colour scale's top: a note this surprising or more is drawn in the hottest colour. */
export const SURPRISE_MAX_BITS = 8;

/** A note's colour by its surprise: blue (expected, 0 bits) through green and yellow to red (≥ 8 bits). */
export function surpriseColour(bits: number): string {
  const t = Math.min(1, Math.max(0, bits / SURPRISE_MAX_BITS));
  const hue = Math.round(210 * (1 - t));
  return `hsl(${hue} 75% 55%)`;
}

/** The legend's stops, low to high: what the colours mean. */
export const SURPRISE_LEGEND: readonly { bits: number; colour: string }[] = [0, 2, 4, 6, 8].map((bits) => ({
  bits,
  colour: surpriseColour(bits),
}));

/** A note's surprise in words ("5.1 bits"), for tooltips and screen readers. */
export function surpriseText(bits: number): string {
  return `${bits.toFixed(1)} bits`;
}

/**
 * Each note coloured by how surprising the model found it (`frame.surprise[i]`: note i's bits),
 * over the notes layer. Drawn only when the surprise belongs to these notes (one value a note).
 */
export const surpriseLayer: Layer = {
  name: 'surprise',
  paint(ctx, f, v) {
    const bits = f.surprise;
    if (!bits || bits.length !== f.notes.length) return;
    const sc = f.scale;
    for (let i = v.firstNote; i < v.endNote; i++) {
      const n: Note = f.notes[i];
      ctx.fillStyle = surpriseColour(bits[i]);
      ctx.fillRect(
        v.xOf(n.start),
        v.yOf(n.pitch) + 1,
        Math.max(2, stepToX(n.duration, sc) - 1),
        sc.rowHeight - 2,
      );
    }
  },
};

/** The overlays of an editing roll, bottom to top: surprise colours, then the ghost notes. */
export const MODEL_OVERLAYS: readonly Layer[] = [surpriseLayer, ghostLayer];
