/**
 * A gesture turns one press–drag–release of the pointer, in roll coordinates (geometry's RollPoint),
 * into edit operations. Each step is computed from the notes and selection the gesture began on, not
 * from the previous step, so a drag that comes back undoes what it did on the way (a neighbour it
 * passed over reappears), and the editor can keep the whole drag as one undo step.
 */
import type { RollBox, RollPoint } from '../geometry';
import type { Edit } from '../edits';

/** What the roll shows while a gesture runs: the notes and selection, and a box being dragged. */
export interface GestureStep extends Edit {
  box?: RollBox;
}

/** `P` is the pointer's position in the gesture's terms: a RollPoint, or the velocity lane's LanePoint. */
export interface Gesture<P = RollPoint> {
  /** The pointer moved to `p` with the button down. */
  update(p: P): GestureStep;
  /** The button was released at `p`: the gesture's final edit. */
  end(p: P): Edit;
}

/** Where a gesture begins: the notes and selection before it. */
export type Origin = Edit;
