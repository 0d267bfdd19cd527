/**
 * The window's document as one file: composed from its parts (the seed now; the Generate panel's
 * settings and results once it is connected), autosaved after every change, restored on start
 * before the user can edit, and saved, opened and started afresh on request.
 *
 * Each part is a `DocumentPart`: plain data out (`toData`), plain data in (`restore`), and a
 * `revision` that changes whenever its data does. The session watches the revisions (the one
 * effect here is that subscription, torn down by `dispose`) and autosaves `delayMs` after the last
 * change, and at once when the page is hidden or closed (best effort: the page may go before the
 * host has it; the previous autosave is then what is restored, never nothing).
 *
 * Connecting the Generate panel is one line where the session is built (app.svelte.ts):
 * `generation: this.generation` — its `toData`/`restore` take a `GenerationPart`. Until then a
 * document's generation part is carried through untouched, so a file saved with results by a newer
 * window keeps them when this one autosaves it.
 *
 * A failed Open changes nothing: the message names the file and the problem, the document stays.
 */
import type {
  ContinuoApi,
  ContinuoDocument,
  GenerationPart,
  OpenedDocument,
  SeedPart,
} from '../../../app/contract/api';
import { untrack } from 'svelte';
import { download } from '../api/save';
import { pickFile } from '../api/open-file';
import { messageOf } from './library.svelte';

/** One part of the document, giving and taking its own plain data. */
export interface DocumentPart<T> {
  toData(): T;
  /** Takes data read from a file or an autosave (checked against the contract's schema by the host). */
  restore(data: T): void;
  /** Changes whenever what `toData()` returns changes. */
  readonly revision: number;
}

export interface DocumentParts {
  /** The seed editor; New clears it as one undo step. */
  seed: DocumentPart<SeedPart> & { clear(): void };
  /** The Generate panel's settings and results; null while it is not connected. */
  generation: DocumentPart<GenerationPart> | null;
}

/** The document file's extension (app/services/documents.ts DOCUMENT_EXTENSION), for the picker. */
export const DOCUMENT_EXTENSION = '.continuo-doc';
/** What the download is labelled as: the file is JSON. */
const DOCUMENT_MIME = 'application/json';

export interface SessionOptions {
  /** Electron's native dialogs (true) or the page's picker and downloads (false); asked at each use. */
  nativeDialogs: () => boolean;
  /** Quiet time after the last change before it is autosaved. */
  delayMs?: number;
  /** Where page hide and close are heard; the window by default (none in plain Node tests). */
  page?: EventTarget | null;
  /** Asks the user for a document file (browser host); the page's file picker by default. */
  chooseFile?: () => Promise<File | null>;
}

export type SessionPhase = 'idle' | 'restoring' | 'ready' | 'unrestored';

export class DocumentSession {
  /**
   * `idle` before `start`; `restoring` until the last autosave is back (the window shows no editor
   * then); `ready`; or `unrestored` when the host could not be asked, in which case nothing is
   * autosaved, so the last autosave stays as it was for the next start.
   */
  phase = $state<SessionPhase>('idle');
  /** The file last saved or opened (its base name), or null for a document never saved. */
  fileName = $state<string | null>(null);
  /** What the user should know about the document: a restore from the backup, a failed open or save. */
  message = $state.raw<{ text: string; error: boolean } | null>(null);
  /** True while a change waits for its autosave (or the last autosave failed). */
  unsaved = $state(false);
  /** Autosaves written this session (for the status line and tests). */
  autosaves = $state(0);
  busy = $state<'save' | 'open' | null>(null);

  /** The window's title: the document's name, and the app's. */
  readonly title: string = $derived(`${this.fileName ?? 'Untitled'} — Continuo`);

  readonly #api: ContinuoApi;
  readonly #parts: DocumentParts;
  readonly #nativeDialogs: () => boolean;
  readonly #delayMs: number;
  readonly #page: EventTarget | null;
  readonly #chooseFile: () => Promise<File | null>;
  /** A document's generation part while no Generate panel is connected to take it. */
  #carried: GenerationPart | null = null;
  /** The revisions the last autosave wrote (or the restore read). */
  #savedKey = '';
  #timer: ReturnType<typeof setTimeout> | null = null;
  #writing: Promise<void> | null = null;
  #teardown: (() => void)[] = [];
  /**
   * Saves and opens, one at a time in the order asked and after the restore: a Save or Open asked
   * while another runs (or while the last document comes back) waits its turn, never dropped.
   */
  #turns: Promise<unknown> = Promise.resolve();

  constructor(api: ContinuoApi, parts: DocumentParts, options: SessionOptions) {
    this.#api = api;
    this.#parts = parts;
    this.#nativeDialogs = options.nativeDialogs;
    this.#delayMs = options.delayMs ?? 500;
    this.#page = options.page === undefined ? (typeof window === 'undefined' ? null : window) : options.page;
    this.#chooseFile = options.chooseFile ?? (() => pickFile(`${DOCUMENT_EXTENSION},${DOCUMENT_MIME}`));
  }

  /** Every part's revision, as one key that changes whenever the document does. */
  #key(): string {
    return `${this.#parts.seed.revision}:${this.#parts.generation?.revision ?? '-'}`;
  }

  /** The document as the file holds it. */
  toDocument(): ContinuoDocument {
    return {
      format: 'continuo-document',
      version: 1,
      seed: this.#parts.seed.toData(),
      generation: this.#parts.generation ? this.#parts.generation.toData() : this.#carried,
    };
  }

  /** Puts a document's data into the parts. A document without a generation part clears the results. */
  #load(document: ContinuoDocument): void {
    this.#parts.seed.restore(document.seed);
    const generation = this.#parts.generation;
    if (!generation) this.#carried = document.generation;
    else if (document.generation) generation.restore(document.generation);
    else generation.restore({ settings: generation.toData().settings, results: [] });
  }

  /**
   * Restores the last autosave, then autosaves every change. Resolves once the user can edit.
   * Untracked: a component's effect may call it, and must not come to depend on the phase it sets.
   */
  start(): Promise<void> {
    const started = untrack(() => this.#start());
    this.#turns = started;
    return started;
  }

  async #start(): Promise<void> {
    if (this.phase !== 'idle') return;
    this.phase = 'restoring';
    try {
      const restored = await this.#api.invoke('document.restore', {});
      if (this.phase !== 'restoring') return; // disposed meanwhile
      if (restored.document) this.#load(restored.document);
      if (restored.problem) this.message = { text: restored.problem, error: true };
      else if (restored.source === 'backup')
        this.message = {
          text: 'The last autosave was cut short; the one before it was restored.',
          error: false,
        };
    } catch (error) {
      if (this.phase !== 'restoring') return;
      this.phase = 'unrestored';
      this.message = {
        text: `The last document could not be restored (${messageOf(error)}); autosave is off, so it is kept for the next start.`,
        error: true,
      };
      return;
    }
    this.#savedKey = this.#key();
    this.phase = 'ready';
    this.#watch();
  }

  #watch(): void {
    const stop = $effect.root(() => {
      $effect(() => {
        if (this.#key() !== this.#savedKey) this.#schedule();
      });
    });
    this.#teardown.push(stop);
    if (this.#page) {
      const page = this.#page;
      const now = () => void this.flush();
      const hidden = () => {
        if (typeof document !== 'undefined' && document.visibilityState === 'hidden') now();
      };
      page.addEventListener('pagehide', now);
      page.addEventListener('beforeunload', now);
      page.addEventListener('visibilitychange', hidden);
      this.#teardown.push(() => {
        page.removeEventListener('pagehide', now);
        page.removeEventListener('beforeunload', now);
        page.removeEventListener('visibilitychange', hidden);
      });
    }
  }

  #schedule(): void {
    this.unsaved = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#delayMs);
  }

  /** Autosaves now what has changed since the last autosave; resolves when it is written (or failed). */
  async flush(): Promise<void> {
    if (this.phase !== 'ready') return;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#writing) await this.#writing;
    const key = this.#key();
    if (key === this.#savedKey) {
      this.unsaved = false;
      return;
    }
    this.#writing = this.#write(key);
    try {
      await this.#writing;
    } finally {
      this.#writing = null;
    }
  }

  async #write(key: string): Promise<void> {
    try {
      await this.#api.invoke('document.autosave', { document: this.toDocument() });
      this.#savedKey = key;
      this.autosaves++;
      if (this.message?.text.startsWith('Autosave failed')) this.message = null;
    } catch (error) {
      this.message = { text: `Autosave failed: ${messageOf(error)}`, error: true };
    }
    // A change made while this one was written gets its own autosave.
    const changed = this.#key() !== this.#savedKey;
    this.unsaved = changed;
    if (changed && this.#savedKey === key) this.#schedule();
  }

  /** The name a save suggests: the file's, or "seed" for a document never saved. */
  #name(): string {
    const name = this.fileName;
    return name ? name.replace(/\.continuo-doc$/, '') : 'seed';
  }

  /** Save (Electron: a native dialog; browser: a download). True when it was saved. */
  save(): Promise<boolean> {
    return this.#run('save', async () => {
      const document = this.toDocument();
      if (this.#nativeDialogs()) {
        const saved = await this.#api.invoke('document.save', { document, name: this.#name() });
        if (!saved.saved || saved.fileName === null) return null;
        this.fileName = saved.fileName;
        return `Saved ${saved.fileName}.`;
      }
      const { fileName, bytes } = await this.#api.invoke('document.encode', { document, name: this.#name() });
      download(fileName, bytes, DOCUMENT_MIME);
      this.fileName = fileName;
      return `Downloaded ${fileName}.`;
    });
  }

  /**
   * Open (Electron: a native dialog; browser: the page's file picker). True when a document was
   * opened; false when the user chose nothing or the file was refused (the message says why).
   */
  open(): Promise<boolean> {
    if (!this.#nativeDialogs()) {
      // The picker must open in the gesture's task, before anything is awaited; the file chosen
      // is read in its turn. A picker that never answers (a page may refuse to show one) holds up
      // no later Save or Open.
      return this.#chooseFile().then((file) =>
        file ? this.#run('open', async () => this.#opened(await this.#read(file))) : false,
      );
    }
    return this.#run('open', async () => {
      const { opened } = await this.#api.invoke('document.openDialog', {});
      return opened ? this.#opened(opened) : null;
    });
  }

  /** Opens a file the page was given (a picker, a drop); true when it was opened. */
  openFile(file: File): Promise<boolean> {
    return this.#run('open', async () => this.#opened(await this.#read(file)));
  }

  async #read(file: File): Promise<OpenedDocument> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return this.#api.invoke('document.read', { file: { name: file.name, bytes } });
  }

  #opened({ fileName, document }: OpenedDocument): string {
    this.#load(document);
    this.fileName = fileName;
    return `Opened ${fileName}.`;
  }

  /** A new, empty document: the seed cleared (undo brings it back), no results, untitled. */
  newDocument(): void {
    // Asked while the last document comes back: after it (it would replace the new one).
    if (this.phase === 'restoring') {
      void this.#turns.then(() => this.newDocument());
      return;
    }
    this.#parts.seed.clear();
    const generation = this.#parts.generation;
    if (generation) generation.restore({ settings: generation.toData().settings, results: [] });
    this.#carried = null;
    this.fileName = null;
    this.message = null;
  }

  dismissMessage(): void {
    this.message = null;
  }

  /** Runs `work` in its turn (see `#turns`); true when it did something (it returned a message). */
  #run(kind: 'save' | 'open', work: () => Promise<string | null>): Promise<boolean> {
    const turn = this.#turns.then(
      () => this.#work(kind, work),
      () => this.#work(kind, work),
    );
    this.#turns = turn;
    return turn;
  }

  async #work(kind: 'save' | 'open', work: () => Promise<string | null>): Promise<boolean> {
    this.busy = kind;
    try {
      const text = await work();
      if (text) this.message = { text, error: false };
      return text !== null;
    } catch (error) {
      // The document is as it was: nothing is loaded before the file has been read and checked.
      this.message = { text: messageOf(error), error: true };
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** Stops watching; a change not yet autosaved is sent now (best effort). */
  dispose(): void {
    untrack(() => {
      void this.flush();
      for (const teardown of this.#teardown.splice(0)) teardown();
      if (this.phase === 'restoring') this.phase = 'idle';
    });
  }
}
