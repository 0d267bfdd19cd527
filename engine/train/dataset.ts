/**
 * Training batches from whole tunes.
 *
 * The LSTM must learn from whole tunes, not from independent snippets, so a batch is B parallel
 * *lanes*; each lane reads one tune from its start to its end in consecutive windows of T steps and
 * the trainer carries the lane's LSTM state from one window to the next. When a lane's tune ends
 * inside a window, the rest of that window is padding (weight 0) and the lane starts its next tune
 * at the next window with `reset[lane] = 1`, telling the trainer to zero that lane's state.
 *
 * Tunes come from an endless queue: epoch e is a permutation of the training tunes drawn from the
 * dataset's RNG, each tune transposed by a random number of semitones that keeps it inside the
 * vocabulary's pitch range. Everything the stream will produce next is in `getState()`, so a
 * checkpoint restores the exact next batch.
 *
 * Shapes (row-major, lane-major): inputs, targets, conditions and weights are [B, T].
 *   inputs[b*T + t]     token read at step t of lane b
 *   conditions[b*T + t] the second categorical input at that step (position in bar), 0 for padding
 *   targets[b*T + t]    the token to predict after reading inputs[b*T + t]
 *   weights[b*T + t]    1 for real steps, 0 for padding
 */
import type { Melody } from '../midi/types.js';
import { lstmSequence } from '../model/encoding.js';
import type { Rng, RngState } from '../sample/rng.js';
import { trainingRng } from './rng.js';

/**
 * One tune as token ids. `tokens` starts with the start token and ends with the end token, so the
 * model predicts tokens[1..] from tokens[..n-1]. `conditions[i]` is the second input that goes with
 * reading tokens[i] (or null when the vocabulary has none).
 */
export interface EncodedPiece {
  tokens: Int32Array;
  conditions: Int32Array | null;
}

export interface DatasetSource {
  /** Encode a (possibly transposed) melody. */
  encode(melody: Melody): EncodedPiece;
  /** The lowest and highest pitch the vocabulary can represent. */
  pitchRange: { min: number; max: number };
}

/** The dataset source for the engine's vocabulary, transposing within [minPitch, maxPitch]. */
export function tokenSource(pitchRange: { min: number; max: number }): DatasetSource {
  return { encode: lstmSequence, pitchRange };
}

export interface BatchStreamOptions {
  batchSize: number;
  windowLength: number;
  seed: number;
  /** Largest transposition in semitones either way; 0 turns augmentation off. */
  maxTranspose: number;
}

export interface Batch {
  batchSize: number;
  windowLength: number;
  inputs: Int32Array;
  targets: Int32Array;
  conditions: Int32Array;
  weights: Float32Array;
  /** 1 where the lane starts a new tune in this window (its carried state must be zeroed). */
  reset: Uint8Array;
  /** Number of real (weight 1) steps in the batch. */
  steps: number;
}

interface LaneState {
  queueIndex: number; // index into the endless tune queue; -1 before the first tune
  transpose: number;
  offset: number; // next input position inside the encoded tune
}

/** Plain data: goes into checkpoints as JSON. */
export interface BatchStreamState {
  rng: RngState;
  nextQueueIndex: number;
  /** Epoch permutations still reachable from a lane or the queue head, by epoch number. */
  orders: Record<string, number[]>;
  lanes: LaneState[];
}

/** Transposition range [lo, hi] that keeps every note of `melody` inside `range`, capped at ±max. */
export function transposeRange(
  melody: Melody,
  range: { min: number; max: number },
  max: number,
): [number, number] {
  if (melody.notes.length === 0) return [0, 0];
  let lo = Infinity;
  let hi = -Infinity;
  for (const n of melody.notes) {
    if (n.pitch < lo) lo = n.pitch;
    if (n.pitch > hi) hi = n.pitch;
  }
  const down = Math.max(-max, range.min - lo);
  const up = Math.min(max, range.max - hi);
  return down <= up ? [down, up] : [0, 0];
}

export function transposeMelody(melody: Melody, semitones: number): Melody {
  if (semitones === 0) return melody;
  return { ...melody, notes: melody.notes.map((n) => ({ ...n, pitch: n.pitch + semitones })) };
}

export class BatchStream {
  private readonly rng: Rng;
  private nextQueueIndex = 0;
  private orders = new Map<number, number[]>();
  private lanes: LaneState[];
  private readonly encoded = new Map<string, EncodedPiece>();

  constructor(
    private readonly melodies: readonly Melody[],
    private readonly source: DatasetSource,
    private readonly options: BatchStreamOptions,
  ) {
    if (melodies.length === 0) throw new Error('no training melodies');
    this.rng = trainingRng(options.seed);
    this.lanes = Array.from({ length: options.batchSize }, () => ({
      queueIndex: -1,
      transpose: 0,
      offset: 0,
    }));
  }

  /** Tunes started so far divided by the number of training tunes. */
  get epoch(): number {
    return this.nextQueueIndex / this.melodies.length;
  }

  /** Approximate number of training steps (tokens predicted) in one epoch. */
  tokensPerEpoch(): number {
    let n = 0;
    for (const m of this.melodies) n += this.source.encode(m).tokens.length - 1;
    return n;
  }

  next(): Batch {
    const { batchSize: B, windowLength: T } = this.options;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const conditions = new Int32Array(B * T);
    const weights = new Float32Array(B * T);
    const reset = new Uint8Array(B);
    let steps = 0;
    for (let b = 0; b < B; b++) {
      const lane = this.lanes[b];
      let piece = lane.queueIndex >= 0 ? this.pieceFor(lane) : null;
      if (piece === null || lane.offset >= piece.tokens.length - 1) {
        this.startNextTune(lane);
        piece = this.pieceFor(lane);
        reset[b] = 1;
      }
      const n = piece.tokens.length - 1; // predicted positions
      const end = Math.min(n, lane.offset + T);
      for (let i = lane.offset, t = b * T; i < end; i++, t++) {
        inputs[t] = piece.tokens[i];
        targets[t] = piece.tokens[i + 1];
        conditions[t] = piece.conditions ? piece.conditions[i] : 0;
        weights[t] = 1;
      }
      steps += end - lane.offset;
      lane.offset += T;
    }
    this.forgetFinishedEpochs();
    return { batchSize: B, windowLength: T, inputs, targets, conditions, weights, reset, steps };
  }

  getState(): BatchStreamState {
    const orders: Record<string, number[]> = {};
    for (const [e, order] of this.orders) orders[e] = order.slice();
    return {
      rng: this.rng.getState(),
      nextQueueIndex: this.nextQueueIndex,
      orders,
      lanes: this.lanes.map((l) => ({ ...l })),
    };
  }

  setState(state: BatchStreamState): void {
    if (state.lanes.length !== this.options.batchSize) {
      throw new Error(
        `checkpoint has ${state.lanes.length} lanes, this run uses batch size ${this.options.batchSize}`,
      );
    }
    this.rng.setState(state.rng);
    this.nextQueueIndex = state.nextQueueIndex;
    this.orders = new Map(Object.entries(state.orders).map(([e, o]) => [Number(e), o.slice()]));
    this.lanes = state.lanes.map((l) => ({ ...l }));
  }

  private tuneAt(queueIndex: number): number {
    const count = this.melodies.length;
    const epoch = Math.floor(queueIndex / count);
    let order = this.orders.get(epoch);
    if (!order) {
      order = this.rng.shuffle(Array.from({ length: count }, (_, i) => i));
      this.orders.set(epoch, order);
    }
    return order[queueIndex % count];
  }

  private startNextTune(lane: LaneState): void {
    const q = this.nextQueueIndex++;
    const tune = this.tuneAt(q);
    let transpose = 0;
    if (this.options.maxTranspose > 0) {
      const [lo, hi] = transposeRange(this.melodies[tune], this.source.pitchRange, this.options.maxTranspose);
      transpose = this.rng.int(lo, hi);
    }
    lane.queueIndex = q;
    lane.transpose = transpose;
    lane.offset = 0;
  }

  private pieceFor(lane: LaneState): EncodedPiece {
    const tune = this.tuneAt(lane.queueIndex);
    const key = `${tune}:${lane.transpose}`;
    let piece = this.encoded.get(key);
    if (!piece) {
      piece = this.source.encode(transposeMelody(this.melodies[tune], lane.transpose));
      if (piece.tokens.length < 2) throw new Error(`tune ${tune} encodes to fewer than two tokens`);
      this.encoded.set(key, piece);
    }
    return piece;
  }

  /** Keep only the epoch orders still reachable by a lane or the queue head. */
  private forgetFinishedEpochs(): void {
    const count = this.melodies.length;
    let oldest = this.nextQueueIndex;
    for (const l of this.lanes) if (l.queueIndex >= 0 && l.queueIndex < oldest) oldest = l.queueIndex;
    const oldestEpoch = Math.floor(oldest / count);
    for (const e of this.orders.keys()) if (e < oldestEpoch) this.orders.delete(e);
  }
}
