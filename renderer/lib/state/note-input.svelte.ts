/**
 * Notes played in: from the computer keyboard, the on-screen keyboard and MIDI devices alike. Each
 * press sounds the note (until its release) and shows on the on-screen keyboard; in step entry it
 * also adds a note of the chosen length at the cursor and advances the cursor; during a real-time
 * recording it becomes part of the take, which joins the seed as one undo step when recording stops.
 *
 * A press is keyed by its source ("key:KeyA", "midi:<device>:60", "screen:60"), so a release finds
 * the pitch it pressed even after the octave changed, and one source cannot hold a pitch twice.
 *
 * Recording: a one-bar count-in with the metronome, then the take runs from the bar line at the
 * cursor (so the metronome's accents fall on the seed's bars) until stopped; the metronome goes on
 * throughout. Times are milliseconds on the clock of the events (performance.now()).
 */
import type { Note } from '../../../app/contract/api';
import { barStart, barSteps } from '../../../engine/time';
import type { AudioPort } from '../audio/audio-port';
import { clampOctave, DEFAULT_OCTAVE } from '../input/computer-keyboard';
import { stepMs, Take } from '../input/take';
import { addNote, deleteNotes, pasteNotes } from '../piano-roll/edits';
import type { SeedDocument } from './document.svelte';
import type { EditTools } from './edit-tools.svelte';

/** Time between pressing Record and the first click, so the click can be scheduled ahead. */
export const COUNT_IN_LEAD_MS = 80;

export type RecordPhase = 'idle' | 'count-in' | 'recording';

export interface NoteInputOptions {
  now?: () => number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  later?: (fn: () => void, ms: number) => () => void;
}

/** One step entry: a note (or a rest when null) entered at `start`. */
interface Entry {
  start: number;
  note: Note | null;
}

export class NoteInput {
  octave = $state(DEFAULT_OCTAVE);
  stepEntry = $state(false);
  /** Which source holds which pitch down right now. */
  held = $state.raw<Readonly<Record<string, number>>>({});
  /** The pitches held, each once, ascending. */
  readonly sounding: readonly number[] = $derived(
    Object.values(this.held)
      .filter((pitch, i, all) => all.indexOf(pitch) === i)
      .sort((a, b) => a - b),
  );
  phase = $state<RecordPhase>('idle');
  /** The take's step 0 on the event clock, while recording (what a test or a count-in display reads). */
  takeOrigin = $state<number | null>(null);
  /** Notes finished in the current take so far. */
  takeNotes = $state(0);

  readonly #doc: SeedDocument;
  readonly #tools: EditTools;
  readonly #audio: () => Promise<AudioPort>;
  readonly #now: () => number;
  readonly #later: (fn: () => void, ms: number) => () => void;
  /** The take being recorded, and the step of the seed where its step 0 lands. */
  #take: { take: Take; at: number } | null = null;
  #cancelCountIn: (() => void) | null = null;
  #entries: Entry[] = [];
  /** Where step entry left the cursor; a cursor moved elsewhere starts a new run of entries. */
  #entryCursor: number | null = null;

  constructor(
    doc: SeedDocument,
    tools: EditTools,
    audio: () => Promise<AudioPort>,
    options: NoteInputOptions = {},
  ) {
    this.#doc = doc;
    this.#tools = tools;
    this.#audio = audio;
    this.#now = options.now ?? (() => performance.now());
    this.#later =
      options.later ??
      ((fn, ms) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      });
  }

  shiftOctave(by: number): void {
    this.octave = clampOctave(this.octave + by);
  }

  press(source: string, pitch: number, velocity = this.#tools.velocity, time = this.#now()): void {
    if (source in this.held) this.release(source, time);
    this.held = { ...this.held, [source]: pitch };
    void this.#sound((port) => port.noteOn(pitch, velocity));
    if (this.#take) this.#take.take.press(source, pitch, velocity, time);
    else if (this.stepEntry) this.#enter(pitch, velocity);
  }

  release(source: string, time = this.#now()): void {
    if (!(source in this.held)) return;
    const { [source]: pitch, ...held } = this.held;
    this.held = held;
    // Another source may still hold the same pitch (a MIDI key and a computer key): keep it sounding.
    if (!Object.values(held).includes(pitch)) void this.#sound((port) => port.noteOff(pitch));
    if (this.#take) {
      this.#take.take.release(source, time);
      this.takeNotes = this.#take.take.finished;
    }
  }

  /** Lets go of everything held (the window lost focus, a device went away). */
  releaseAll(prefix = ''): void {
    for (const source of Object.keys(this.held)) if (source.startsWith(prefix)) this.release(source);
  }

  /** A short note for an edit in the roll: "editing a note plays it". */
  preview(pitch: number, velocity: number): void {
    void this.#sound((port) => port.audition(pitch, velocity));
  }

  #sound(play: (port: AudioPort) => unknown): Promise<void> {
    // A piano that failed to load is reported by the player; a note simply does not sound.
    return this.#audio().then(play, () => undefined) as Promise<void>;
  }

  // ---- step entry

  #entriesHere(): Entry[] {
    if (this.#entryCursor !== this.#doc.cursor) this.#entries = [];
    return this.#entries;
  }

  #enter(pitch: number, velocity: number): void {
    const entries = this.#entriesHere();
    const start = this.#doc.cursor;
    const note = { pitch, start, duration: this.#tools.noteLength, velocity };
    this.#doc.editor.edit((notes) => addNote(notes, note));
    entries.push({ start, note });
    this.#advance(start + note.duration);
  }

  /** Step entry's rest: the cursor moves on by the chosen length. */
  rest(): void {
    const entries = this.#entriesHere();
    const start = this.#doc.cursor;
    entries.push({ start, note: null });
    this.#advance(start + this.#tools.noteLength);
  }

  #advance(to: number): void {
    this.#doc.cursor = to;
    this.#entryCursor = to;
  }

  /**
   * Backspace in step entry: takes back the last note (or rest) entered, the cursor going back to
   * where it was entered. Without entries to take back (the cursor was moved), the last note that
   * starts before the cursor is removed instead.
   */
  removeLastEntry(): void {
    const editor = this.#doc.editor;
    const entry = this.#entriesHere().pop();
    const notes = editor.notes;
    let index: number;
    let to: number;
    if (entry) {
      index = entry.note
        ? notes.findIndex((n) => n.start === entry.start && n.pitch === entry.note?.pitch)
        : -1;
      to = entry.start;
    } else {
      index = notes.findLastIndex((n) => n.start < this.#doc.cursor);
      if (index < 0) return;
      to = notes[index].start;
    }
    if (index >= 0) editor.apply(deleteNotes(notes, [index]));
    this.#advance(to);
  }

  // ---- real-time recording

  /** Starts the count-in, then the take; the metronome clicks from the count-in's first beat. */
  async startRecording(): Promise<void> {
    if (this.phase !== 'idle') return;
    const { bpm, timeSignature } = this.#doc.meter;
    let port: AudioPort;
    try {
      port = await this.#audio();
    } catch {
      return;
    }
    if (this.phase !== 'idle') return;
    const first = this.#now() + COUNT_IN_LEAD_MS;
    const origin = first + barSteps(timeSignature) * stepMs(bpm);
    await port.startMetronome(bpm, timeSignature, first);
    this.#take = {
      take: new Take({ origin, stepMs: stepMs(bpm), grid: this.#tools.grid }),
      at: barStart(this.#doc.cursor, timeSignature),
    };
    this.takeOrigin = origin;
    this.takeNotes = 0;
    this.phase = 'count-in';
    this.#cancelCountIn = this.#later(
      () => {
        if (this.phase === 'count-in') this.phase = 'recording';
      },
      Math.max(0, origin - this.#now()),
    );
  }

  /** Stops the take: notes still held end now, and the take joins the seed as one undo step. */
  stopRecording(time = this.#now()): void {
    const recording = this.#take;
    if (!recording) return;
    this.#take = null;
    this.#cancelCountIn?.();
    this.#cancelCountIn = null;
    this.phase = 'idle';
    this.takeOrigin = null;
    void this.#audio().then(
      (port) => port.stopMetronome(),
      () => undefined,
    );
    const notes = recording.take.finish(time);
    if (notes.length === 0) return;
    const end = Math.max(...notes.map((n) => n.start + n.duration));
    this.#doc.editor.edit((seed) => pasteNotes(seed, { notes, length: end }, recording.at));
    this.#doc.cursor = recording.at + end;
  }

  toggleRecording(): Promise<void> {
    if (this.phase === 'idle') return this.startRecording();
    this.stopRecording();
    return Promise.resolve();
  }

  dispose(): void {
    this.stopRecording();
    this.releaseAll();
  }
}
