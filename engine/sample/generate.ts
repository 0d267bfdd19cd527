/**
 * Continuing a melody: the seed melody is read through the model's stream once, then the variations
 * sample in lockstep from lanes of that stream (./lanes.ts), one token each per round, until each has
 * filled the requested number of bars; a variation that is done stops advancing. For the LSTM a round
 * is one batch step for all variations instead of one step per variation.
 *
 * Length: the seed's last bar is completed and `bars` more bars follow, so the result ends exactly on
 * a bar line: `endStep = ceil(seedEnd / barSteps) · barSteps + bars · barSteps` (an empty seed starts
 * at step 0); with `startStep` the new bars start there instead (no generated note before it:
 * regenerating a bar range, ./regenerate.ts). The stream is told when the seed ends
 * (./generating.ts), so in-piece memories treat the sampled notes as the model's own, and each
 * variation's stream gets its own plan of which parts restate the part before (engine/memory/form.ts).
 * The last generated note ends exactly at `endStep`: durations and rests that would cross
 * it are masked, END is masked until it is reached and is the only choice once it is.
 *
 * Reproducibility: variation i draws from Rng(randomSeed, i) and from nothing else, so the same model,
 * seed melody and options give the same notes on every run and OS, and variation i is the same whether
 * 1 or 8 variations are asked for: each lane has its own RNG, grammar cursor, constraint state and
 * in-piece memory, and the LSTM's lanes compute alike at every batch width (see engine/nn
 * LANE_STABLE_BATCH). Lanes may differ from a single cloned stream in the last bits of the LSTM's
 * floats; reproducibility rests on the lanes alone. Inputs (seed melody, options) are never modified.
 */
import type { Melody, Note } from '../midi/types.js';
import {
  DUR_BASE,
  END,
  MAX_DURATION,
  MAX_REST,
  PITCH_BASE,
  REST_BASE,
  TokenCursor,
  barSteps,
  decode,
  encode,
  tokenKind,
  type TokenModel,
} from '../tokens/index.js';
import { allowedPitches, constraintsProblem, maskPitches, type Constraints } from './constraints.js';
import {
  drawToken,
  samplingSettingsProblem,
  shapeDistribution,
  type SamplingSettings,
} from './distribution.js';
import { planParts, startGenerating } from './generating.js';
import { partPlanSeed } from '../memory/form.js';
import { forkLanes } from './lanes.js';
import { Rng } from './rng.js';

export interface GenerateOptions extends SamplingSettings, Constraints {
  /** Bars to add after the seed's last (completed) bar, 1..MAX_BARS. */
  bars: number;
  /** How many variations, 1..MAX_VARIATIONS. Default 1. */
  variations?: number;
  /** Any safe integer. Default 0. */
  randomSeed?: number;
  /** Used when there is no seed melody. Default [4, 4] and 120. */
  timeSignature?: [number, number];
  bpm?: number;
  /** Velocity of the generated notes; default: the seed's last note's, or 80. */
  velocity?: number;
  /**
   * 0 (develop the seed's motifs) … 1 (new ideas): how much a model with an in-piece memory leans on
   * it (engine/memory/novelty.ts). Default: the model's own setting.
   */
  novelty?: number;
  /**
   * Step where the new bars start (no generated note starts before it; the gap after the seed is
   * silence), at or after the seed's end. Default: the seed's last bar line (see the module comment).
   */
  startStep?: number;
  /** Index of the first variation: variation i draws from Rng(randomSeed, firstVariation + i). Default 0. */
  firstVariation?: number;
}

export const MAX_BARS = 512;
export const MAX_VARIATIONS = 64;

export interface Variation {
  index: number;
  /** The seed's notes (copied) followed by the generated ones. */
  melody: Melody;
  /** Number of notes that came from the seed: melody.notes.slice(seedNotes) are new. */
  seedNotes: number;
  /** Step at which the melody ends (a bar line). */
  endStep: number;
}

/** One line saying what is wrong with the options, or null. */
export function generateOptionsProblem(o: GenerateOptions): string | null {
  if (!Number.isInteger(o.bars) || o.bars < 1 || o.bars > MAX_BARS)
    return `bars ${o.bars} must be a whole number 1..${MAX_BARS}`;
  const v = o.variations ?? 1;
  if (!Number.isInteger(v) || v < 1 || v > MAX_VARIATIONS)
    return `variations ${v} must be a whole number 1..${MAX_VARIATIONS}`;
  if (!Number.isSafeInteger(o.randomSeed ?? 0)) return `random seed ${o.randomSeed} must be a whole number`;
  if (o.velocity !== undefined && (!Number.isInteger(o.velocity) || o.velocity < 1 || o.velocity > 127)) {
    return `velocity ${o.velocity} must be 1..127`;
  }
  if (o.startStep !== undefined && !(Number.isSafeInteger(o.startStep) && o.startStep >= 0))
    return `start step ${o.startStep} must be a whole number ≥ 0`;
  const first = o.firstVariation ?? 0;
  if (!Number.isSafeInteger(first) || first < 0) return `first variation ${first} must be a whole number ≥ 0`;
  if (o.novelty !== undefined && !(o.novelty >= 0 && o.novelty <= 1))
    return `novelty ${o.novelty} must be a number from 0 (develop the seed's motifs) to 1 (new ideas)`;
  return samplingSettingsProblem(o) ?? constraintsProblem(o);
}

/** Seed melody (or null) → `variations` continuations. Throws a RangeError with one line on bad options. */
export function generate(model: TokenModel, seed: Melody | null, options: GenerateOptions): Variation[] {
  const problem = generateOptionsProblem(options);
  if (problem !== null) throw new RangeError(problem);
  const timeSignature: [number, number] = seed
    ? [seed.timeSignature[0], seed.timeSignature[1]]
    : [options.timeSignature?.[0] ?? 4, options.timeSignature?.[1] ?? 4];
  const bpm = seed ? seed.bpm : (options.bpm ?? 120);
  const seedNotes: Note[] = seed ? seed.notes.map((n) => ({ ...n })) : [];
  const seedTokens = encode({ notes: seedNotes, bpm, timeSignature }).subarray(0, -1); // without END

  const stream = model.begin({
    timeSignature,
    ...(options.novelty !== undefined ? { novelty: options.novelty } : {}),
  });
  const cursor = new TokenCursor();
  for (const t of seedTokens) {
    stream.advance(t);
    cursor.advance(t);
  }
  startGenerating(stream);
  const bar = barSteps(timeSignature);
  if (options.startStep !== undefined && options.startStep < cursor.time)
    throw new RangeError(`start step ${options.startStep} is before the seed ends (step ${cursor.time})`);
  const startStep = options.startStep ?? Math.ceil(cursor.time / bar) * bar;
  const endStep = startStep + options.bars * bar;
  const velocity = options.velocity ?? (seedNotes.length ? seedNotes[seedNotes.length - 1].velocity : 80);
  const allowed = allowedPitches(options);
  let lastPitch = -1;
  let repeats = 0;
  for (const n of seedNotes) {
    repeats = n.pitch === lastPitch ? repeats + 1 : 1;
    lastPitch = n.pitch;
  }

  const count = options.variations ?? 1;
  const first = options.firstVariation ?? 0;
  const lanes = forkLanes(stream, count).map((s, index) => ({
    stream: s,
    rng: new Rng(options.randomSeed ?? 0, first + index),
    cursor: cursor.clone(),
    tokens: [] as number[],
    last: lastPitch,
    reps: repeats,
    done: false,
  }));
  // each variation's own form plan (engine/memory/form.ts), from a hash apart from its random numbers
  lanes.forEach((lane, index) =>
    planParts(lane.stream, partPlanSeed(options.randomSeed ?? 0, first + index)),
  );
  const mask = new Uint8Array(model.vocabSize);
  const dist = new Float64Array(model.vocabSize);
  const drawn = new Int32Array(count);
  for (let running = count; running > 0;) {
    // draw for every lane first, then advance them all: the model steps the lanes together
    for (let i = 0; i < count; i++) {
      const lane = lanes[i];
      if (lane.done) continue;
      const c = lane.cursor;
      c.allowedMask(mask);
      restrictToLength(mask, c, endStep);
      if (c.time < startStep) restrictToStart(mask, c, startStep);
      maskPitches(mask, allowed, options, lane.last, lane.reps);
      const token = drawToken(shapeDistribution(lane.stream.probabilities(), mask, options, dist), lane.rng);
      c.advance(token);
      lane.tokens.push(token);
      drawn[i] = token;
      if (token === END) {
        lane.done = true;
        running--;
      } else if (tokenKind(token) === 'pitch') {
        const p = token - PITCH_BASE;
        lane.reps = p === lane.last ? lane.reps + 1 : 1;
        lane.last = p;
      }
    }
    for (let i = 0; i < count; i++) if (!lanes[i].done) lanes[i].stream.advance(drawn[i]);
  }

  return lanes.map((lane, index) => {
    const all = new Int32Array(seedTokens.length + lane.tokens.length);
    all.set(seedTokens);
    all.set(lane.tokens, seedTokens.length);
    const decoded = decode(all, { bpm, timeSignature, velocity });
    return {
      index: first + index,
      melody: {
        notes: [...seedNotes.map((n) => ({ ...n })), ...decoded.notes.slice(seedNotes.length)],
        bpm,
        timeSignature,
      },
      seedNotes: seedNotes.length,
      endStep,
    };
  });
}

/** Before `startStep`: no note, and no rest short of it that a note would have to follow. */
function restrictToStart(mask: Uint8Array, c: TokenCursor, startStep: number): void {
  mask.fill(0, PITCH_BASE, PITCH_BASE + 128);
  for (let r = 1; r < MAX_REST && c.time + r < startStep; r++) mask[REST_BASE + r] = 0;
}

/** Masks what would not end exactly at `endStep`: rests that leave no room for a note, durations that
 * cross it, END before it, everything but END at it. */
function restrictToLength(mask: Uint8Array, c: TokenCursor, endStep: number): void {
  const room = endStep - c.time;
  const lastIsDuration = c.last >= 0 && tokenKind(c.last) === 'duration';
  if (room === 0 && lastIsDuration) {
    mask.fill(0);
    mask[END] = 1;
    return;
  }
  mask[END] = 0;
  for (let r = Math.max(1, room); r <= MAX_REST; r++) mask[REST_BASE + r] = 0;
  for (let d = Math.max(1, room + 1); d <= MAX_DURATION; d++) mask[DUR_BASE + d] = 0;
}
