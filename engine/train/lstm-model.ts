/**
 * A trained LSTM as a TokenModel (engine/tokens/token-model.ts), so evaluation, the memory mixture
 * and sampling read it through the same interface as every other melody model. It reads a piece the
 * way training fed it (see ./encoding.ts): START_INPUT first, then each token, with the position in
 * the bar of the token about to be predicted as the second input.
 *
 * One nn Stream (batch 1) does the arithmetic for every TokenStream of a model; each TokenStream
 * has its own LSTM state, swapped into the engine when it steps, so `clone()` copies a few kilobytes
 * instead of the weights.
 */
import { memorySettingsProblem, withPieceMemory, type MemorySettings } from '../memory/index.js';
import type { ModelContents } from '../model-file/index.js';
import { createStream, paramCount, validateConfig, type BackendChoice, type LstmState, type ModelConfig, type Stream } from '../nn/index.js';
import { DUR_BASE, REST_BASE, VOCAB_SIZE, barSteps, positionClass, tokenKind, type PieceContext, type TokenModel, type TokenStream } from '../tokens/index.js';
import { CONDITION_CLASSES, START_INPUT } from './encoding.js';

/** How the model file says which input convention its LSTM was trained with. */
export const LSTM_INPUT_CONVENTION = 'continuo-lstm-v1: END as start input, position-in-bar (32 classes) of the predicted token';

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
    if (config.vocabSize !== VOCAB_SIZE) throw new Error(`LSTM vocabulary ${config.vocabSize} is not the engine's ${VOCAB_SIZE}`);
    if (config.extraVocabSize !== 0 && config.extraVocabSize !== CONDITION_CLASSES) {
      throw new Error(`LSTM second input has ${config.extraVocabSize} classes, expected ${CONDITION_CLASSES} bar positions`);
    }
    if (params.length !== paramCount(config)) throw new Error(`LSTM has ${params.length} weights, its config needs ${paramCount(config)}`);
    this.engine = { stream: createStream(config, params, 1, backend), owner: null };
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
}

class LstmPieceStream implements TokenStream {
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
    const logits = slot.stream.step([token], condition);
    let max = -Infinity;
    for (let i = 0; i < VOCAB_SIZE; i++) if (logits[i] > max) max = logits[i];
    let sum = 0;
    for (let i = 0; i < VOCAB_SIZE; i++) sum += this.probs[i] = Math.exp(logits[i] - max);
    for (let i = 0; i < VOCAB_SIZE; i++) this.probs[i] /= sum;
  }

  probabilities(): Float64Array {
    return this.probs;
  }

  advance(token: number): void {
    const kind = tokenKind(token);
    let time = this.time;
    if (kind === 'rest') time += token - REST_BASE;
    else if (kind === 'duration') time += token - DUR_BASE;
    this.read(token, time);
    this.time = time;
  }

  clone(): TokenStream {
    const copy = new LstmPieceStream(this.engine, this.config, this.bar);
    copy.state = this.engine.owner === this ? this.engine.stream.getState() : this.state && { batchSize: 1, h: this.state.h.slice(), c: this.state.c.slice() };
    copy.probs.set(this.probs);
    copy.time = this.time;
    return copy;
  }
}

/** The LSTM of a loaded model file. Throws a one-line Error when the file's config does not fit. */
export function lstmFromModel(contents: ModelContents, fileName: string, backend: BackendChoice = 'auto'): LstmTokenModel {
  try {
    return new LstmTokenModel(contents.header.config as ModelConfig, contents.weights, backend);
  } catch (e) {
    throw new Error(`${fileName}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * The engine's scoring and sampling model of a model file: its LSTM, mixed with the in-piece memory
 * (engine/memory) when the file carries memory settings — `continuo train` stores them only when the
 * mixture beat the LSTM alone on the validation tunes.
 */
export function engineModelFromFile(
  contents: ModelContents,
  fileName: string,
  backend: BackendChoice = 'auto',
): { model: TokenModel; lstm: LstmTokenModel; memory: MemorySettings | null } {
  const lstm = lstmFromModel(contents, fileName, backend);
  const stored = contents.header.extra?.memory;
  if (stored === undefined) return { model: lstm, lstm, memory: null };
  const problem = memorySettingsProblem(stored);
  if (problem !== null) throw new Error(`${fileName}: ${problem}`);
  const memory = stored as MemorySettings;
  return { model: withPieceMemory(lstm, memory), lstm, memory };
}
