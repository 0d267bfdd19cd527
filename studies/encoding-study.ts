/**
 * How the token encoding was chosen (not a test: a reproducible measurement, run by hand).
 *
 *   node ../shared/bench/markov-baseline/extract.mjs ../shared/corpus/nottingham > /tmp/corpus.jsonl
 *   npm run study -- encoding-study /tmp/corpus.jsonl 20
 *
 * Three lossless encodings of the same notes are scored by PPM-C models (engine/memory/ppm.ts)
 * counted on the training files of engine/eval/split.ts and evaluated on its validation files,
 * for every maximum order 0..maxOrder; the best order per encoding is reported. Bits/note counts
 * every token of the piece (leading rest, notes, END), so the numbers are directly comparable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PpmCounts } from '../engine/memory/ppm.js';
import { isValidationFile } from '../engine/eval/split.js';
import { encode, VOCAB_SIZE } from '../engine/tokens/index.js';
import type { Melody } from '../engine/midi/types.js';

interface Candidate {
  name: string;
  vocabSize: number;
  encode(m: Melody): Int32Array;
}

/** [REST…] DUR… PITCH per note, END: the same tokens as engine/tokens, duration before pitch. */
const durationFirst: Candidate = {
  name: 'rest-duration-pitch',
  vocabSize: VOCAB_SIZE,
  encode(m) {
    const t = Array.from(encode(m));
    // swap each PITCH with the run of DUR tokens that follows it
    for (let i = 0; i < t.length; i++) {
      if (t[i] >= 33 && t[i] <= 160) {
        let j = i + 1;
        while (j < t.length && t[j] > 160) j++;
        const p = t[i];
        t.splice(i, j - i, ...t.slice(i + 1, j), p);
        i = j - 1;
      }
    }
    return Int32Array.from(t);
  },
};

/** One token per 16th step: PITCH_p at an onset, HOLD while it sounds, SILENT per silent step, END. */
const perStep: Candidate = {
  name: 'per-step (onset/hold/silent)',
  vocabSize: 131,
  encode(m) {
    const end = m.notes.length ? m.notes[m.notes.length - 1].start + m.notes[m.notes.length - 1].duration : 0;
    const t = new Int32Array(end + 1).fill(129); // SILENT
    for (const n of m.notes) {
      t[n.start] = n.pitch;
      for (let s = n.start + 1; s < n.start + n.duration; s++) t[s] = 128; // HOLD
    }
    t[end] = 130; // END
    return t;
  },
};

const restPitchDuration: Candidate = {
  name: 'rest-pitch-duration (engine/tokens)',
  vocabSize: VOCAB_SIZE,
  encode,
};

function load(file: string): { file: string; melody: Melody }[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as {
        file: string;
        timeSignature: [number, number];
        notes: { pitch: number; start: number; end: number }[];
      };
      return {
        file: r.file,
        melody: {
          bpm: 120,
          timeSignature: r.timeSignature,
          notes: r.notes.map((n) => ({
            pitch: n.pitch,
            start: n.start,
            duration: n.end - n.start,
            velocity: 80,
          })),
        },
      };
    });
}

function study(jsonl: string, maxOrder: number): void {
  const pieces = load(jsonl);
  const train = pieces.filter((p) => !isValidationFile(p.file));
  const valid = pieces.filter((p) => isValidationFile(p.file));
  const notes = valid.reduce((a, p) => a + p.melody.notes.length, 0);
  console.log(`train ${train.length} files, validation ${valid.length} files (${notes} notes)`);
  for (const c of [restPitchDuration, durationFirst, perStep]) {
    const model = new PpmCounts(c.vocabSize, maxOrder, 1 << 16);
    let trainTokens = 0;
    for (const p of train) {
      const t = c.encode(p.melody);
      trainTokens += t.length;
      model.addSequence(t);
    }
    const bits = new Float64Array(maxOrder + 1);
    const pr = new Float64Array(maxOrder + 1);
    let tokens = 0;
    for (const p of valid) {
      const t = c.encode(p.melody);
      tokens += t.length;
      for (let i = 0; i < t.length; i++) {
        model.probabilityAllOrders(t, i, pr);
        for (let k = 0; k <= maxOrder; k++) bits[k] -= Math.log2(pr[k]);
      }
    }
    let best = 0;
    for (let k = 1; k <= maxOrder; k++) if (bits[k] < bits[best]) best = k;
    const row = Array.from(bits, (b) => (b / notes).toFixed(3)).join(' ');
    console.log(
      `${c.name}: ${trainTokens} train tokens, ${(tokens / notes).toFixed(2)} tokens/note; best ${(bits[best] / notes).toFixed(3)} bits/note at order ${best}`,
    );
    console.log(`  by order 0..${maxOrder}: ${row}`);
  }
}

const jsonl = process.argv[2] ?? path.resolve('/tmp/corpus.jsonl');
study(jsonl, Number(process.argv[3] ?? 20));
