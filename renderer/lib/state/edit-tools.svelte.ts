/**
 * How the editor's tools behave: the snap grid and whether it is on, the length of a note added by
 * a click or by step entry, and the velocity a new note gets. Not part of the document: a user's way
 * of working, not their music.
 *
 * Every choice is a whole number of 16th-note steps, because that is the engine's grid: 1/32 notes
 * and triplets cannot be represented, so they are not offered (the tooltip says why).
 */

export interface StepChoice {
  steps: number;
  label: string;
}

export const SNAP_CHOICES: readonly StepChoice[] = [
  { steps: 8, label: '1/2' },
  { steps: 4, label: '1/4' },
  { steps: 2, label: '1/8' },
  { steps: 1, label: '1/16' },
];

export const LENGTH_CHOICES: readonly StepChoice[] = [
  { steps: 16, label: 'Whole' },
  { steps: 12, label: 'Dotted half' },
  { steps: 8, label: 'Half' },
  { steps: 6, label: 'Dotted quarter' },
  { steps: 4, label: 'Quarter' },
  { steps: 3, label: 'Dotted 8th' },
  { steps: 2, label: '8th' },
  { steps: 1, label: '16th' },
];

export const GRID_NOTE =
  'Notes sit on 16th-note steps, the grid the model learns and generates on, so there is no 1/32 or triplet grid.';

export const DEFAULT_VELOCITY = 90;

export class EditTools {
  snapOn = $state(true);
  snapSteps = $state(1);
  noteLength = $state(4);
  velocity = $state(DEFAULT_VELOCITY);

  /** The grid edits snap to, in steps: 1 (every 16th) when snapping is off. */
  readonly grid = $derived(this.snapOn ? this.snapSteps : 1);
}
