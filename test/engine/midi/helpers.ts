import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { isMidiFileName } from '../../../engine/midi/file-names.js';
import { MidiError, type Melody } from '../../../engine/midi/index.js';
import { fixturesDir } from '../../helpers/shared.js';

export const awkwardFixturesDir = path.join(fixturesDir, 'midi-awkward');

export function readBytes(file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(file));
}

export function fixture(name: string): Uint8Array {
  return readBytes(path.join(fixturesDir, name));
}

export function awkwardFixture(name: string): Uint8Array {
  return readBytes(path.join(awkwardFixturesDir, name));
}

export function midiFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter(isMidiFileName).sort();
}

/** Runs `fn` and returns the MidiError it throws; fails the test if it throws anything else or nothing. */
export function midiErrorOf(fn: () => unknown): MidiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MidiError);
    return error as MidiError;
  }
  throw new Error('expected a MidiError, but nothing was thrown');
}

/** Every promise Melody makes in types.ts that `melody` breaks: sorted, non-overlapping, whole steps, ranges. */
export function melodyProblems(melody: Melody): string[] {
  const problems: string[] = [];
  if (melody.notes.length === 0) problems.push('no notes');
  if (!(Number.isFinite(melody.bpm) && melody.bpm > 0)) problems.push(`bpm ${melody.bpm}`);
  if (!melody.timeSignature.every((x) => Number.isInteger(x) && x > 0))
    problems.push(`time signature ${melody.timeSignature.join('/')}`);
  let previousEnd = 0;
  melody.notes.forEach((n, i) => {
    if (!(Number.isInteger(n.start) && n.start >= previousEnd))
      problems.push(`note ${i} starts at ${n.start}, before ${previousEnd}`);
    if (!(Number.isInteger(n.duration) && n.duration >= 1)) problems.push(`note ${i} lasts ${n.duration}`);
    if (!(Number.isInteger(n.pitch) && n.pitch >= 0 && n.pitch <= 127))
      problems.push(`note ${i} pitch ${n.pitch}`);
    if (!(Number.isInteger(n.velocity) && n.velocity >= 1 && n.velocity <= 127))
      problems.push(`note ${i} velocity ${n.velocity}`);
    previousEnd = n.start + n.duration;
  });
  return problems;
}
