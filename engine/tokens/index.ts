/**
 * The event vocabulary: a lossless encoding of a Melody's notes (rest, pitch, duration) as tokens.
 *
 * Each note becomes `[REST_r…] PITCH_p DUR_d…`: the silence before it (omitted when the note starts
 * where the previous one ended, which is 99 % of folk-tune notes), its pitch, its length. The piece
 * ends with END. Time starts at step 0, so a piece that starts late begins with REST tokens (the
 * "leading rest"). Rests and durations longer than 32 steps are split into several tokens that add up
 * (greedy: as many 32s as fit, then the remainder), so every length is representable and decoding is
 * exact. Velocity is not encoded: `decode` gives every note `meta.velocity` (default 80).
 *
 * Token ids (VOCABULARY.size = 193):
 *   0            END
 *   1 .. 32      REST_1 .. REST_32     (id = steps)
 *   33 .. 160    PITCH_0 .. PITCH_127  (id = 33 + MIDI pitch)
 *   161 .. 192   DUR_1 .. DUR_32       (id = 160 + steps)
 *
 * Worked example (steps are 16th notes; 4/4, so a bar is 16 steps):
 *   notes  = [{pitch: 67, start: 4, duration: 4}, {pitch: 69, start: 8, duration: 2},
 *             {pitch: 71, start: 12, duration: 40}]
 *   Token by token: REST_4 (id 4, the leading rest: steps 0..4), PITCH_67 (33+67 = 100), DUR_4
 *   (160+4 = 164); PITCH_69 (102), DUR_2 (162); REST_2 (2, the gap from step 10 to 12), PITCH_71
 *   (104), DUR_32 (192) and DUR_8 (168) for the 40-step note; END (0).
 *   encode → [4, 100, 164, 102, 162, 2, 104, 192, 168, 0]      (tested literally)
 *   positionsInBar(tokens, [4, 4]) → [0, 4, 4, 8, 8, 10, 12, 12, 12, 4]
 *     (the bar position of the time cursor before each token; DUR_32 moves it a whole 2 bars)
 *   noteIndexPerToken(tokens) → [0, 0, 0, 1, 1, 2, 2, 2, 2, 3]  (END belongs to "after the last note")
 *
 * Why this encoding (measured with studies/encoding-study.ts on the Nottingham corpus):
 * PPM-C models counted on the training files of engine/eval/split.ts (808 tunes, no transposition),
 * scored on its 71 validation tunes (15 489 notes), best maximum order per encoding; bits/note over
 * the whole piece (leading rest, notes, END):
 *   rest-pitch-duration (this)      4.273 bits/note (order 2), 2.01 tokens/note
 *   rest-duration-pitch             4.248 bits/note (order 4), 2.01 tokens/note
 *   one token per 16th step         4.275 bits/note (order 4), 2.78 tokens/note
 * The three are within 0.03 bits/note of each other; per-step needs 38 % more tokens (LSTM steps)
 * for nothing, and pitch-before-duration lets scale and range constraints act on the first token of
 * a note, so the note encoding with the pitch first is the one we use.
 */
import type { Melody, Note } from '../midi/types.js';
import { barSteps } from '../time/index.js';

export const MAX_REST = 32;
export const MAX_DURATION = 32;
export const END = 0;
export const REST_BASE = 0; // REST_r = REST_BASE + r, r in 1..MAX_REST
export const PITCH_BASE = 1 + MAX_REST; // PITCH_p = PITCH_BASE + p
export const DUR_BASE = PITCH_BASE + 128 - 1; // DUR_d = DUR_BASE + d, d in 1..MAX_DURATION
export const VOCAB_SIZE = DUR_BASE + MAX_DURATION + 1;

/** What a model file stores so a model can never be paired with a different vocabulary. */
export interface Vocabulary {
  scheme: 'continuo-rest-pitch-duration';
  version: 1;
  size: number;
  maxRest: number;
  maxDuration: number;
}

export const VOCABULARY: Vocabulary = {
  scheme: 'continuo-rest-pitch-duration',
  version: 1,
  size: VOCAB_SIZE,
  maxRest: MAX_REST,
  maxDuration: MAX_DURATION,
};

/**
 * Checks that a vocabulary read from a model file is the one this engine speaks.
 * Returns null when it is, otherwise a one-line reason.
 */
export function vocabularyMismatch(v: unknown): string | null {
  if (typeof v !== 'object' || v === null) return 'the vocabulary is missing';
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(VOCABULARY) as (keyof Vocabulary)[]) {
    if (o[key] !== VOCABULARY[key]) {
      return `vocabulary ${String(o.scheme)} v${String(o.version)} (${key} ${String(o[key])}) is not this engine's ${VOCABULARY.scheme} v${VOCABULARY.version} (${key} ${String(VOCABULARY[key])})`;
    }
  }
  return null;
}

export type TokenKind = 'end' | 'rest' | 'pitch' | 'duration';

export function tokenKind(token: number): TokenKind {
  if (token === END) return 'end';
  if (token >= 1 && token <= MAX_REST) return 'rest';
  if (token >= PITCH_BASE && token < PITCH_BASE + 128) return 'pitch';
  if (token > DUR_BASE && token <= DUR_BASE + MAX_DURATION) return 'duration';
  throw new RangeError(`token ${token} is outside the vocabulary (0..${VOCAB_SIZE - 1})`);
}

export const restToken = (steps: number): number => REST_BASE + steps;
export const pitchToken = (pitch: number): number => PITCH_BASE + pitch;
export const durationToken = (steps: number): number => DUR_BASE + steps;
/** Steps of a REST or DUR token, MIDI pitch of a PITCH token, 0 for END. */
export function tokenValue(token: number): number {
  switch (tokenKind(token)) {
    case 'end':
      return 0;
    case 'rest':
      return token - REST_BASE;
    case 'pitch':
      return token - PITCH_BASE;
    case 'duration':
      return token - DUR_BASE;
  }
}

const PITCH_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
/** Human-readable token name, e.g. `PITCH_67(G4)`, `DUR_4`, `REST_2`, `END`. */
export function tokenName(token: number): string {
  const v = tokenValue(token);
  switch (tokenKind(token)) {
    case 'end':
      return 'END';
    case 'rest':
      return `REST_${v}`;
    case 'pitch':
      return `PITCH_${v}(${PITCH_NAMES[v % 12]}${Math.floor(v / 12) - 1})`;
    case 'duration':
      return `DUR_${v}`;
  }
}

function pushSplit(out: number[], steps: number, max: number, base: number): void {
  while (steps > max) {
    out.push(base + max);
    steps -= max;
  }
  out.push(base + steps);
}

/**
 * Melody → tokens (see the module comment). Throws a RangeError naming the note when the melody is
 * not a valid monophonic line (overlap, unsorted, non-integer steps, pitch outside 0..127).
 */
export function encode(melody: Melody): Int32Array {
  const out: number[] = [];
  let time = 0;
  melody.notes.forEach((n: Note, i: number) => {
    if (!Number.isInteger(n.pitch) || n.pitch < 0 || n.pitch > 127) {
      throw new RangeError(`note ${i}: pitch ${n.pitch} is not a MIDI note number 0..127`);
    }
    if (!Number.isInteger(n.start) || !Number.isInteger(n.duration) || n.duration < 1) {
      throw new RangeError(
        `note ${i}: start ${n.start} / duration ${n.duration} are not whole steps (duration ≥ 1)`,
      );
    }
    if (n.start < time) {
      throw new RangeError(
        `note ${i}: starts at step ${n.start}, before the previous note ends at step ${time}`,
      );
    }
    if (n.start > time) pushSplit(out, n.start - time, MAX_REST, REST_BASE);
    out.push(PITCH_BASE + n.pitch);
    pushSplit(out, n.duration, MAX_DURATION, DUR_BASE);
    time = n.start + n.duration;
  });
  out.push(END);
  return Int32Array.from(out);
}

export interface DecodeMeta {
  bpm: number;
  timeSignature: [number, number];
  /** Velocity given to every note (tokens carry none). Default 80. */
  velocity?: number;
}

/**
 * Follows the token grammar one token at a time: the time cursor (steps), what may come next, how
 * many notes are complete. Shared by decode, positionsInBar, sampling masks and the note counter so
 * they can never disagree about what a token sequence means.
 */
export class TokenCursor {
  /** Step at which the next event starts (rests and durations read so far). */
  time = 0;
  /** Notes whose PITCH has been read. */
  notes = 0;
  /** The last token read, or -1 before the first. */
  last = -1;
  ended = false;

  clone(): TokenCursor {
    const c = new TokenCursor();
    c.time = this.time;
    c.notes = this.notes;
    c.last = this.last;
    c.ended = this.ended;
    return c;
  }

  /** Why `token` cannot come next, or null when it may. Canonical splits only (a continuation REST or
   * DUR must follow a full-length one), so that every melody has exactly one token sequence. */
  reject(token: number): string | null {
    if (!Number.isInteger(token) || token < 0 || token >= VOCAB_SIZE)
      return `token ${token} is outside the vocabulary`;
    if (this.ended) return 'tokens after END';
    const kind = tokenKind(token);
    const lastKind = this.last < 0 ? 'start' : tokenKind(this.last);
    if (lastKind === 'pitch')
      return kind === 'duration' ? null : `${tokenName(token)} after a PITCH (a DUR must follow)`;
    if (lastKind === 'rest') {
      if (kind === 'pitch') return null;
      if (kind === 'rest' && this.last === REST_BASE + MAX_REST) return null;
      return `${tokenName(token)} after ${tokenName(this.last)} (a rest must be followed by a note)`;
    }
    if (kind === 'duration') {
      return lastKind === 'duration' && this.last === DUR_BASE + MAX_DURATION
        ? null
        : `${tokenName(token)} does not follow a PITCH or a DUR_${MAX_DURATION}`;
    }
    return null;
  }

  /** Reads one token; throws a RangeError saying why when the grammar does not allow it. */
  advance(token: number): void {
    const why = this.reject(token);
    if (why !== null) throw new RangeError(why);
    const kind = tokenKind(token);
    if (kind === 'rest') this.time += token - REST_BASE;
    else if (kind === 'duration') this.time += token - DUR_BASE;
    else if (kind === 'pitch') this.notes += 1;
    else this.ended = true;
    this.last = token;
  }

  /** Writes 1 into mask[t] for each token allowed next and 0 elsewhere. */
  allowedMask(mask: Uint8Array): Uint8Array {
    // the same rules as reject(), without building a message per token: samplers call this per step
    mask.fill(0, 0, VOCAB_SIZE);
    if (this.ended) return mask;
    const lastKind = this.last < 0 ? 'start' : tokenKind(this.last);
    const durations = lastKind === 'pitch' || this.last === DUR_BASE + MAX_DURATION;
    const notes = lastKind !== 'pitch';
    const rests = lastKind !== 'pitch' && (lastKind !== 'rest' || this.last === REST_BASE + MAX_REST);
    if (durations) mask.fill(1, DUR_BASE + 1, DUR_BASE + MAX_DURATION + 1);
    if (notes) mask.fill(1, PITCH_BASE, PITCH_BASE + 128);
    if (rests) mask.fill(1, REST_BASE + 1, REST_BASE + MAX_REST + 1);
    if (lastKind === 'start' || lastKind === 'duration') mask[END] = 1;
    return mask;
  }
}

/**
 * Tokens → Melody, the exact inverse of `encode` on pitch, start and duration. Accepts any
 * grammatical sequence; a missing END is tolerated only at the very end (a stream cut short).
 * Throws a RangeError naming the token index for anything else.
 */
export function decode(tokens: ArrayLike<number>, meta: DecodeMeta): Melody {
  const cursor = new TokenCursor();
  const notes: Note[] = [];
  const velocity = meta.velocity ?? 80;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    try {
      cursor.advance(t);
    } catch (e) {
      throw new RangeError(`token ${i}: ${(e as Error).message}`, { cause: e });
    }
    const kind = tokenKind(t);
    if (kind === 'pitch') notes.push({ pitch: t - PITCH_BASE, start: cursor.time, duration: 0, velocity });
    else if (kind === 'duration') notes[notes.length - 1].duration += t - DUR_BASE;
  }
  const lastKind = cursor.last < 0 ? 'start' : tokenKind(cursor.last);
  if (lastKind === 'pitch' || lastKind === 'rest') {
    throw new RangeError(
      `token ${tokens.length - 1}: the sequence stops inside a note (${tokenName(cursor.last)})`,
    );
  }
  return { notes, bpm: meta.bpm, timeSignature: [meta.timeSignature[0], meta.timeSignature[1]] };
}

// Bars are engine/time's: re-exported so the token model's users keep one import for bar positions.
export { barSteps } from '../time/index.js';

/** Number of classes of `positionsInBar` (a bar longer than this is folded into the last class). */
export const POSITION_CLASSES = 32;

/** Bar position class of a time in steps: `time mod barSteps`, capped at POSITION_CLASSES − 1. */
export function positionClass(time: number, bar: number): number {
  return Math.min(time % bar, POSITION_CLASSES - 1);
}

/**
 * The step position within the bar of the time cursor before each token, as a small categorical
 * input for the LSTM (0..POSITION_CLASSES-1). positions[i] depends only on tokens[0..i-1], so it is
 * known when tokens[i] is predicted. Bars start at step 0 (the piece's first downbeat).
 */
export function positionsInBar(
  tokens: ArrayLike<number>,
  timeSignature: readonly [number, number],
): Int32Array {
  const bar = barSteps(timeSignature);
  const out = new Int32Array(tokens.length);
  let time = 0;
  for (let i = 0; i < tokens.length; i++) {
    out[i] = positionClass(time, bar);
    const t = tokens[i];
    const kind = tokenKind(t);
    if (kind === 'rest') time += t - REST_BASE;
    else if (kind === 'duration') time += t - DUR_BASE;
  }
  return out;
}

/** Number of notes in a token sequence (its PITCH tokens): the denominator of bits/note. */
export function countNotes(tokens: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < tokens.length; i++) if (tokenKind(tokens[i]) === 'pitch') n++;
  return n;
}

/**
 * For each token, the index of the note it describes: a REST before note k, its PITCH and its DURs
 * all map to k; END maps to the number of notes. Lets a caller attribute bits to notes.
 */
export function noteIndexPerToken(tokens: ArrayLike<number>): Int32Array {
  const out = new Int32Array(tokens.length);
  let note = 0;
  for (let i = 0; i < tokens.length; i++) {
    const kind = tokenKind(tokens[i]);
    out[i] = note;
    if (kind === 'duration' && (i + 1 >= tokens.length || tokenKind(tokens[i + 1]) !== 'duration')) note++;
  }
  return out;
}

export { type TokenModel, type TokenStream, type PieceContext } from './token-model.js';
