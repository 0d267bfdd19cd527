import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMidi } from '../../../engine/midi/index.js';
import type { Melody } from '../../../engine/midi/types.js';
import {
  countNotes,
  decode,
  encode,
  noteIndexPerToken,
  positionsInBar,
} from '../../../engine/tokens/index.js';
import { SKIP_NOTE, awkwardDir, corpusDir, fixturesDir, hasShared } from '../../helpers/shared.js';
import { isMidiError } from '../../../engine/midi/index.js';

const load = (file: string, name: string): Melody =>
  importMidi(new Uint8Array(fs.readFileSync(file)), name).melody;
const onNotes = (m: Melody) => m.notes.map((n) => [n.pitch, n.start, n.duration]);

function expectRoundTrip(m: Melody): void {
  const tokens = encode(m);
  const back = decode(tokens, m);
  expect(onNotes(back)).toEqual(onNotes(m));
  expect(countNotes(tokens)).toBe(m.notes.length);
  expect(noteIndexPerToken(tokens)[tokens.length - 1]).toBe(m.notes.length);
  expect(positionsInBar(tokens, m.timeSignature).length).toBe(tokens.length);
}

describe('engine/tokens: encode then decode is the identity on real tunes', () => {
  it('on the ashover1 fixture (3/4, leading rest)', () => {
    const m = load(path.join(fixturesDir, 'nottingham-ashover1.mid'), 'ashover1.mid');
    expect(m.notes.length).toBeGreaterThan(50);
    expect(m.notes[0].start).toBeGreaterThan(0);
    expectRoundTrip(m);
  });
});

describe.skipIf(!hasShared)(
  'engine/tokens: encode then decode is the identity on every corpus melody' + SKIP_NOTE,
  () => {
    it('on all Nottingham tunes', () => {
      const files = fs.readdirSync(corpusDir).filter((f) => /\.midi?$/i.test(f));
      expect(files.length).toBe(879);
      let notes = 0;
      for (const f of files) {
        const m = load(path.join(corpusDir, f), f);
        expectRoundTrip(m);
        notes += m.notes.length;
      }
      expect(notes).toBeGreaterThan(150000);
    });
  },
);

describe.skipIf(!hasShared)(
  'engine/tokens: encode then decode is the identity on awkward MIDI files' + SKIP_NOTE,
  () => {
    it('on every melody extracted from ../shared/midi-awkward (files that cannot be read are skipped by import)', () => {
      let melodies = 0;
      for (const f of fs.readdirSync(awkwardDir).filter((x) => /\.(midi?|kar|rmi)$/i.test(x))) {
        let m: Melody;
        try {
          m = load(path.join(awkwardDir, f), f);
        } catch (e) {
          expect(isMidiError(e)).toBe(true);
          continue;
        }
        expectRoundTrip(m);
        melodies++;
      }
      expect(melodies).toBeGreaterThan(20);
    });
  },
);
