import { describe, expect, it } from 'vitest';
import { SeedDocument } from '../../renderer/lib/state/document.svelte';
import { EditTools } from '../../renderer/lib/state/edit-tools.svelte';
import { COUNT_IN_LEAD_MS, NoteInput } from '../../renderer/lib/state/note-input.svelte';
import { RecordingPort } from './recording-port';

function setup() {
  const doc = new SeedDocument();
  const tools = new EditTools();
  const port = new RecordingPort();
  let now = 10_000;
  const timers: { at: number; fn: () => void }[] = [];
  const input = new NoteInput(doc, tools, async () => port, {
    now: () => now,
    later: (fn, ms) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
  });
  const advance = (to: number) => {
    now = to;
    for (const t of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { doc, tools, port, input, advance, settle, time: () => now };
}

const notesOf = (doc: SeedDocument) => doc.melody.notes.map((n) => [n.pitch, n.start, n.duration]);

describe('playing notes in', () => {
  it('sounds a note from its press to its release and shows it as sounding meanwhile', async () => {
    const { input, port, settle } = setup();
    input.press('key:KeyA', 60, 90);
    expect(input.sounding).toEqual([60]);
    input.release('key:KeyA');
    await settle();
    expect([port.log, input.sounding]).toEqual([['on 60 90', 'off 60'], []]);
  });

  it('releases the pitch a key pressed, even after the octave changed', async () => {
    const { input, port, settle } = setup();
    input.press('key:KeyA', 60, 90);
    input.shiftOctave(1);
    input.release('key:KeyA');
    await settle();
    expect(port.log).toEqual(['on 60 90', 'off 60']);
  });

  it('keeps a pitch sounding while another source still holds it', async () => {
    const { input, port, settle } = setup();
    input.press('key:KeyA', 60, 90);
    input.press('midi:k:60', 60, 50);
    input.release('key:KeyA');
    await settle();
    expect([port.log, input.sounding]).toEqual([['on 60 90', 'on 60 50'], [60]]);
  });

  it('keeps the octave within the keyboard', () => {
    const { input } = setup();
    for (let i = 0; i < 12; i++) input.shiftOctave(1);
    expect(input.octave).toBe(8);
  });

  it('adds nothing to the seed outside step entry and recording', () => {
    const { input, doc } = setup();
    input.press('key:KeyA', 60, 90);
    input.release('key:KeyA');
    expect(doc.melody.notes).toEqual([]);
  });
});

describe('step entry', () => {
  it('adds a note of the chosen length at the cursor for each press and advances the cursor', () => {
    const { input, doc, tools } = setup();
    input.stepEntry = true;
    tools.noteLength = 4;
    input.press('key:KeyA', 60);
    input.press('key:KeyS', 62);
    tools.noteLength = 8;
    input.press('key:KeyD', 64);
    expect([notesOf(doc), doc.cursor]).toEqual([
      [
        [60, 0, 4],
        [62, 4, 4],
        [64, 8, 8],
      ],
      16,
    ]);
  });

  it('gives entered notes the velocity they were played with, or the tools’ velocity', () => {
    const { input, doc, tools } = setup();
    input.stepEntry = true;
    tools.velocity = 70;
    input.press('key:KeyA', 60);
    input.press('midi:k:62', 62, 110);
    expect(doc.melody.notes.map((n) => n.velocity)).toEqual([70, 110]);
  });

  it('advances the cursor without a note for a rest', () => {
    const { input, doc } = setup();
    input.stepEntry = true;
    input.press('key:KeyA', 60);
    input.rest();
    input.press('key:KeyS', 62);
    expect(notesOf(doc)).toEqual([
      [60, 0, 4],
      [62, 8, 4],
    ]);
  });

  it('takes back the last entries with Backspace, notes and rests, moving the cursor back', () => {
    const { input, doc } = setup();
    input.stepEntry = true;
    input.press('key:KeyA', 60);
    input.press('key:KeyS', 62);
    input.rest();
    input.removeLastEntry();
    expect([notesOf(doc), doc.cursor]).toEqual([
      [
        [60, 0, 4],
        [62, 4, 4],
      ],
      8,
    ]);
    input.removeLastEntry();
    expect([notesOf(doc), doc.cursor]).toEqual([[[60, 0, 4]], 4]);
  });

  it('removes the last note before the cursor when the cursor was moved since the entries', () => {
    const { input, doc } = setup();
    input.stepEntry = true;
    input.press('key:KeyA', 60);
    input.press('key:KeyS', 62);
    doc.cursor = 6;
    input.removeLastEntry();
    expect([notesOf(doc), doc.cursor]).toEqual([[[60, 0, 4]], 4]);
  });

  it('makes each entered note one undo step', () => {
    const { input, doc } = setup();
    input.stepEntry = true;
    input.press('key:KeyA', 60);
    input.press('key:KeyS', 62);
    doc.editor.undo();
    expect(notesOf(doc)).toEqual([[60, 0, 4]]);
  });
});

describe('real-time recording', () => {
  // 120 bpm in 4/4: a 16th is 125 ms, the count-in bar 2000 ms.
  async function recording() {
    const s = setup();
    s.tools.snapSteps = 2;
    await s.input.startRecording();
    return { ...s, origin: s.time() + COUNT_IN_LEAD_MS + 2000 };
  }

  it('counts in one bar with the metronome clicking from the first beat, then records', async () => {
    const { input, port, advance, origin, time } = await recording();
    expect([input.phase, port.metronome, input.takeOrigin]).toEqual([
      'count-in',
      { bpm: 120, timeSignature: [4, 4], atMs: time() + COUNT_IN_LEAD_MS },
      origin,
    ]);
    advance(origin);
    expect(input.phase).toBe('recording');
  });

  it('quantizes the take to the grid and adds it at the cursor’s bar as one undo step', async () => {
    const { input, doc, advance, origin } = await recording();
    advance(origin);
    input.press('key:KeyA', 60, 90, origin + 20);
    input.release('key:KeyA', origin + 230);
    input.press('key:KeyD', 64, 90, origin + 510);
    input.release('key:KeyD', origin + 980);
    advance(origin + 1200);
    input.stopRecording();
    expect([notesOf(doc), input.phase]).toEqual([
      [
        [60, 0, 2],
        [64, 4, 4],
      ],
      'idle',
    ]);
    doc.editor.undo();
    expect(doc.melody.notes).toEqual([]);
  });

  it('ends notes still held when recording stops, and stops the metronome', async () => {
    const { input, doc, port, advance, origin, settle } = await recording();
    advance(origin);
    input.press('key:KeyA', 60, 90, origin);
    input.stopRecording(origin + 1000);
    await settle();
    expect([notesOf(doc), port.metronome]).toEqual([[[60, 0, 8]], null]);
  });

  it('places the take from the bar line at the cursor, keeping the seed before it', async () => {
    const s = setup();
    s.input.stepEntry = true;
    s.input.press('key:KeyA', 67);
    s.input.stepEntry = false;
    s.doc.cursor = 20; // inside bar 2
    await s.input.startRecording();
    const origin = s.time() + COUNT_IN_LEAD_MS + 2000;
    s.input.press('key:KeyA', 60, 90, origin);
    s.input.release('key:KeyA', origin + 250);
    s.input.stopRecording(origin + 500);
    expect([notesOf(s.doc), s.doc.cursor]).toEqual([
      [
        [67, 0, 4],
        [60, 16, 2],
      ],
      18,
    ]);
  });

  it('does not step-enter while recording', async () => {
    const { input, doc, origin, advance } = await recording();
    input.stepEntry = true;
    advance(origin);
    input.press('key:KeyA', 60, 90, origin);
    expect(doc.melody.notes).toEqual([]);
  });

  it('adds nothing when nothing was played', async () => {
    const { input, doc } = await recording();
    input.stopRecording();
    expect(doc.editor.canUndo).toBe(false);
  });
});
