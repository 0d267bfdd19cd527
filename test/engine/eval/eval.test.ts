import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateBitsPerNote, tokenBits } from '../../../engine/eval/index.js';
import { fnv1a32, isValidationFile, splitByFile } from '../../../engine/eval/split.js';
import { importMidi } from '../../../engine/midi/index.js';
import type { Melody } from '../../../engine/midi/types.js';
import {
  VOCAB_SIZE,
  encode,
  type PieceContext,
  type TokenModel,
  type TokenStream,
} from '../../../engine/tokens/index.js';
import { fixturesDir } from '../../helpers/shared.js';
import { UniformModel } from '../sample/fake-models.js';

/**
 * Knows every piece by heart (told apart by their time signatures): gives the piece's true next token
 * probability 1/2 and spreads the other half evenly, so every token costs exactly 1 bit, provided
 * the model reads each piece from its start (a stream that carried tokens over from another piece
 * would look up the wrong position).
 */
class HalfSureModel implements TokenModel {
  readonly name = 'half-sure';
  readonly vocabSize = VOCAB_SIZE;
  constructor(private readonly pieces: Melody[]) {}

  begin(context: PieceContext): TokenStream {
    const piece = this.pieces.find((p) => p.timeSignature.join('/') === context.timeSignature.join('/'));
    const tokens = piece ? encode(piece) : new Int32Array(0);
    const make = (read: number[]): TokenStream => {
      const probs = new Float64Array(VOCAB_SIZE);
      return {
        probabilities: () => {
          probs.fill(0.5 / (VOCAB_SIZE - 1));
          if (read.length < tokens.length) probs[tokens[read.length]] = 0.5;
          return probs;
        },
        advance: (t) => void read.push(t),
        clone: () => make([...read]),
      };
    };
    return make([]);
  }
}

const note = (pitch: number, start: number, duration: number) => ({ pitch, start, duration, velocity: 80 });
const a: Melody = {
  bpm: 120,
  timeSignature: [4, 4],
  notes: [note(67, 4, 4), note(69, 8, 2), note(71, 12, 40)],
}; // 10 tokens
const b: Melody = { bpm: 120, timeSignature: [3, 4], notes: [note(60, 0, 4), note(62, 4, 4)] }; // 5 tokens

describe('engine/eval: bits per note', () => {
  it('is total bits over all tokens (leading rest, notes, END) divided by the notes', () => {
    const model = new HalfSureModel([a, b]);
    const r = evaluateBitsPerNote(model, [
      { name: 'a', melody: a },
      { name: 'b', melody: b },
    ]);
    expect(r.totalBits).toBeCloseTo(15, 12);
    expect(r.notes).toBe(5);
    expect(r.bitsPerNote).toBeCloseTo(3, 12);
    expect(r.perPiece.map((p) => [p.name, p.notes, p.tokens])).toEqual([
      ['a', 3, 10],
      ['b', 2, 5],
    ]);
  });

  it('costs log2(193) bits per token under a uniform model', () => {
    const r = evaluateBitsPerNote(new UniformModel(), [{ name: 'a', melody: a }]);
    expect(r.bitsPerNote).toBeCloseTo((10 * Math.log2(VOCAB_SIZE)) / 3, 12);
  });

  it('reads each piece from its start with a fresh stream', () => {
    const model = new UniformModel();
    evaluateBitsPerNote(model, [
      { name: 'a', melody: a },
      { name: 'b', melody: b },
    ]);
    expect(model.streams.map((s) => [s.context.timeSignature, s.read])).toEqual([
      [[4, 4], Array.from(encode(a).subarray(0, -1))],
      [[3, 4], Array.from(encode(b).subarray(0, -1))],
    ]);
  });

  it('skips pieces without notes and counts them', () => {
    const empty: Melody = { bpm: 120, timeSignature: [4, 4], notes: [] };
    const r = evaluateBitsPerNote(new UniformModel(), [
      { name: 'e', melody: empty },
      { name: 'b', melody: b },
    ]);
    expect({ pieces: r.pieces, skipped: r.skipped, notes: r.notes }).toEqual({
      pieces: 1,
      skipped: 1,
      notes: 2,
    });
  });

  it('names the piece whose melody cannot be encoded', () => {
    const bad: Melody = { bpm: 120, timeSignature: [4, 4], notes: [note(60, 0, 4), note(62, 2, 4)] };
    expect(() => evaluateBitsPerNote(new UniformModel(), [{ name: 'bad.mid', melody: bad }])).toThrow(
      'bad.mid: note 1: starts at step 2, before the previous note ends at step 4',
    );
  });

  it('names the piece and token when a model gives a token probability 0', () => {
    const zero: TokenModel = {
      name: 'zero-end',
      vocabSize: VOCAB_SIZE,
      begin: () => {
        const p = new Float64Array(VOCAB_SIZE).fill(1 / (VOCAB_SIZE - 1));
        p[0] = 0;
        const s: TokenStream = { probabilities: () => p, advance: () => {}, clone: () => s };
        return s;
      },
    };
    expect(() => tokenBits(zero, encode(b), [3, 4], 'b.mid')).toThrow(
      'b.mid: zero-end gives END (token 4) probability 0, so bits/note would be infinite',
    );
  });

  it('scores a real tune (the ashover1 fixture) token by token', () => {
    const { melody } = importMidi(
      new Uint8Array(fs.readFileSync(path.join(fixturesDir, 'nottingham-ashover1.mid'))),
      'ashover1.mid',
    );
    const bits = tokenBits(new UniformModel(), encode(melody), melody.timeSignature);
    expect(bits.length).toBe(encode(melody).length);
    expect(bits.every((x) => Math.abs(x - Math.log2(VOCAB_SIZE)) < 1e-12)).toBe(true);
  });
});

describe('engine/eval: the validation split by file', () => {
  it('uses FNV-1a of the base name (reference value of "a" is 0xe40c292c)', () => {
    expect(fnv1a32('a')).toBe(0xe40c292c);
  });

  it('decides by base name only, whatever the directory', () => {
    const names = Array.from({ length: 200 }, (_, i) => `tune${i}.mid`);
    for (const n of names) expect(isValidationFile(`/x/y/${n}`)).toBe(isValidationFile(n));
  });

  it('puts roughly the requested fraction in validation and keeps order', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `tune${i}.mid`);
    const { train, validation } = splitByFile(names, (n) => n);
    expect(validation.length / names.length).toBeGreaterThan(0.08);
    expect(validation.length / names.length).toBeLessThan(0.12);
    expect([...train, ...validation].sort()).toEqual([...names].sort());
    expect(validation).toEqual(names.filter((n) => isValidationFile(n)));
  });
});
