/**
 * The whole app's state, composed from its parts; built once at startup with the API it talks to and
 * the audio loader it plays through (real ones in the page, doubles in tests).
 *
 * The seed document is the main view; an imported file is shown instead when the user picks one
 * (a source of seeds: its bars can be taken into the seed). Transport, export and the keyboard act
 * on what is shown.
 */
import type { AppInfo, ContinuoApi, Melody, Note } from '../../../app/contract/api';
import type { AudioLoader } from '../audio/audio-port';
import { toUploads, type Picked } from '../import/collect-files';
import { barBeat, cellStart } from '../piano-roll/geometry';
import { keyTarget } from '../input/computer-keyboard';
import { commandFor, type Command } from '../input/shortcuts';
import {
  addNote,
  deleteNotes,
  duplicateNotes,
  moveNotes,
  setVelocity,
  transposeNotes,
} from '../piano-roll/edits';
import type { Ghost } from '../piano-roll/ghosts';
import { RollView } from '../piano-roll/roll-view.svelte';
import { DocumentSession } from './autosave.svelte';
import { SeedDocument } from './document.svelte';
import { EditTools } from './edit-tools.svelte';
import { ExportState } from './export.svelte';
import { GenerationState, type GenerationResult } from './generation.svelte';
import { LibraryState, messageOf } from './library.svelte';
import { MidiState, type RequestMidiAccess } from './midi.svelte';
import { ModelOverlay } from './model-overlay.svelte';
import { ModelsState } from './models.svelte';
import { NoteInput } from './note-input.svelte';
import { PlayerState } from './player.svelte';
import { TrainingState } from './training.svelte';

/** What the workspace shows: the seed, an imported file, or a generated result being auditioned. */
export type Shown = 'seed' | 'file' | 'result';
/** The window's two sections: the seed (and what is made from it), and the library as a training set. */
export type Section = 'seed' | 'train';

/** The document's commands, which the session runs in turn (none is dropped while another runs). */
const DOCUMENT_COMMANDS: readonly Command['kind'][] = ['new', 'open', 'save'];

/** The name a seed is exported under. */
export const SEED_NAME = 'seed';

export class AppState {
  info = $state.raw<AppInfo | null>(null);
  /** Non-MIDI files left out of the last pick or drop. */
  ignored = $state.raw<string[]>([]);
  aboutOpen = $state(false);
  /** What the workspace shows: the seed being edited, or the imported file selected in the library. */
  shown = $state<Shown>('seed');
  section = $state<Section>('seed');
  /** The bars of an imported file last chosen to take into the seed (1-based, inclusive). */
  barRange = $state.raw({ from: 1, to: 4 });

  readonly api: ContinuoApi;
  readonly library: LibraryState;
  readonly player: PlayerState;
  readonly exports: ExportState;
  readonly document = new SeedDocument();
  readonly tools = new EditTools();
  readonly input: NoteInput;
  readonly midi: MidiState;
  readonly view = new RollView();
  /** What the model thinks of the seed: ghost notes at the cursor, surprise colours. */
  readonly overlay: ModelOverlay;
  /** The document as a file: autosaved, restored on start, saved and opened. */
  readonly session: DocumentSession;
  /** The Generate panel: settings, the running generation, the results. */
  readonly generation: GenerationState;
  readonly models: ModelsState;
  readonly training: TrainingState;

  /** The melody on screen: what Play plays and Export exports. */
  readonly shownMelody: Melody | null = $derived.by(() => {
    if (this.shown === 'seed') return this.document.melody;
    if (this.shown === 'result') return this.generation.currentResult?.melody ?? null;
    return this.library.selected?.melody ?? null;
  });

  readonly position = $derived.by(() => {
    const melody = this.shownMelody;
    return melody ? barBeat(this.player.playing ? this.player.position : 0, melody.timeSignature) : '–';
  });

  /** Pitches sounding now: held on a keyboard or MIDI device, or played back at the playhead. */
  readonly sounding: readonly number[] = $derived.by(() => {
    const held = this.input.sounding;
    const melody = this.shownMelody;
    if (!this.player.playing || !melody) return held;
    const at = this.player.position;
    const note = melody.notes.find((n) => n.start <= at && at < n.start + n.duration);
    return note && !held.includes(note.pitch) ? [...held, note.pitch] : held;
  });

  constructor(api: ContinuoApi, loadAudio: AudioLoader, requestMidi: RequestMidiAccess | null = null) {
    this.api = api;
    this.library = new LibraryState(api);
    this.player = new PlayerState(() => this.shownMelody, loadAudio);
    this.exports = new ExportState(api, () => this.info?.nativeDialogs ?? false);
    this.input = new NoteInput(this.document, this.tools, () => this.player.audio());
    this.midi = new MidiState(requestMidi, this.input);
    this.generation = new GenerationState(api);
    this.overlay = new ModelOverlay(
      api,
      () =>
        this.shown === 'seed'
          ? { melody: this.document.melody, cursor: this.document.cursor, noteLength: this.tools.noteLength }
          : null,
      {
        // A result on screen is coloured too (seed and continuation), by the same toggle.
        coloured: () =>
          this.shown === 'seed'
            ? this.document.melody
            : this.shown === 'result'
              ? (this.generation.currentResult?.melody ?? null)
              : null,
      },
    );
    this.session = new DocumentSession(
      api,
      { seed: this.document, generation: this.generation },
      { nativeDialogs: () => this.info?.nativeDialogs ?? false },
    );
    this.models = new ModelsState(
      api,
      () => this.info?.nativeDialogs ?? false,
      (models, activated) => this.generation.modelsChanged(models, activated),
    );
    this.training = new TrainingState({
      api,
      files: () => this.library.entries.flatMap((e) => (e.kind === 'file' ? [e.file] : [])),
      seed: () => this.document.melody,
      play: (melody) => this.player.playHeard(melody),
      models: this.models,
    });
  }

  /** Loads what the app needs at startup and listens to the host; returns the teardown. */
  start(): () => void {
    const disconnect = this.library.connect();
    // The desktop app's Edit menu (the browser host has none, and never sends this).
    const offMenu = this.api.on('menu.command', ({ command }) => this.run({ kind: command }));
    const stopOverlay = this.overlay.start();
    this.api.invoke('app.info', {}).then(
      (info) => (this.info = info),
      (error: unknown) => (this.library.notice = messageOf(error)),
    );
    void this.session.start();
    void this.generation.load();
    void this.models.load();
    void this.training.load();
    return () => {
      this.session.dispose();
      disconnect();
      this.generation.dispose();
      this.training.dispose();
      offMenu();
      stopOverlay();
      this.input.dispose();
      this.midi.dispose();
      this.player.dispose();
    };
  }

  #imports: Promise<void> = Promise.resolve();

  /** Imports one pick or drop and shows what it brought; a drop during an import waits its turn. */
  importPicked(picked: Picked): Promise<void> {
    this.#imports = this.#imports.then(async () => {
      this.ignored = picked.ignored;
      const uploads = await toUploads(picked.files);
      if (uploads.length > 0) this.#show('file');
      await this.library.importUploads(uploads);
    });
    return this.#imports;
  }

  /** Electron: main's open dialog imports what the user chose. */
  importWithDialog(folders: boolean): Promise<void> {
    this.#show('file');
    return this.library.importWithDialog(folders);
  }

  showFile(key: string): void {
    this.library.select(key);
    this.#show('file');
  }

  showSeed(): void {
    this.#show('seed');
  }

  /** Switches between Seed & Generate and Library & Train; notes entered stop with the seed out of sight. */
  showSection(section: Section): void {
    if (section === 'train') {
      this.input.stopRecording();
      this.input.stepEntry = false;
    }
    this.section = section;
  }

  #show(shown: Shown): void {
    if (shown === this.shown) return;
    if (shown !== 'seed') {
      // Notes entered while the seed is out of sight would change it unseen.
      this.input.stopRecording();
      this.input.stepEntry = false;
    }
    this.shown = shown;
  }

  /** A new, empty document, shown (the seed's clearing can be undone). */
  newDocument(): void {
    this.input.stopRecording();
    this.session.newDocument();
    this.#show('seed');
  }

  /** Opens a document file (a dialog or the page's picker) and shows it; a bad file changes nothing. */
  async openDocument(): Promise<void> {
    this.input.stopRecording();
    if (await this.session.open()) this.#show('seed');
  }

  saveDocument(): Promise<boolean> {
    return this.session.save();
  }

  /** Bars of the selected file into the seed, then shows the seed. */
  useBars(fromBar: number, toBar: number, mode: 'replace' | 'append'): void {
    const file = this.library.selected;
    if (!file) return;
    this.document.useBars(file.melody, fromBar, toBar, mode);
    this.#show('seed');
  }

  // ---- generation

  /** Continues the seed with the Generate panel's settings (a newer click supersedes a running one). */
  generate(): Promise<void> {
    return this.generation.generate(this.document.melody);
  }

  /** Shows a result in the roll (its continuation highlighted) and plays it from the start. */
  audition(key: string): Promise<void> {
    this.generation.audition(key);
    this.#show('result');
    return this.player.play(0);
  }

  /** A/B: the other of the last two auditioned results, from where playback is (or the start). */
  compare(): Promise<void> {
    const at = this.player.playing ? this.player.position : 0;
    const wasPlaying = this.player.playing;
    if (!this.generation.swap()) return Promise.resolve();
    this.#show('result');
    return wasPlaying ? this.player.play(at) : Promise.resolve();
  }

  /** "Keep": the result becomes the seed (one undo step), shown in the editor to continue from. */
  keep(result: GenerationResult): void {
    this.input.stopRecording();
    this.document.replaceWith(result.melody);
    this.#show('seed');
  }

  /** The name a shown result is exported under. */
  resultName(result: GenerationResult): string {
    return `${SEED_NAME} + variation ${result.label.replace(/[^0-9A-Za-z–-]+/g, ' ').trim()}`;
  }

  setBpm(bpm: number): void {
    if (this.shown === 'seed') this.document.setBpm(bpm);
    else this.player.setBpm(bpm);
  }

  /** Plays what is shown; the seed from the cursor when the cursor is inside it. */
  play(): Promise<void> {
    if (this.player.playing) {
      this.player.stop();
      return Promise.resolve();
    }
    const melody = this.shownMelody;
    const last = melody?.notes.at(-1);
    const from = this.shown === 'seed' && last && this.document.cursor < last.start + last.duration;
    return this.player.play(from ? this.document.cursor : 0);
  }

  /** A click on the ruler: in the seed it moves the cursor (and playback, if playing); in a file it plays from there. */
  seek(step: number): void {
    if (this.shown === 'file') {
      void this.player.play(step);
      return;
    }
    this.document.cursor = step;
    if (this.player.playing) void this.player.play(step);
  }

  /** Where a paste lands: the playhead while playing (on the grid), otherwise the cursor. */
  get pasteStep(): number {
    if (this.player.playing) return cellStart(this.player.position, this.tools.grid);
    return this.document.cursor;
  }

  /**
   * The model's suggestion `ghost` entered at the cursor with the note length tool's duration (one
   * undo step, like any edit), from the list of the most likely next notes; then as `ghostEntered`.
   */
  enterGhost(ghost: Ghost): void {
    if (this.shown !== 'seed') return;
    const note = {
      pitch: ghost.pitch,
      start: ghost.start,
      duration: this.tools.noteLength,
      velocity: this.tools.velocity,
    };
    this.document.editor.edit((notes) => addNote(notes, note));
    this.input.preview(note.pitch, note.velocity);
    this.ghostEntered(note);
  }

  /**
   * A ghost note was entered (in the roll, which sounded it as it was pressed): the cursor moves
   * past it, and the model's next suggestions follow it there.
   */
  ghostEntered(note: Note): void {
    this.document.cursor = note.start + note.duration;
  }

  /** Sets the velocity of the selected notes, or of notes added from now on when none is selected. */
  setVelocity(velocity: number): void {
    const v = Math.round(Math.min(127, Math.max(1, velocity)));
    if (!Number.isFinite(v)) return;
    const editor = this.document.editor;
    if (editor.selection.length > 0) editor.edit((notes, selection) => setVelocity(notes, selection, v));
    else this.tools.velocity = v;
  }

  // ---- the keyboard

  keyDown(event: KeyboardEvent): void {
    const command = commandFor(event, {
      target: keyTarget(event.target),
      stepEntry: this.input.stepEntry && this.shown === 'seed' && this.section === 'seed',
      octave: this.input.octave,
    });
    if (!command || !this.#applies(command)) return;
    // Nothing is edited before the last document is back (it would be replaced by it); New, Open
    // and Save wait for it in the session instead.
    if (this.session.phase === 'restoring' && !DOCUMENT_COMMANDS.includes(command.kind)) return;
    event.preventDefault();
    this.run(command, `key:${event.code}`, event.timeStamp);
  }

  keyUp(event: KeyboardEvent): void {
    this.input.release(`key:${event.code}`, event.timeStamp);
  }

  /** The window lost focus: a key released meanwhile would never be heard of. */
  blur(): void {
    this.input.releaseAll('key:');
  }

  /** Edits act on the seed only; playing notes, the octave, play/stop and Escape work everywhere. */
  #applies(command: Command): boolean {
    if (this.shown === 'seed' && this.section === 'seed') return true;
    return ['note', 'octave', 'playStop', 'escape', 'compare', ...DOCUMENT_COMMANDS].includes(command.kind);
  }

  /** Carries out a command; a note comes from `source` at `time` (the event's, for recording). */
  run(command: Command, source = 'command', time?: number): void {
    const doc = this.document;
    const editor = doc.editor;
    switch (command.kind) {
      case 'undo':
        return editor.undo();
      case 'redo':
        return editor.redo();
      case 'copy':
        return editor.copy();
      case 'cut':
        return editor.cut();
      case 'paste':
        return editor.paste(this.pasteStep);
      case 'duplicate':
        return editor.edit(duplicateNotes);
      case 'selectAll':
        return editor.select(editor.notes.map((_, i) => i));
      case 'delete':
        return editor.edit(deleteNotes);
      case 'removeLastEntry':
        return this.input.removeLastEntry();
      case 'transpose': {
        editor.edit((notes, selection) => transposeNotes(notes, selection, command.semitones));
        const first = editor.selection[0];
        if (first !== undefined) this.input.preview(editor.notes[first].pitch, editor.notes[first].velocity);
        return;
      }
      case 'nudge': {
        const steps = command.cells * this.tools.grid;
        if (editor.selection.length > 0)
          editor.edit((notes, selection) => moveNotes(notes, selection, steps, 0));
        else doc.cursor = Math.max(0, cellStart(doc.cursor + steps, this.tools.grid));
        return;
      }
      case 'playStop':
        void this.play();
        return;
      case 'rest':
        return this.input.rest();
      case 'escape':
        if (this.input.phase !== 'idle') return this.input.stopRecording();
        if (editor.gestureActive) return editor.cancelGesture();
        return editor.select([]);
      case 'octave':
        return this.input.shiftOctave(command.by);
      case 'note':
        return this.input.press(source, command.pitch, undefined, time);
      case 'new':
        return this.newDocument();
      case 'open':
        void this.openDocument();
        return;
      case 'save':
        void this.saveDocument();
        return;
      case 'compare':
        void this.compare();
        return;
    }
  }

  /** The name what is shown is exported under. */
  get #exportName(): string | undefined {
    if (this.shown === 'seed') return SEED_NAME;
    if (this.shown === 'result') {
      const result = this.generation.currentResult;
      return result ? this.resultName(result) : undefined;
    }
    return this.library.selected?.fileName;
  }

  async exportMidi(): Promise<void> {
    const melody = this.shown === 'file' ? this.player.exportMelody : this.shownMelody;
    const name = this.#exportName;
    if (melody && name) await this.exports.midi(name, melody);
  }

  /** A result (with its seed) exported as MIDI from its card in the results list. */
  async exportResult(result: GenerationResult): Promise<void> {
    await this.exports.midi(this.resultName(result), result.melody);
  }

  /** Only Electron can hand a file to the operating system's drag; the browser host exports instead. */
  get canDragOut(): boolean {
    return this.info?.host === 'electron';
  }

  async dragOut(result: GenerationResult): Promise<void> {
    await this.exports.dragOut(this.resultName(result), result.melody);
  }

  async exportWav(): Promise<void> {
    const name = this.#exportName;
    if (name) await this.exports.wav(name, () => this.player.renderWav());
  }
}
