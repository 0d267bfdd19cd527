/**
 * A trained LSTM as a TokenModel (engine/tokens/token-model.ts), so evaluation, the memory mixture
 * and sampling read it through the same interface as every other melody model. It reads a piece the
 * way training fed it (see ./encoding.ts): START_INPUT first, then each token, with the position in
 * the bar of the token about to be predicted as the second input.
 *
 * One nn Stream (batch 1) does the arithmetic for every TokenStream of a model; each TokenStream
 * has its own LSTM state, swapped into the engine when it steps, so `clone()` copies a few kilobytes
 * instead of the weights.
 *
 * `forkLanes(n)` (engine/sample/lanes.ts) gives n lanes in a stream's state whose advances are
 * collected and done in one batch step (at least LANE_STABLE_BATCH wide) when any lane's
 * distribution is read. Batch and batch-1 arithmetic differ in the last bits (see
 * LANE_STABLE_BATCH), so a lane's distributions may differ that little from a clone's; they never
 * depend on how many lanes there are or which lane it is, which keeps sampling reproducible.
 */
import { memorySettingsProblem, withPieceMemory, type MemorySettings } from '../memory/index.js';
import type { ModelContents } from '../model-file/index.js';
import { MetreModel, metreSettingsProblem, type MetreSettings } from '../model/metre.js';
import {
  LANE_STABLE_BATCH,
  copyStateRow,
  createStream,
  paramCount,
  validateConfig,
  zeroState,
  type BackendChoice,
  type LstmState,
  type ModelConfig,
  type Stream,
} from '../nn/index.js';
import type { LaneForking } from '../sample/lanes.js';
import {
  DUR_BASE,
  REST_BASE,
  VOCAB_SIZE,
  barSteps,
  positionClass,
  tokenKind,
  type PieceContext,
  type TokenModel,
  type TokenStream,
} from '../tokens/index.js';
import { CONDITION_CLASSES, START_INPUT } from './encoding.js';

/** How the model file says which input convention its LSTM was trained with. */
export const LSTM_INPUT_CONVENTION =
  'continuo-lstm-v1: END as start input, position-in-bar (32 classes) of the predicted token';

export class LstmTokenModel implements TokenModel {
  readonly vocabSize = VOCAB_SIZE;
  readonly name: string;
  private readonly engine: EngineSlot;

  constructor(
    readonly config: ModelConfig,
    params: Float32Array,
    backend: BackendChoice = 'auto',
  ) {
    validateConfig(config);
    if (config.vocabSize !== VOCAB_SIZE)
      throw new Error(`LSTM vocabulary ${config.vocabSize} is not the engine's ${VOCAB_SIZE}`);
    if (config.extraVocabSize !== 0 && config.extraVocabSize !== CONDITION_CLASSES) {
      throw new Error(
        `LSTM second input has ${config.extraVocabSize} classes, expected ${CONDITION_CLASSES} bar positions`,
      );
    }
    if (params.length !== paramCount(config))
      throw new Error(`LSTM has ${params.length} weights, its config needs ${paramCount(config)}`);
    const own = params.slice(); // batch streams are made later, from the weights as they are now
    const batches = new Map<number, BatchSlot>();
    this.engine = {
      stream: createStream(config, own, 1, backend),
      owner: null,
      batch: (width) => {
        let slot = batches.get(width);
        if (!slot)
          batches.set(width, (slot = { stream: createStream(config, own, width, backend), owner: null }));
        return slot;
      },
    };
    this.name = `lstm ${config.layers}x${config.hiddenSize}`;
  }

  begin(context: PieceContext): TokenStream {
    const start = new LstmPieceStream(this.engine, this.config, barSteps(context.timeSignature));
    start.read(START_INPUT, 0);
    return start;
  }
}

/**
 * The shared nn Stream and the piece stream whose state it currently holds. While one piece stream
 * is stepped again and again (the usual case: scoring a piece, sampling one variation) its state
 * stays inside the engine; it is copied out only when another piece stream takes the engine over.
 */
interface EngineSlot {
  stream: Stream;
  owner: LstmPieceStream | null;
  /** The model's batch stream of this width (made on first use) for lockstep lanes. */
  batch(width: number): BatchSlot;
}

/** A batch stream and the lane group whose state it currently holds, shared like EngineSlot. */
interface BatchSlot {
  stream: Stream;
  owner: LaneGroup | null;
}

/** Softmax of logits[offset … offset + VOCAB_SIZE) into probs, in float64. */
function softmaxInto(logits: Float32Array, offset: number, probs: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < VOCAB_SIZE; i++) if (logits[offset + i] > max) max = logits[offset + i];
  let sum = 0;
  for (let i = 0; i < VOCAB_SIZE; i++) sum += probs[i] = Math.exp(logits[offset + i] - max);
  for (let i = 0; i < VOCAB_SIZE; i++) probs[i] /= sum;
}

/**
 * The batch width for `lanes` lanes: a power of two, at least LANE_STABLE_BATCH. The model keeps one
 * batch stream per width it has used (about 4 MB each for the default model), so few widths keep
 * that bounded (4 … 64 for up to MAX_VARIATIONS lanes) at the price of a few padding rows.
 */
function batchWidth(lanes: number): number {
  let w = LANE_STABLE_BATCH;
  while (w < lanes) w *= 2;
  return w;
}

/** The time cursor after reading `token` at `time`. */
function timeAfter(token: number, time: number): number {
  const kind = tokenKind(token);
  return kind === 'rest' ? time + token - REST_BASE : kind === 'duration' ? time + token - DUR_BASE : time;
}

class LstmPieceStream implements TokenStream, LaneForking {
  /** This stream's LSTM state while another stream owns the engine; null = the zero state. */
  private state: LstmState | null = null;
  private readonly probs = new Float64Array(VOCAB_SIZE);
  time = 0;

  constructor(
    private readonly engine: EngineSlot,
    private readonly config: ModelConfig,
    private readonly bar: number,
  ) {}

  /** Copies the state out of the engine before another stream takes it over. */
  release(): void {
    this.state = this.engine.stream.getState();
  }

  /** Steps the LSTM on `token`, `time` being the time cursor after it, and stores the next distribution. */
  read(token: number, time: number): void {
    const slot = this.engine;
    if (slot.owner !== this) {
      slot.owner?.release();
      if (this.state) slot.stream.setState(this.state);
      else slot.stream.reset();
      slot.owner = this;
    }
    const condition = this.config.extraVocabSize > 0 ? [positionClass(time, this.bar)] : undefined;
    softmaxInto(slot.stream.step([token], condition), 0, this.probs);
  }

  probabilities(): Float64Array {
    return this.probs;
  }

  advance(token: number): void {
    const time = timeAfter(token, this.time);
    this.read(token, time);
    this.time = time;
  }

  /** A copy of this stream's batch-1 state (zeros before anything was read). */
  stateCopy(): LstmState {
    if (this.engine.owner === this) return this.engine.stream.getState();
    if (this.state) return { batchSize: 1, h: this.state.h.slice(), c: this.state.c.slice() };
    const n = this.config.layers * this.config.hiddenSize;
    return { batchSize: 1, h: new Float32Array(n), c: new Float32Array(n) };
  }

  clone(): TokenStream {
    return LstmPieceStream.fromState(
      this.engine,
      this.config,
      this.bar,
      this.stateCopy(),
      this.probs,
      this.time,
    );
  }

  static fromState(
    engine: EngineSlot,
    config: ModelConfig,
    bar: number,
    state: LstmState,
    probs: Float64Array,
    time: number,
  ): LstmPieceStream {
    const copy = new LstmPieceStream(engine, config, bar);
    copy.state = state;
    copy.probs.set(probs);
    copy.time = time;
    return copy;
  }

  forkLanes(count: number): TokenStream[] {
    return new LaneGroup(this.engine, this.config, this.bar, this.stateCopy(), this.probs, this.time, count)
      .lanes;
  }
}

/**
 * Lanes stepped together in one batch stream. A step takes the lanes that have a pending token, in
 * lane order, into rows 0… of the model's batch stream of width batchWidth(count); rows past them
 * read START_INPUT and are never looked at. The rows stay in the stream while the same lanes keep
 * stepping together; when that set changes (a variation is done, or a lane is read on its own) they
 * are copied out and the new set is packed, so finished lanes stop costing arithmetic. Row and width
 * do not change a lane's arithmetic (LANE_STABLE_BATCH), so neither does packing.
 */
class LaneGroup {
  readonly lanes: LstmLane[];
  /** Each lane's state (batch 1) while it is not in the stream's rows. */
  private readonly parked: LstmState[];
  /** The batch stream this group last packed into, and lane index per row; valid while it owns it. */
  private slot: BatchSlot | null = null;
  private inRows: number[] = [];
  private readonly pendingRows: number[] = [];

  constructor(
    readonly engine: EngineSlot,
    readonly config: ModelConfig,
    readonly bar: number,
    start: LstmState,
    probs: Float64Array,
    time: number,
    count: number,
  ) {
    this.parked = Array.from({ length: count }, () => ({
      batchSize: 1,
      h: start.h.slice(),
      c: start.c.slice(),
    }));
    this.lanes = Array.from({ length: count }, (_, i) => new LstmLane(this, i, probs, time));
  }

  private owns(): boolean {
    return this.slot !== null && this.slot.owner === this;
  }

  /** Copies the rows out of the batch stream (before it packs another set, or another group takes it). */
  release(): void {
    const slot = this.slot!;
    const state = slot.stream.getState();
    this.inRows.forEach((lane, r) => copyStateRow(this.config, state, r, this.parked[lane], 0));
    slot.owner = null;
    this.inRows = [];
  }

  /** Packs `lanes` into rows 0… of a batch stream of their width. */
  private pack(lanes: number[]): Stream {
    if (this.owns()) this.release();
    const w = batchWidth(lanes.length);
    const slot = this.engine.batch(w);
    slot.owner?.release();
    const state = zeroState(this.config, w);
    lanes.forEach((lane, r) => copyStateRow(this.config, this.parked[lane], 0, state, r));
    slot.stream.setState(state);
    slot.owner = this;
    this.slot = slot;
    this.inRows = lanes.slice();
    return slot.stream;
  }

  /** Lane `index`'s state as a batch-1 state. */
  laneState(index: number): LstmState {
    const r = this.owns() ? this.inRows.indexOf(index) : -1;
    const parked = this.parked[index];
    if (r < 0) return { batchSize: 1, h: parked.h.slice(), c: parked.c.slice() };
    const out = zeroState(this.config, 1);
    copyStateRow(this.config, this.slot!.stream.getState(), r, out, 0);
    return out;
  }

  /** One batch step for every lane with a pending token. */
  step(): void {
    const rows = this.pendingRows;
    rows.length = 0;
    for (const lane of this.lanes) if (lane.pending >= 0) rows.push(lane.index);
    const same =
      this.owns() && rows.length === this.inRows.length && rows.every((lane, r) => this.inRows[r] === lane);
    const stream = same ? this.slot!.stream : this.pack(rows);
    const w = stream.batchSize;
    const tokens = new Int32Array(w).fill(START_INPUT);
    const extras = new Int32Array(w);
    rows.forEach((lane, r) => {
      tokens[r] = this.lanes[lane].pending;
      extras[r] = positionClass(this.lanes[lane].time, this.bar);
    });
    const logits = stream.step(tokens, this.config.extraVocabSize > 0 ? extras : undefined);
    rows.forEach((lane, r) => {
      softmaxInto(logits, r * VOCAB_SIZE, this.lanes[lane].probs);
      this.lanes[lane].pending = -1;
    });
  }
}

class LstmLane implements TokenStream, LaneForking {
  readonly probs = new Float64Array(VOCAB_SIZE);
  /** The token read but not yet stepped, or −1. */
  pending = -1;

  constructor(
    private readonly group: LaneGroup,
    readonly index: number,
    probs: Float64Array,
    /** The time cursor after the last token read (pending included). */
    public time: number,
  ) {
    this.probs.set(probs);
  }

  probabilities(): Float64Array {
    if (this.pending >= 0) this.group.step();
    return this.probs;
  }

  advance(token: number): void {
    if (this.pending >= 0) this.group.step();
    this.time = timeAfter(token, this.time);
    this.pending = token;
  }

  private settled(): LstmPieceStream {
    if (this.pending >= 0) this.group.step();
    const g = this.group;
    return LstmPieceStream.fromState(
      g.engine,
      g.config,
      g.bar,
      this.group.laneState(this.index),
      this.probs,
      this.time,
    );
  }

  clone(): TokenStream {
    return this.settled();
  }

  forkLanes(count: number): TokenStream[] {
    return this.settled().forkLanes(count);
  }
}

/** The pitch range the file's LSTM was trained on (`training.pitchRange`), or null when it does not say. */
export function pitchRangeOf(contents: ModelContents): { min: number; max: number } | null {
  const r = contents.header.training.pitchRange as { min?: unknown; max?: unknown } | undefined;
  return r && Number.isInteger(r.min) && Number.isInteger(r.max) && (r.min as number) <= (r.max as number)
    ? { min: r.min as number, max: r.max as number }
    : null;
}

/** The LSTM of a loaded model file. Throws a one-line Error when the file's config does not fit. */
export function lstmFromModel(
  contents: ModelContents,
  fileName: string,
  backend: BackendChoice = 'auto',
): LstmTokenModel {
  try {
    return new LstmTokenModel(contents.header.config as ModelConfig, contents.weights, backend);
  } catch (e) {
    throw new Error(`${fileName}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * The engine's scoring and sampling model of a model file: its LSTM, mixed with the in-piece memory
 * (engine/memory) when the file carries memory settings, with the metre correction (engine/model/
 * metre.ts) when it carries one — `continuo train` stores each only when it beat the model without
 * it on the validation tunes.
 */
export function engineModelFromFile(
  contents: ModelContents,
  fileName: string,
  backend: BackendChoice = 'auto',
): { model: TokenModel; lstm: LstmTokenModel; memory: MemorySettings | null } {
  const lstm = lstmFromModel(contents, fileName, backend);
  const stored = contents.header.extra?.memory;
  let model: TokenModel = lstm;
  let memory: MemorySettings | null = null;
  if (stored !== undefined) {
    const problem = memorySettingsProblem(stored);
    if (problem !== null) throw new Error(`${fileName}: ${problem}`);
    memory = stored as MemorySettings;
    model = withPieceMemory(lstm, memory, pitchRangeOf(contents));
  }
  const metre = contents.header.extra?.metre;
  if (metre !== undefined) {
    const problem = metreSettingsProblem(metre);
    if (problem !== null) throw new Error(`${fileName}: ${problem}`);
    model = new MetreModel(model, metre as MetreSettings);
  }
  return { model, lstm, memory };
}
