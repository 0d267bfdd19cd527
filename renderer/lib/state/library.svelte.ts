/**
 * The imported files as the user sees them: in import order, each either a melody or a one-line
 * reason it could not be read; which one is selected; how far a long import has got.
 */
import type { ContinuoApi, FileUpload, ImportedFile, ImportOutcome } from '../../../app/contract/api';

export type LibraryEntry =
  | { kind: 'file'; key: string; file: ImportedFile }
  | { kind: 'failed'; key: string; fileName: string; error: string };

export interface ImportProgress {
  done: number;
  total: number;
  fileName: string;
}

/** Uploads travel to the host in batches so one huge folder never becomes one huge message. */
const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_FILES = 100;

export function batchUploads(files: FileUpload[]): FileUpload[][] {
  const batches: FileUpload[][] = [];
  let current: FileUpload[] = [];
  let bytes = 0;
  for (const file of files) {
    if (current.length > 0 && (current.length >= BATCH_FILES || bytes + file.bytes.length > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.bytes.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export class LibraryState {
  entries = $state.raw<LibraryEntry[]>([]);
  selectedKey = $state<string | null>(null);
  progress = $state<ImportProgress | null>(null);
  /** The last problem that was not about one file (host gone, call refused), shown until dismissed. */
  notice = $state<string | null>(null);
  busy = $state(false);

  readonly selectedEntry = $derived(this.entries.find((e) => e.key === this.selectedKey) ?? null);
  readonly selected = $derived(this.selectedEntry?.kind === 'file' ? this.selectedEntry.file : null);
  readonly failedCount = $derived(this.entries.filter((e) => e.kind === 'failed').length);

  #failedSerial = 0;
  #choseDuringImport = false;
  #progressOffset = 0;
  #progressTotal = 0;

  private readonly api: ContinuoApi;

  constructor(api: ContinuoApi) {
    this.api = api;
  }

  /** Listens to the host's per-file progress; returns the unsubscribe function. */
  subscribe(): () => void {
    return this.api.on('library.progress', (p) => {
      if (!this.busy) return;
      this.progress = {
        done: this.#progressOffset + p.done,
        total: Math.max(this.#progressTotal, this.#progressOffset + p.total),
        fileName: p.fileName,
      };
    });
  }

  /** Imports files the page read itself (pickers, drag and drop). */
  async importUploads(uploads: FileUpload[]): Promise<void> {
    if (uploads.length === 0) return;
    await this.#run(uploads.length, async () => {
      const outcomes: ImportOutcome[] = [];
      for (const batch of batchUploads(uploads)) {
        outcomes.push(...(await this.api.invoke('library.importFiles', { files: batch })));
        this.#progressOffset += batch.length;
        this.#add(outcomes.slice(outcomes.length - batch.length));
      }
      return outcomes;
    });
  }

  /** Electron: main shows its own open dialog and imports what the user chose. */
  async importWithDialog(folders: boolean): Promise<void> {
    await this.#run(0, async () => {
      const outcomes = await this.api.invoke('library.openDialog', { folders });
      this.#add(outcomes);
      return outcomes;
    });
  }

  async #run(total: number, work: () => Promise<ImportOutcome[]>): Promise<void> {
    this.busy = true;
    this.notice = null;
    this.#progressOffset = 0;
    this.#progressTotal = total;
    this.progress = total > 0 ? { done: 0, total, fileName: '' } : null;
    const firstNew = this.entries.length;
    this.#choseDuringImport = false;
    try {
      await work();
    } catch (error) {
      this.notice = `Import stopped: ${messageOf(error)}`;
    } finally {
      this.busy = false;
      this.progress = null;
    }
    // Show what was just imported, unless the user picked something to look at meanwhile.
    if (this.#choseDuringImport) return;
    const firstImported = this.entries.slice(firstNew).find((e) => e.kind === 'file');
    if (firstImported) this.selectedKey = firstImported.key;
    else if (!this.selectedKey && this.entries.length > firstNew)
      this.selectedKey = this.entries[firstNew].key;
  }

  #add(outcomes: ImportOutcome[]): void {
    // A plain lookup for this one computation, not state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const known = new Set(this.entries.map((e) => e.key));
    const added: LibraryEntry[] = outcomes.map((o) =>
      o.ok
        ? { kind: 'file', key: o.file.id, file: o.file }
        : { kind: 'failed', key: `failed-${++this.#failedSerial}`, fileName: o.fileName, error: o.error },
    );
    // Re-importing a file the host already knows replaces its entry rather than listing it twice.
    this.entries = [
      ...this.entries.map((e) => added.find((a) => a.key === e.key) ?? e),
      ...added.filter((a) => !known.has(a.key)),
    ];
    // Something to look at as soon as the first batch of a long import is in.
    if (this.selectedKey === null) this.selectedKey = added.find((a) => a.kind === 'file')?.key ?? null;
  }

  select(key: string): void {
    this.selectedKey = key;
    if (this.busy) this.#choseDuringImport = true;
  }

  /** Re-extracts the selected file's melody from another track. */
  async selectTrack(fileId: string, trackIndex: number): Promise<void> {
    try {
      const file = await this.api.invoke('library.selectTrack', { fileId, trackIndex });
      this.entries = this.entries.map((e) => (e.kind === 'file' && e.key === fileId ? { ...e, file } : e));
    } catch (error) {
      this.notice = `Could not use that track: ${messageOf(error)}`;
    }
  }

  async remove(key: string): Promise<void> {
    const entry = this.entries.find((e) => e.key === key);
    if (!entry) return;
    if (entry.kind === 'file') {
      try {
        await this.api.invoke('library.remove', { fileId: key });
      } catch (error) {
        this.notice = `Could not remove ${entry.file.fileName}: ${messageOf(error)}`;
        return;
      }
    }
    const index = this.entries.indexOf(entry);
    this.entries = this.entries.filter((e) => e !== entry);
    if (this.selectedKey === key)
      this.selectedKey = (this.entries[index] ?? this.entries[index - 1])?.key ?? null;
  }

  dismissNotice(): void {
    this.notice = null;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
