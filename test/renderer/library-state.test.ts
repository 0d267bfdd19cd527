import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { FileUpload } from '../../app/contract/api';
import { LIMITS } from '../../app/contract/schemas';
import { batchUploads, cancelledText, LibraryState } from '../../renderer/lib/state/library.svelte';
import { InMemoryApi } from './in-memory-api';

const fixture = (name: string): FileUpload => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`../fixtures/nottingham/${name}`, import.meta.url))),
});
const garbage: FileUpload = {
  name: 'broken.mid',
  bytes: new TextEncoder().encode('this is not a MIDI file at all'),
};

describe('LibraryState', () => {
  it('lists each imported file in order, failures with their one-line reason', async () => {
    const library = new LibraryState(new InMemoryApi());
    await library.importUploads([fixture('ashover2.mid'), garbage, fixture('jigs100.mid')]);
    expect(
      library.entries.map((e) => (e.kind === 'file' ? e.file.fileName : `${e.fileName}: failed`)),
    ).toEqual(['ashover2.mid', 'broken.mid: failed', 'jigs100.mid']);
    const failed = library.entries[1];
    expect(failed.kind === 'failed' && failed.error).toMatch(/^[^\n]+$/);
    expect(library.failedCount).toBe(1);
  });

  it('selects the first file that imported', async () => {
    const library = new LibraryState(new InMemoryApi());
    await library.importUploads([garbage, fixture('ashover3.mid')]);
    expect(library.selected?.fileName).toBe('ashover3.mid');
  });

  it('keeps the file the user chose while a long import was still running', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    await library.importUploads([fixture('ashover2.mid')]);
    const chosen = library.entries[0].key;
    const originalInvoke = api.invoke.bind(api);
    api.invoke = (async (method: never, args: never) => {
      library.select(chosen);
      return originalInvoke(method, args);
    }) as typeof api.invoke;
    await library.importUploads([fixture('ashover3.mid')]);
    expect(library.selected?.fileName).toBe('ashover2.mid');
  });

  it('follows the import job’s progress while importing and clears it after', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    const resume = api.pauseImports(1);
    const importing = library.importUploads([fixture('ashover2.mid'), fixture('ashover3.mid')]);
    await vi.waitFor(() => expect(library.progress).toEqual({ done: 1, total: 2, fileName: 'ashover2.mid' }));
    // The file already read is listed while the rest is still coming.
    expect(library.entries.map((e) => e.kind === 'file' && e.file.fileName)).toEqual(['ashover2.mid']);
    expect(library.busy).toBe(true);
    resume();
    await importing;
    expect(library.progress).toBeNull();
    expect(library.busy).toBe(false);
    expect(library.entries).toHaveLength(2);
    for (const event of ['job.progress', 'job.done', 'job.failed', 'job.cancelled'] as const)
      expect(api.listenerCount(event), event).toBe(0);
  });

  it('sends a large import as one job in parts, its progress counting across them', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    const uploads = Array.from({ length: 101 }, (_, i) => ({ ...garbage, name: `broken-${i}.mid` }));
    const totals = new Set<number>();
    const off = api.on('job.progress', (e) => e.kind === 'library.import' && totals.add(e.progress.total));
    await library.importUploads(uploads);
    off();
    expect(api.calls.map((c) => c.method)).toEqual(['library.importFiles', 'library.importMore']);
    expect(api.calls[0].args).toMatchObject({ total: 101 });
    expect([...totals]).toEqual([101]);
    expect(library.entries).toHaveLength(101);
    expect(library.notice).toBeNull();
  });

  it('imports more files than one call may carry, as one job', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    const count = LIMITS.filesPerImport + 1;
    await library.importUploads(Array.from({ length: count }, (_, i) => ({ ...garbage, name: `${i}.mid` })));
    expect(library.entries).toHaveLength(count);
    expect(api.calls.filter((c) => c.method === 'library.importFiles')).toHaveLength(1);
    expect(library.notice).toBeNull();
  });

  it('cancels an import, keeping the files already read and saying how many were skipped', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    const resume = api.pauseImports(1);
    const importing = library.importUploads([
      fixture('ashover2.mid'),
      fixture('ashover3.mid'),
      fixture('jigs100.mid'),
    ]);
    await vi.waitFor(() => expect(library.progress?.done).toBe(1));
    await library.cancelImport();
    expect(library.cancelling).toBe(true);
    resume();
    await importing;
    expect(library.entries.map((e) => e.kind === 'file' && e.file.fileName)).toEqual(['ashover2.mid']);
    expect(library.cancelled).toEqual({ kept: 1, skipped: 2 });
    expect(cancelledText(library.cancelled!)).toBe(
      'Import cancelled: the file already read is kept; 2 files were skipped.',
    );
    expect(library.cancelling).toBe(false);
    expect(library.notice).toBeNull();
    expect(api.calls.at(-1)?.method).toBe('jobs.cancel');
  });

  it('forgets the cancelled import when the next one starts', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    const resume = api.pauseImports(0);
    const importing = library.importUploads([fixture('ashover2.mid')]);
    await vi.waitFor(() => expect(library.progress).not.toBeNull());
    await library.cancelImport();
    resume();
    await importing;
    expect(library.cancelled).toEqual({ kept: 0, skipped: 1 });
    await library.importUploads([fixture('ashover3.mid')]);
    expect(library.cancelled).toBeNull();
  });

  it('cancels a running import on the host when its window goes away', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    const disconnect = library.connect();
    const resume = api.pauseImports(0);
    const importing = library.importUploads([fixture('ashover2.mid')]);
    await vi.waitFor(() => expect(api.listenerCount('job.progress')).toBe(1));
    disconnect();
    resume();
    await importing;
    expect(api.calls.at(-1)?.method).toBe('jobs.cancel');
    expect(api.listenerCount('job.progress')).toBe(0);
  });

  it('replaces the melody when another track is chosen', async () => {
    const library = new LibraryState(new InMemoryApi());
    await library.importUploads([fixture('jigs100.mid')]);
    const before = library.selected!;
    const other = before.tracks.find((t) => t.index !== before.melodyTrack && t.noteCount > 0)!;
    await library.selectTrack(before.id, other.index);
    expect(library.selected?.melodyTrack).toBe(other.index);
    expect(library.selected?.report.trackIndex).toBe(other.index);
    expect(library.selected?.melody).not.toEqual(before.melody);
  });

  it('shows a notice instead of throwing when the host refuses a call', async () => {
    const library = new LibraryState(new InMemoryApi());
    await library.selectTrack('no-such-file', 0);
    expect(library.notice).toMatch(/no imported file has id no-such-file/);
  });

  it('removes a file from the host and the list, selecting its neighbour', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    await library.importUploads([fixture('ashover2.mid'), fixture('ashover3.mid')]);
    library.select(library.entries[0].key);
    await library.remove(library.entries[0].key);
    expect(library.entries.map((e) => e.kind === 'file' && e.file.fileName)).toEqual(['ashover3.mid']);
    expect(library.selected?.fileName).toBe('ashover3.mid');
    expect(api.files.size).toBe(1);
  });
});

describe('the sentence after a cancelled import', () => {
  it('says what was kept and how many were skipped, in the right number', () => {
    expect(cancelledText({ kept: 40, skipped: 1 })).toBe(
      'Import cancelled: the 40 files already read are kept; 1 file was skipped.',
    );
    expect(cancelledText({ kept: 0, skipped: 3 })).toBe(
      'Import cancelled: no file had been read yet; 3 files were skipped.',
    );
  });
});

describe('upload batches', () => {
  const sized = (n: number): FileUpload => ({ name: `${n}.mid`, bytes: new Uint8Array(n) });
  it('keeps every file, in order, in batches of at most 100 files', () => {
    const files = Array.from({ length: 250 }, (_, i) => sized(i + 1));
    const batches = batchUploads(files);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(files);
  });
  it('starts a new batch before 8 MiB, but never leaves a large file out', () => {
    const big = 5 * 1024 * 1024;
    expect(batchUploads([sized(big), sized(big), sized(20 * 1024 * 1024)]).map((b) => b.length)).toEqual([
      1, 1, 1,
    ]);
  });
});
