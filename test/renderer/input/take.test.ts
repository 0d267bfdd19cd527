import { describe, expect, it } from 'vitest';
import { quantizeTake, stepMs, Take } from '../../../renderer/lib/input/take';

// 120 bpm: a 16th is 125 ms. The take's step 0 is at 1000 ms.
const timing = { origin: 1000, stepMs: stepMs(120), grid: 2 };
const played = (pitch: number, on: number, off: number, velocity = 100) => ({ pitch, velocity, on, off });

describe('quantizing a real-time take', () => {
  it('is 125 ms a 16th at 120 bpm', () => {
    expect(stepMs(120)).toBe(125);
  });

  it('moves onsets and ends to the nearest grid line', () => {
    // An 8th grid (250 ms): on at 1030 → step 0, off at 1240 → step 2; on at 1480 → step 4, off at 1990 → step 8.
    expect(quantizeTake([played(60, 1030, 1240), played(62, 1480, 1990, 70)], timing)).toEqual([
      { pitch: 60, start: 0, duration: 2, velocity: 100 },
      { pitch: 62, start: 4, duration: 4, velocity: 70 },
    ]);
  });

  it('makes a very short note one grid cell long', () => {
    expect(quantizeTake([played(64, 1500, 1510)], timing)).toEqual([
      { pitch: 64, start: 4, duration: 2, velocity: 100 },
    ]);
  });

  it('keeps a note played just before the downbeat, on the downbeat, and leaves out earlier ones', () => {
    expect(
      quantizeTake([played(60, 500, 700), played(62, 900, 1200)], timing).map((n) => [n.pitch, n.start]),
    ).toEqual([[62, 0]]);
  });

  it('sorts the notes by onset, whatever order they ended in', () => {
    const notes = quantizeTake([played(67, 1500, 1700), played(60, 1000, 2000)], { ...timing, grid: 1 });
    expect(notes.map((n) => n.pitch)).toEqual([60, 67]);
  });
});

describe('a take being recorded', () => {
  it('pairs each release with its source’s press and ends notes still held when it finishes', () => {
    const take = new Take(timing);
    take.press('key:KeyA', 60, 90, 1000);
    take.press('midi:k:64', 64, 70, 1500);
    take.release('key:KeyA', 1240);
    expect(take.finished).toBe(1);
    expect(take.finish(2000)).toEqual([
      { pitch: 60, start: 0, duration: 2, velocity: 90 },
      { pitch: 64, start: 4, duration: 4, velocity: 70 },
    ]);
  });

  it('ends a source’s note when the same source presses again', () => {
    const take = new Take(timing);
    take.press('key:KeyA', 60, 90, 1000);
    take.press('key:KeyA', 62, 90, 1250);
    expect(take.finish(1500).map((n) => [n.pitch, n.start, n.duration])).toEqual([
      [60, 0, 2],
      [62, 2, 2],
    ]);
  });

  it('ignores a release without a press', () => {
    const take = new Take(timing);
    take.release('key:KeyA', 1200);
    expect(take.finish(1300)).toEqual([]);
  });
});
