/** How the roll is looked at: horizontal zoom and whether the view follows the playhead. */
import { clampZoom } from './geometry';

export const DEFAULT_PX_PER_STEP = 12;
export const ZOOM_STEP = 1.25;

export class RollView {
  pxPerStep = $state(DEFAULT_PX_PER_STEP);
  follow = $state(true);

  zoomBy(factor: number): void {
    this.pxPerStep = clampZoom(this.pxPerStep * factor);
  }

  set(pxPerStep: number): void {
    this.pxPerStep = clampZoom(pxPerStep);
  }
}
