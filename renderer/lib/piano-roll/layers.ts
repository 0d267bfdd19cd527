/**
 * The piano roll's picture as an ordered list of layer painters over one frame of plain data, so
 * each layer can be tested with a recording context and later layers (the model's ghost notes) slot
 * in without touching the others. Painters only paint: scrolling is decided in roll-view.svelte.ts.
 *
 * Order, bottom to top: rows, grid, notes, selection, overlays (`rollLayers(overlays)`: the model's
 * surprise colours and ghost notes, ghosts.ts), ruler, edit cursor, playhead, keyboard. The ruler,
 * playhead and keyboard stay on top of whatever an overlay draws.
 */
import type { Note } from '../../../app/contract/api';
import { barSteps, type TimeSignature } from '../../../engine/time';
import {
  gridLines,
  isBlackKey,
  KEYS_WIDTH,
  pitchName,
  pitchToY,
  RULER_HEIGHT,
  stepToX,
  visibleRange,
  type GridLine,
  type RollBox,
  type RollScale,
} from './geometry';
import type { Ghost } from './ghosts';

/** Everything one frame shows, as plain data. Sizes and scroll offsets in CSS pixels. */
export interface RollFrame {
  notes: readonly Note[];
  timeSignature: TimeSignature;
  scale: RollScale;
  width: number;
  height: number;
  scrollLeft: number;
  scrollTop: number;
  /** Playhead in steps, or null when stopped. */
  playhead: number | null;
  /** Indices of the selected notes, ascending. */
  selection: readonly number[];
  /** The rectangle of a box selection being dragged, or null. */
  box: RollBox | null;
  /** The edit cursor in steps (where step entry writes), when the roll edits. */
  cursor?: number | null;
  /** The model's next notes at the cursor, for the ghost layer (ghosts.ts). */
  ghosts?: readonly Ghost[];
  /** Each note's surprise in bits (one value a note), for the surprise layer; null when not shown. */
  surprise?: readonly number[] | null;
  /** Notes from this index on are a generated continuation, drawn in their own colour. */
  highlightFrom?: number | null;
}

/** The part of the canvas API the painters use: what a test's recording context implements. */
export type Painter = Pick<
  CanvasRenderingContext2D,
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'font'
  | 'textAlign'
  | 'textBaseline'
  | 'fillRect'
  | 'strokeRect'
  | 'fillText'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'fill'
>;

/** What every layer of a frame needs, worked out once per frame. */
export interface FrameView {
  /** Canvas x of a step and y of a pitch row's top, scrolling applied. */
  xOf(step: number): number;
  yOf(pitch: number): number;
  /** The steps in view. */
  fromStep: number;
  toStep: number;
  /** The rows in view, top to bottom. */
  topPitch: number;
  bottomPitch: number;
  /** Grid lines in view. */
  lines: GridLine[];
  /** The slice of notes in view: notes.slice(firstNote, endNote). */
  firstNote: number;
  endNote: number;
}

export interface Layer {
  readonly name: string;
  paint(ctx: Painter, frame: RollFrame, view: FrameView): void;
}

export function frameView(f: RollFrame): FrameView {
  const sc = f.scale;
  const fromStep = f.scrollLeft / sc.pxPerStep;
  const toStep = fromStep + (f.width - KEYS_WIDTH) / sc.pxPerStep;
  const topPitch = Math.min(sc.highPitch, sc.highPitch - Math.floor(f.scrollTop / sc.rowHeight) + 1);
  const [firstNote, endNote] = visibleRange(f.notes, fromStep, toStep);
  return {
    xOf: (step) => KEYS_WIDTH + stepToX(step, sc) - f.scrollLeft,
    yOf: (pitch) => RULER_HEIGHT + pitchToY(pitch, sc) - f.scrollTop,
    fromStep,
    toStep,
    topPitch,
    bottomPitch: Math.max(sc.lowPitch, topPitch - Math.ceil(f.height / sc.rowHeight) - 1),
    lines: gridLines(Math.floor(fromStep), Math.ceil(toStep), f.timeSignature, sc.pxPerStep >= 8),
    firstNote,
    endNote,
  };
}

/** Canvas width of a note: its steps less a pixel of gap, never thinner than 2 px. */
function noteWidth(n: Note, sc: RollScale): number {
  return Math.max(2, stepToX(n.duration, sc) - 1);
}

/** Rows: black-key rows darker, a firmer line under every B/C boundary. */
export const rowsLayer: Layer = {
  name: 'rows',
  paint(ctx, f, v) {
    const { width: w, height: h } = f;
    ctx.fillStyle = '#181b20';
    ctx.fillRect(0, 0, w, h);
    for (let p = v.topPitch; p >= v.bottomPitch; p--) {
      const y = v.yOf(p);
      ctx.fillStyle = isBlackKey(p) ? '#15171b' : '#1d2026';
      ctx.fillRect(KEYS_WIDTH, y, w - KEYS_WIDTH, f.scale.rowHeight);
      if (p % 12 === 0) {
        ctx.fillStyle = '#2c323a';
        ctx.fillRect(KEYS_WIDTH, y + f.scale.rowHeight - 1, w - KEYS_WIDTH, 1);
      }
    }
  },
};

/** Grid: bars, beats, and 16ths once they are far enough apart to read. */
export const gridLayer: Layer = {
  name: 'grid',
  paint(ctx, f, v) {
    for (const line of v.lines) {
      const x = Math.round(v.xOf(line.step)) + 0.5;
      ctx.fillStyle = line.kind === 'bar' ? '#3d4550' : line.kind === 'beat' ? '#2a3038' : '#21252b';
      ctx.fillRect(x - 0.5, RULER_HEIGHT, 1, f.height - RULER_HEIGHT);
    }
  },
};

/** Notes: only the slice that can be seen, so long pieces cost what one screen costs. */
export const notesLayer: Layer = {
  name: 'notes',
  paint(ctx, f, v) {
    const sc = f.scale;
    const labelNotes = sc.pxPerStep * 2 >= 26;
    ctx.font = '9px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let i = v.firstNote; i < v.endNote; i++) {
      const n = f.notes[i];
      const x = v.xOf(n.start);
      const y = v.yOf(n.pitch);
      const width = noteWidth(n, sc);
      const light = 48 + Math.round((n.velocity / 127) * 20);
      const continuation = f.highlightFrom != null && i >= f.highlightFrom;
      ctx.fillStyle = continuation ? `hsl(168 58% ${light - 6}%)` : `hsl(38 72% ${light}%)`;
      ctx.fillRect(x, y + 1, width, sc.rowHeight - 2);
      ctx.fillStyle = 'rgba(0,0,0,0.35)';
      ctx.fillRect(x, y + 1, 1, sc.rowHeight - 2);
      if (labelNotes && width >= 24) {
        ctx.fillStyle = '#2a1d08';
        ctx.fillText(pitchName(n.pitch), x + 3, y + sc.rowHeight / 2 + 0.5);
      }
    }
  },
};

/** Selected notes outlined, and the rectangle of a box selection being dragged. */
export const selectionLayer: Layer = {
  name: 'selection',
  paint(ctx, f, v) {
    const sc = f.scale;
    ctx.strokeStyle = '#fff3d6';
    ctx.lineWidth = 1.5;
    for (const i of f.selection) {
      if (i < v.firstNote || i >= v.endNote) continue;
      const n = f.notes[i];
      ctx.strokeRect(
        v.xOf(n.start) + 0.75,
        v.yOf(n.pitch) + 1.75,
        noteWidth(n, sc) - 1.5,
        sc.rowHeight - 3.5,
      );
    }
    if (f.box) {
      const x = v.xOf(f.box.fromStep);
      const y = v.yOf(f.box.highPitch);
      const width = stepToX(f.box.toStep - f.box.fromStep, sc);
      const height = (f.box.highPitch - f.box.lowPitch + 1) * sc.rowHeight;
      ctx.fillStyle = 'rgba(120, 170, 255, 0.14)';
      ctx.fillRect(x, y, width, height);
      ctx.strokeStyle = 'rgba(120, 170, 255, 0.8)';
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
    }
  },
};

/** The ruler with bar numbers, over the grid so it stays put while scrolling vertically. */
export const rulerLayer: Layer = {
  name: 'ruler',
  paint(ctx, f, v) {
    const w = f.width;
    ctx.fillStyle = '#111316';
    ctx.fillRect(KEYS_WIDTH, 0, w - KEYS_WIDTH, RULER_HEIGHT);
    ctx.fillStyle = '#2c323a';
    ctx.fillRect(KEYS_WIDTH, RULER_HEIGHT - 1, w - KEYS_WIDTH, 1);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const barWidth = stepToX(barSteps(f.timeSignature), f.scale);
    const labelEvery = Math.max(1, Math.ceil(36 / barWidth));
    for (const line of v.lines) {
      const x = Math.round(v.xOf(line.step)) + 0.5;
      if (x < KEYS_WIDTH) continue;
      if (line.kind === 'bar') {
        ctx.fillStyle = '#4a525d';
        ctx.fillRect(x - 0.5, RULER_HEIGHT - 8, 1, 8);
        if ((line.bar - 1) % labelEvery === 0) {
          ctx.fillStyle = '#9aa4b0';
          ctx.fillText(String(line.bar), x + 4, RULER_HEIGHT / 2);
        }
      } else if (line.kind === 'beat') {
        ctx.fillStyle = '#353c45';
        ctx.fillRect(x - 0.5, RULER_HEIGHT - 4, 1, 4);
      }
    }
  },
};

/** The edit cursor: a dashed line through the notes and a flag on the ruler. */
export const cursorLayer: Layer = {
  name: 'cursor',
  paint(ctx, f, v) {
    if (f.cursor === null || f.cursor === undefined) return;
    const x = Math.round(v.xOf(f.cursor)) + 0.5;
    if (x < KEYS_WIDTH) return;
    ctx.fillStyle = 'rgba(110, 190, 255, 0.85)';
    for (let y = RULER_HEIGHT; y < f.height; y += 6) ctx.fillRect(x - 0.5, y, 1, 3);
    ctx.fillRect(x - 0.5, 2, 6, RULER_HEIGHT - 4);
  },
};

/** The playhead: a line through the notes and a marker on the ruler. */
export const playheadLayer: Layer = {
  name: 'playhead',
  paint(ctx, f, v) {
    if (f.playhead === null) return;
    const at = v.xOf(f.playhead);
    const x = Math.round(at) + 0.5;
    if (x >= KEYS_WIDTH) {
      ctx.fillStyle = '#ff7a66';
      ctx.fillRect(x - 0.5, RULER_HEIGHT, 1.5, f.height - RULER_HEIGHT);
    }
    if (at >= KEYS_WIDTH) {
      ctx.fillStyle = '#ff7a66';
      ctx.beginPath();
      ctx.moveTo(at - 5, 0);
      ctx.lineTo(at + 5, 0);
      ctx.lineTo(at, 7);
      ctx.fill();
    }
  },
};

/**
 * The keyboard: one row per semitone like the grid, drawn as a piano: black keys over a white
 * column, a seam between neighbouring white keys (E|F, B|C) and through each black key's middle.
 */
export const keyboardLayer: Layer = {
  name: 'keyboard',
  paint(ctx, f, v) {
    const sc = f.scale;
    const h = f.height;
    ctx.fillStyle = '#d6d2c9';
    ctx.fillRect(0, RULER_HEIGHT, KEYS_WIDTH - 1, h - RULER_HEIGHT);
    ctx.fillStyle = '#111316';
    ctx.fillRect(KEYS_WIDTH - 1, RULER_HEIGHT, 1, h - RULER_HEIGHT);
    const blackWidth = Math.round(KEYS_WIDTH * 0.6);
    for (let p = v.topPitch; p >= v.bottomPitch; p--) {
      const y = v.yOf(p);
      if (y + sc.rowHeight < RULER_HEIGHT) continue;
      ctx.fillStyle = '#9c988f';
      if (isBlackKey(p)) {
        ctx.fillRect(blackWidth, Math.round(y + sc.rowHeight / 2), KEYS_WIDTH - 1 - blackWidth, 1);
        ctx.fillStyle = '#24272c';
        ctx.fillRect(0, y, blackWidth, sc.rowHeight);
      } else if (!isBlackKey(p - 1)) {
        ctx.fillRect(0, Math.round(y + sc.rowHeight) - 1, KEYS_WIDTH - 1, 1);
      }
      if (p % 12 === 0) {
        ctx.fillStyle = '#4a4d52';
        ctx.font = '9px system-ui, sans-serif';
        ctx.textAlign = 'right';
        ctx.fillText(pitchName(p), KEYS_WIDTH - 4, y + sc.rowHeight / 2 + 0.5);
        ctx.textAlign = 'left';
      }
    }
    ctx.fillStyle = '#111316';
    ctx.fillRect(0, 0, KEYS_WIDTH, RULER_HEIGHT);
  },
};

/** The roll's layers bottom to top, with `overlays` above the notes and selection, below the ruler. */
export function rollLayers(overlays: readonly Layer[] = []): Layer[] {
  return [
    rowsLayer,
    gridLayer,
    notesLayer,
    selectionLayer,
    ...overlays,
    rulerLayer,
    cursorLayer,
    playheadLayer,
    keyboardLayer,
  ];
}

/** Paints one frame with `layers`, bottom first. Returns the frame's view (what was in sight). */
export function paintRoll(
  ctx: Painter,
  frame: RollFrame,
  layers: readonly Layer[] = rollLayers(),
): FrameView {
  const view = frameView(frame);
  for (const layer of layers) layer.paint(ctx, frame, view);
  return view;
}
