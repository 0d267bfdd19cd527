import { describe, expect, it } from 'vitest';
import {
  END,
  TokenCursor,
  VOCAB_SIZE,
  VOCABULARY,
  countNotes,
  decode,
  encode,
  noteIndexPerToken,
  positionsInBar,
  tokenName,
  vocabularyMismatch,
} from '../../../engine/tokens/index.js';
import type { Melody } from '../../../engine/midi/types.js';

const meta = { bpm: 100, timeSignature: [4, 4] as [number, number] };
const note = (pitch: number, start: number, duration: number) => ({ pitch, start, duration, velocity: 80 });

// The worked example of engine/tokens/index.ts, literally.
const example: Melody = { ...meta, notes: [note(67, 4, 4), note(69, 8, 2), note(71, 12, 40)] };
const exampleTokens = [4, 100, 164, 102, 162, 2, 104, 192, 168, 0];

describe('engine/tokens: the worked example of the doc comment', () => {
  it('encodes to the documented tokens', () => {
    expect(Array.from(encode(example))).toEqual(exampleTokens);
  });

  it('names the tokens as documented', () => {
    expect(exampleTokens.map(tokenName)).toEqual([
      'REST_4',
      'PITCH_67(G4)',
      'DUR_4',
      'PITCH_69(A4)',
      'DUR_2',
      'REST_2',
      'PITCH_71(B4)',
      'DUR_32',
      'DUR_8',
      'END',
    ]);
  });

  it('decodes back to the same notes, tempo and time signature', () => {
    expect(decode(exampleTokens, meta)).toEqual(example);
  });

  it('gives the bar position before each token', () => {
    expect(Array.from(positionsInBar(exampleTokens, [4, 4]))).toEqual([0, 4, 4, 8, 8, 10, 12, 12, 12, 4]);
  });

  it('maps each token to the note it describes, END to the note count', () => {
    expect(Array.from(noteIndexPerToken(exampleTokens))).toEqual([0, 0, 0, 1, 1, 2, 2, 2, 2, 3]);
    expect(countNotes(exampleTokens)).toBe(3);
  });
});

describe('engine/tokens: encoding', () => {
  it('encodes an empty melody as END alone', () => {
    expect(Array.from(encode({ ...meta, notes: [] }))).toEqual([END]);
  });

  it('omits the rest token when a note starts where the previous one ends', () => {
    const tokens = encode({ ...meta, notes: [note(60, 0, 2), note(62, 2, 2)] });
    expect(Array.from(tokens).map(tokenName)).toEqual([
      'PITCH_60(C4)',
      'DUR_2',
      'PITCH_62(D4)',
      'DUR_2',
      'END',
    ]);
  });

  it('splits a 70-step rest into 32 + 32 + 6 and decodes it exactly', () => {
    const m: Melody = { ...meta, notes: [note(60, 0, 1), note(60, 71, 1)] };
    const tokens = encode(m);
    expect(Array.from(tokens).map(tokenName)).toEqual([
      'PITCH_60(C4)',
      'DUR_1',
      'REST_32',
      'REST_32',
      'REST_6',
      'PITCH_60(C4)',
      'DUR_1',
      'END',
    ]);
    expect(decode(tokens, meta)).toEqual(m);
  });

  it('represents the lowest and highest MIDI pitches and a 32-step duration with one token each', () => {
    const m: Melody = { ...meta, notes: [note(0, 0, 32), note(127, 32, 33)] };
    expect(Array.from(encode(m)).map(tokenName)).toEqual([
      'PITCH_0(C-1)',
      'DUR_32',
      'PITCH_127(G9)',
      'DUR_32',
      'DUR_1',
      'END',
    ]);
    expect(decode(encode(m), meta)).toEqual(m);
  });

  it('refuses overlapping notes, naming the note', () => {
    expect(() => encode({ ...meta, notes: [note(60, 0, 4), note(62, 2, 2)] })).toThrow(
      'note 1: starts at step 2, before the previous note ends at step 4',
    );
  });

  it('refuses a pitch outside 0..127', () => {
    expect(() => encode({ ...meta, notes: [note(128, 0, 4)] })).toThrow(
      'note 0: pitch 128 is not a MIDI note number',
    );
  });

  it('does not modify the melody it encodes', () => {
    const m: Melody = { ...meta, notes: [note(60, 3, 2)] };
    const copy = structuredClone(m);
    encode(m);
    expect(m).toEqual(copy);
  });
});

describe('engine/tokens: decoding rejects ungrammatical sequences, naming the token', () => {
  it('a PITCH not followed by a DUR', () => {
    expect(() => decode([100, 101, 161, 0], meta)).toThrow(
      'token 1: PITCH_68(G#4) after a PITCH (a DUR must follow)',
    );
  });

  it('tokens after END', () => {
    expect(() => decode([100, 161, 0, 100], meta)).toThrow('token 3: tokens after END');
  });

  it('a sequence that stops inside a note', () => {
    expect(() => decode([100], meta)).toThrow('token 0: the sequence stops inside a note (PITCH_67(G4))');
  });

  it('a non-canonical split (DUR after a DUR shorter than 32)', () => {
    expect(() => decode([100, 164, 164, 0], meta)).toThrow(
      'token 2: DUR_4 does not follow a PITCH or a DUR_32',
    );
  });

  it('an id outside the vocabulary', () => {
    expect(() => decode([VOCAB_SIZE], meta)).toThrow(
      `token 0: token ${VOCAB_SIZE} is outside the vocabulary`,
    );
  });
});

describe('engine/tokens: the grammar cursor', () => {
  it('allows only DUR tokens after a PITCH', () => {
    const c = new TokenCursor();
    c.advance(100);
    const mask = c.allowedMask(new Uint8Array(VOCAB_SIZE));
    const allowed = [...mask.keys()].filter((t) => mask[t]);
    expect(allowed).toEqual(Array.from({ length: 32 }, (_, i) => 161 + i));
  });

  it('allows exactly the tokens it would accept, after every prefix', () => {
    const sequences = [exampleTokens, [32, 32, 5, 100, 192, 192, 161, 0], [0]];
    for (const seq of sequences) {
      const c = new TokenCursor();
      for (const t of [...seq, -1]) {
        const mask = c.allowedMask(new Uint8Array(VOCAB_SIZE));
        const accepted = Array.from({ length: VOCAB_SIZE }, (_, u) => (c.reject(u) === null ? 1 : 0));
        expect(Array.from(mask)).toEqual(accepted);
        if (t >= 0) c.advance(t);
      }
    }
  });

  it('tracks time and notes across rests and durations', () => {
    const c = new TokenCursor();
    for (const t of exampleTokens) c.advance(t);
    expect({ time: c.time, notes: c.notes, ended: c.ended }).toEqual({ time: 52, notes: 3, ended: true });
  });
});

describe('engine/tokens: bar positions', () => {
  it('uses 12-step bars in 6/8 and folds time modulo the bar', () => {
    const tokens = encode({
      ...meta,
      timeSignature: [6, 8],
      notes: [note(60, 0, 6), note(62, 6, 6), note(64, 12, 3)],
    });
    expect(Array.from(positionsInBar(tokens, [6, 8]))).toEqual([0, 0, 6, 6, 0, 0, 3]);
  });
});

describe('engine/tokens: the vocabulary record stored in model files', () => {
  it('accepts its own vocabulary after a JSON round trip', () => {
    expect(vocabularyMismatch(JSON.parse(JSON.stringify(VOCABULARY)))).toBeNull();
  });

  it('names the field that differs', () => {
    expect(vocabularyMismatch({ ...VOCABULARY, maxDuration: 16 })).toBe(
      "vocabulary continuo-rest-pitch-duration v1 (maxDuration 16) is not this engine's continuo-rest-pitch-duration v1 (maxDuration 32)",
    );
  });
});
