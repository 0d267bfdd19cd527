/**
 * The imported files as the user sees them: in import order, each either a melody or a one-line
 * reason it could not be read; which one is selected; how far a long import has got. An import is
 * one `library.import` job however many parts its files travel in: its progress brings the files
 * as they are read, and the user can cancel it, keeping those.
 */
import type { ContinuoApi, FileUpload, ImportedFile, ImportOutcome, JobId } from '../../../app/contract/api';
import { startJob, type RunningJob } from '../api/jobs';

export type LibraryEntry =
  | { kind: 'file'; key: string; file: ImportedFile }
  | { kind: 'failed'; key: string; fileName: string; error: string };

export interface ImportProgress {
  done: number;
  total: number;
  fileName: string;
}

/** What a cancelled import kept (the files already read, listed) and skipped. */
export interface CancelledImport {
  kept: number;
  skipped: number;
}

/** What the library says after a cancelled import: what it kept, and how many files it skipped. */
export function cancelledText({ kept, skipped }: CancelledImport): string {
  const keptText =
    kept === 0
      ? 'no file had been read yet'
      : `the ${kept === 1 ? 'file' : `${kept} files`} already read ${kept === 1 ? 'is' : 'are'} kept`;
  return `Import cancelled: ${keptText}; ${skipped} ${skipped === 1 ? 'file was' : 'files were'} skipped.`;
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
  /** The last import, when it was cancelled: shown until the next import starts. */
  cancelled = $state<CancelledImport | null>(null);
  busy = $state(false);
  /** From the Cancel click until the host has stopped the import. */
  cancelling = $state(false);

  readonly selectedEntry = $derived(this.entries.find((e) => e.key === this.selectedKey) ?? null);
  readonly selected = $derived(this.selectedEntry?.kind === 'file' ? this.selectedEntry.file : null);
  readonly failedCount = $derived(this.entries.filter((e) => e.kind === 'failed').length);

  #failedSerial = 0;
  #choseDuringImport = false;
  #import: RunningJob<'library.import'> | null = null;
  #lifetime = new AbortController();

  private readonly api: ContinuoApi;

  constructor(api: ContinuoApi) {
    this.api = api;
  }

  /**
   * Ties imports to the window showing them; the returned teardown cancels an import still
   * running and stops following it.
   */
  connect(): () => void {
    const lifetime = new AbortController();
    this.#lifetime = lifetime;
    return () => lifetime.abort();
  }

  /** Imports files the page read itself (pickers, drag and drop), in parts of a few MiB. */
  async importUploads(uploads: FileUpload[]): Promise<void> {
    if (uploads.length === 0) return;
    const [first, ...rest] = batchUploads(uploads);
    await this.#run(
      uploads.length,
      async () => (await this.api.invoke('library.importFiles', { files: first, total: uploads.length })).job,
      async (job) => {
        for (const files of rest) {
          const { accepted } = await this.api.invoke('library.importMore', { job, files });
          if (!accepted) return; // cancelled meanwhile: the job's end says so
        }
      },
    );
  }

  /** Electron: main shows its own open dialog and imports what the user chose. */
  async importWithDialog(folders: boolean): Promise<void> {
    await this.#run(0, async () => (await this.api.invoke('library.openDialog', { folders })).job);
  }

  /** Stops the running import; the files it has read stay in the list. */
  async cancelImport(): Promise<void> {
    if (!this.busy || this.cancelling) return;
    this.cancelling = true;
    // Before the host has answered with the job's id, #run cancels it as soon as it has one.
    if (this.#import) await this.#cancel(this.#import);
  }

  async #cancel(running: RunningJob<'library.import'>): Promise<void> {
    try {
      await running.cancel();
    } catch (error) {
      this.cancelling = false;
      this.notice = `Could not cancel the import: ${messageOf(error)}`;
    }
  }

  async #run(
    total: number,
    start: () => Promise<JobId | null>,
    feed: (job: JobId) => Promise<void> = async () => undefined,
  ): Promise<void> {
    this.busy = true;
    this.notice = null;
    this.cancelled = null;
    this.cancelling = false;
    this.progress = total > 0 ? { done: 0, total, fileName: '' } : null;
    const firstNew = this.entries.length;
    this.#choseDuringImport = false;
    try {
      const running = await startJob(
        this.api,
        'library.import',
        start,
        (p) => {
          this.progress = { done: p.done, total: p.total, fileName: p.fileName };
          this.#add(p.outcomes);
        },
        this.#lifetime.signal,
      );
      if (running) {
        this.#import = running;
        if (this.cancelling) await this.#cancel(running);
        await feed(running.job).catch(async (error: unknown) => {
          await running.cancel().catch(() => false);
          throw error;
        });
        const end = await running.ended;
        if (end.status === 'failed') this.notice = `Import stopped: ${end.message}`;
        else if (end.status === 'cancelled' && this.progress) {
          this.cancelled = { kept: this.progress.done, skipped: this.progress.total - this.progress.done };
        }
      }
    } catch (error) {
      this.notice = `Import stopped: ${messageOf(error)}`;
    } finally {
      this.#import = null;
      this.busy = false;
      this.cancelling = false;
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
    if (outcomes.length === 0) return;
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
    // Something to look at as soon as the first files of a long import are in.
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
