/**
 * Melody → Standard MIDI File bytes: format 0, one track holding the name, tempo, time signature
 * and the notes with their velocities. Steps are written at WRITE_PPQ / STEPS_PER_QUARTER ticks, so
 * reading the file back quantizes every note to exactly the step it came from.
 */
import { encodeVlq } from './prepass.js';
import { STEPS_PER_QUARTER, type Melody } from './types.js';

export const WRITE_PPQ = 480;
const TICKS_PER_STEP = WRITE_PPQ / STEPS_PER_QUARTER;

function checkMelody(melody: Melody): void {
  const [numerator, denominator] = melody.timeSignature;
  if (!(melody.bpm > 0) || !Number.isFinite(melody.bpm))
    throw new RangeError(`melody tempo ${melody.bpm} bpm is not a positive number`);
  if (!Number.isInteger(numerator) || numerator < 1 || numerator > 255) {
    throw new RangeError(`time signature numerator ${numerator} is not 1..255`);
  }
  if (!Number.isInteger(Math.log2(denominator)) || denominator < 1 || denominator > 64) {
    throw new RangeError(`time signature denominator ${denominator} is not a power of two up to 64`);
  }
  let previousEnd = 0;
  melody.notes.forEach((n, i) => {
    const where = `note ${i} (pitch ${n.pitch}, start ${n.start})`;
    if (!Number.isInteger(n.pitch) || n.pitch < 0 || n.pitch > 127)
      throw new RangeError(`${where}: pitch is not 0..127`);
    if (!Number.isInteger(n.velocity) || n.velocity < 1 || n.velocity > 127)
      throw new RangeError(`${where}: velocity is not 1..127`);
    if (!Number.isInteger(n.start) || n.start < 0) throw new RangeError(`${where}: start is not a step ≥ 0`);
    if (!Number.isInteger(n.duration) || n.duration < 1)
      throw new RangeError(`${where}: duration is not a whole number of steps ≥ 1`);
    if (n.start < previousEnd) throw new RangeError(`${where}: overlaps the note before it`);
    previousEnd = n.start + n.duration;
  });
}

export function melodyToMidi(melody: Melody, options: { name: string }): Uint8Array {
  checkMelody(melody);
  const events: { tick: number; order: number; bytes: number[] }[] = [];
  const name = Array.from(new TextEncoder().encode(options.name));
  const microsPerQuarter = Math.min(0xffffff, Math.max(1, Math.round(60_000_000 / melody.bpm)));
  const [numerator, denominator] = melody.timeSignature;
  events.push({ tick: 0, order: 0, bytes: [0xff, 0x03, ...encodeVlq(name.length), ...name] });
  events.push({
    tick: 0,
    order: 0,
    bytes: [
      0xff,
      0x51,
      0x03,
      (microsPerQuarter >> 16) & 0xff,
      (microsPerQuarter >> 8) & 0xff,
      microsPerQuarter & 0xff,
    ],
  });
  events.push({ tick: 0, order: 0, bytes: [0xff, 0x58, 0x04, numerator, Math.log2(denominator), 24, 8] });
  events.push({ tick: 0, order: 0, bytes: [0xc0, 0x00] });
  for (const n of melody.notes) {
    // At a shared tick the note-off goes first, so a repeated pitch is released before it sounds again.
    events.push({ tick: n.start * TICKS_PER_STEP, order: 2, bytes: [0x90, n.pitch, n.velocity] });
    events.push({ tick: (n.start + n.duration) * TICKS_PER_STEP, order: 1, bytes: [0x80, n.pitch, 0x40] });
  }
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);

  const track: number[] = [];
  let last = 0;
  for (const e of events) {
    track.push(...encodeVlq(e.tick - last), ...e.bytes);
    last = e.tick;
  }
  track.push(0x00, 0xff, 0x2f, 0x00);

  const out = new Uint8Array(14 + 8 + track.length);
  out.set([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, WRITE_PPQ >> 8, WRITE_PPQ & 0xff], 0);
  const n = track.length;
  out.set([0x4d, 0x54, 0x72, 0x6b, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff], 14);
  out.set(track, 22);
  return out;
}
