import { describe, expect, it } from 'vitest';
import { analyseMelody, evaluateBitsPerNote, nextNoteAt } from '../../../engine/eval/index.js';
import { PieceMemoryModel } from '../../../engine/memory/index.js';
import type { Melody, Note } from '../../../engine/midi/types.js';
import { VOCAB_SIZE, encode, pitchToken } from '../../../engine/tokens/index.js';
import { UniformModel } from '../sample/fake-models.js';

const n = (pitch: number, start: number, duration: number): Note => ({
  pitch,
  start,
  duration,
  velocity: 80,
});
const melody = (notes: Note[]): Melody => ({ notes, bpm: 120, timeSignature: [4, 4] });
const sum = (p: ArrayLike<number>) => Array.from(p).reduce((a, b) => a + b, 0);
const bitsOfOneToken = Math.log2(VOCAB_SIZE);

describe('analyseMelody', () => {
  // C (2 steps), a rest of 2, then E (4 steps): tokens PITCH DUR | REST PITCH DUR | END
  const tune = melody([n(60, 0, 2), n(64, 4, 4)]);

  it('gives each note the bits of its own tokens: the rest before it, its pitch and its duration', () => {
    const a = analyseMelody(new UniformModel(), tune);
    expect(a.notes.map((x) => x.bits / bitsOfOneToken)).toEqual([2, 3]);
    expect(a.notes.every((x) => Math.abs(x.pitchBits - bitsOfOneToken) < 1e-12)).toBe(true);
    expect(a.endBits).toBeCloseTo(bitsOfOneToken, 12);
  });

  it('adds up to the bits evaluation counts for the whole melody', () => {
    const model = new PieceMemoryModel(4);
    const tunes = melody([60, 62, 64, 60, 62, 64, 60, 62].map((p, i) => n(p, 2 * i, 2)));
    const a = analyseMelody(model, tunes);
    const e = evaluateBitsPerNote(model, [{ name: 't', melody: tunes }]);
    expect(a.totalBits).toBeCloseTo(e.totalBits, 9);
    expect(a.notes.reduce((s, x) => s + x.bits, 0) + a.endBits).toBeCloseTo(e.totalBits, 9);
  });

  it('before every note and after the last, gives the next-token distribution and the pitch marginal', () => {
    const phrase = [60, 62, 64, 60, 62, 64, 60, 62];
    const a = analyseMelody(new PieceMemoryModel(4), melody(phrase.map((p, i) => n(p, 2 * i, 2))));
    expect(a.before).toHaveLength(phrase.length + 1);
    const last = a.before[phrase.length]; // after C D E C D E C D the memory expects E
    expect(last.tokens).toHaveLength(VOCAB_SIZE);
    expect(sum(last.tokens)).toBeCloseTo(1, 12);
    expect(sum(last.pitches)).toBeCloseTo(1, 12);
    expect(last.pitches.indexOf(Math.max(...last.pitches))).toBe(64);
    expect(last.pitches[64]).toBeCloseTo(
      last.tokens[pitchToken(64)] / (1 - last.rest - last.end - durationMass(last.tokens)),
      9,
    );
  });
});

/** Mass on DUR tokens (not a next note) in a distribution. */
function durationMass(p: Float64Array): number {
  let m = 0;
  for (let t = 161; t < VOCAB_SIZE; t++) m += p[t];
  return m;
}

describe('nextNoteAt', () => {
  const phrase = melody([60, 62, 64, 60, 62, 64, 60, 62].map((p, i) => n(p, 2 * i, 2)));

  it('at a note boundary is the distribution analyseMelody gives before that note', () => {
    const model = new PieceMemoryModel(4);
    const at = nextNoteAt(model, phrase, 10); // before the sixth note
    expect(Array.from(at.tokens)).toEqual(Array.from(analyseMelody(model, phrase).before[5].tokens));
  });

  it('ignores the notes from the cursor on and cuts the one sounding there', () => {
    const model = new PieceMemoryModel(4);
    const cut = nextNoteAt(model, phrase, 11); // inside the sixth note (10..12): it ends at 11
    const by = nextNoteAt(model, melody([...phrase.notes.slice(0, 5), n(64, 10, 1)]), 11);
    expect(Array.from(cut.tokens)).toEqual(Array.from(by.tokens));
  });

  it('reads the silence up to the cursor: after a rest the next token is the note', () => {
    const at = nextNoteAt(new PieceMemoryModel(4), melody([n(60, 0, 2)]), 40);
    const tokens = encode(melody([n(60, 0, 2), n(60, 40, 1)]));
    expect(Array.from(tokens.subarray(2, 4))).toEqual([32, 6]); // REST_32 REST_6, as nextNoteAt read
    expect(sum(at.pitches)).toBeCloseTo(1, 12);
  });

  it('refuses a cursor that is not a step', () => {
    expect(() => nextNoteAt(new UniformModel(), phrase, -1)).toThrow('step -1 must be a whole number ≥ 0');
  });
});
