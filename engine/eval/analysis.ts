/**
 * What the model thinks of a melody, from one pass over it: each note's surprise in bits, and the
 * model's distribution of what comes next before every note (and after the last), both as the full
 * token distribution and as the pitch marginal the editor's overlay draws. `nextNoteAt` gives the
 * same distribution at any step of a melody (the edit cursor).
 *
 * Surprise of note k = −log2 p of its tokens (the rest before it, its PITCH, its DURs) given
 * everything before it: the bits evaluation counts for it (engine/eval/index.ts), so the notes'
 * surprises and `endBits` add up to the melody's bits.
 *
 * Pitch marginal: the probability of each pitch for a note that starts right there, i.e. the PITCH
 * tokens of the next-token distribution renormalised (`pitches`, summing to 1), beside the chance
 * that a rest (`rest`) or the end (`end`) comes first instead. Folk tunes start 99 % of their notes
 * where the previous one ends, and the cursor of `nextNoteAt` is where the note would start.
 */
import type { Melody, Note } from '../midi/types.js';
import {
  END,
  MAX_REST,
  PITCH_BASE,
  REST_BASE,
  encode,
  noteIndexPerToken,
  tokenKind,
  type PieceContext,
  type TokenModel,
} from '../tokens/index.js';

export interface NextNote {
  /** The full next-token distribution (a copy, length vocabSize). */
  tokens: Float64Array;
  /** Pitch p (MIDI 0..127) of a note starting right there; sums to 1 (or all 0 if no pitch may come). */
  pitches: Float64Array;
  /** Probability that a rest comes next instead of a note. */
  rest: number;
  /** Probability that the melody ends here. */
  end: number;
}

export interface NoteSurprise {
  /** Index of the note in the melody. */
  index: number;
  /** −log2 p of all the note's tokens (rest before it, pitch, duration). */
  bits: number;
  /** −log2 p of its PITCH token alone. */
  pitchBits: number;
}

export interface MelodyAnalysis {
  notes: NoteSurprise[];
  /** −log2 p of END after the last note. */
  endBits: number;
  totalBits: number;
  /** before[k]: what the model expected before note k's first token; before[notes.length]: after the last. */
  before: NextNote[];
}

function nextNote(p: Float64Array): NextNote {
  const tokens = p.slice();
  const pitches = new Float64Array(128);
  let pitchMass = 0;
  for (let q = 0; q < 128; q++) pitchMass += pitches[q] = p[PITCH_BASE + q];
  if (pitchMass > 0) for (let q = 0; q < 128; q++) pitches[q] /= pitchMass;
  let rest = 0;
  for (let r = 1; r <= MAX_REST; r++) rest += p[REST_BASE + r];
  return { tokens, pitches, rest, end: p[END] };
}

/** Reads `melody` once with `model` (see the module comment). `novelty`: as in generation. */
export function analyseMelody(
  model: TokenModel,
  melody: Melody,
  options: { novelty?: number } = {},
): MelodyAnalysis {
  const tokens = encode(melody);
  const owner = noteIndexPerToken(tokens);
  const context: PieceContext = {
    timeSignature: melody.timeSignature,
    ...(options.novelty !== undefined ? { novelty: options.novelty } : {}),
  };
  const stream = model.begin(context);
  const notes: NoteSurprise[] = melody.notes.map((_, index) => ({ index, bits: 0, pitchBits: 0 }));
  const before: NextNote[] = [];
  let endBits = 0;
  let totalBits = 0;
  for (let i = 0; i < tokens.length; i++) {
    const p = stream.probabilities();
    const t = tokens[i];
    const k = owner[i];
    if (before.length === k) before.push(nextNote(p));
    const bits = -Math.log2(p[t]);
    totalBits += bits;
    if (t === END) endBits = bits;
    else {
      notes[k].bits += bits;
      if (tokenKind(t) === 'pitch') notes[k].pitchBits = bits;
      stream.advance(t);
    }
  }
  return { notes, endBits, totalBits, before };
}

/**
 * The model's next note at `step` of `melody` (the edit cursor): the notes that start before `step`
 * are read (one still sounding there is cut at `step`), then the silence up to `step`, and the
 * distribution of a note starting exactly at `step` is returned. Notes from `step` on are ignored.
 */
export function nextNoteAt(
  model: TokenModel,
  melody: Melody,
  step: number,
  options: { novelty?: number } = {},
): NextNote {
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`step ${step} must be a whole number ≥ 0`);
  const before: Note[] = melody.notes
    .filter((n) => n.start < step)
    .map((n) => ({ ...n, duration: Math.min(n.duration, step - n.start) }));
  const tokens = encode({ ...melody, notes: before }).subarray(0, -1);
  const stream = model.begin({
    timeSignature: melody.timeSignature,
    ...(options.novelty !== undefined ? { novelty: options.novelty } : {}),
  });
  for (const t of tokens) stream.advance(t);
  const last = before[before.length - 1];
  let gap = step - (last ? last.start + last.duration : 0);
  while (gap > 0) {
    const r = Math.min(gap, MAX_REST);
    stream.advance(REST_BASE + r);
    gap -= r;
  }
  return nextNote(stream.probabilities());
}
