/**
 * A stand-in for a canvas 2D context that records what the roll's painters draw: every rectangle,
 * stroke, text and path with the style it was drawn in, and which layer drew it.
 */
import type { Layer, Painter } from '../../../renderer/lib/piano-roll/layers';

export interface Drawn {
  layer: string;
  op: 'fillRect' | 'strokeRect' | 'fillText' | 'fill';
  style: string;
  /** x, y, width, height for rectangles; x, y for text; the path's points for a fill. */
  at: number[];
  text?: string;
}

export class RecordingContext implements Painter {
  fillStyle: string | CanvasGradient | CanvasPattern = '#000';
  strokeStyle: string | CanvasGradient | CanvasPattern = '#000';
  lineWidth = 1;
  font = '10px sans-serif';
  textAlign: CanvasTextAlign = 'start';
  textBaseline: CanvasTextBaseline = 'alphabetic';
  readonly drawn: Drawn[] = [];
  layer = '';
  #path: number[] = [];

  fillRect(x: number, y: number, w: number, h: number): void {
    this.drawn.push({ layer: this.layer, op: 'fillRect', style: String(this.fillStyle), at: [x, y, w, h] });
  }
  strokeRect(x: number, y: number, w: number, h: number): void {
    this.drawn.push({
      layer: this.layer,
      op: 'strokeRect',
      style: String(this.strokeStyle),
      at: [x, y, w, h],
    });
  }
  fillText(text: string, x: number, y: number): void {
    this.drawn.push({ layer: this.layer, op: 'fillText', style: String(this.fillStyle), at: [x, y], text });
  }
  beginPath(): void {
    this.#path = [];
  }
  moveTo(x: number, y: number): void {
    this.#path.push(x, y);
  }
  lineTo(x: number, y: number): void {
    this.#path.push(x, y);
  }
  fill(): void {
    this.drawn.push({ layer: this.layer, op: 'fill', style: String(this.fillStyle), at: this.#path });
  }

  /** What `layer` drew. */
  of(layer: string): Drawn[] {
    return this.drawn.filter((d) => d.layer === layer);
  }
}

/** Wraps layers so the context knows which one is drawing. */
export function tagged(ctx: RecordingContext, layers: readonly Layer[]): Layer[] {
  return layers.map((layer) => ({
    name: layer.name,
    paint(c, frame, view) {
      ctx.layer = layer.name;
      layer.paint(c, frame, view);
    },
  }));
}
