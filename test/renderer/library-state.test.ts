import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FileUpload } from '../../app/contract/api';
import { batchUploads, LibraryState } from '../../renderer/lib/state/library.svelte';
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

  it('follows the host’s progress events while importing and clears them after', async () => {
    const api = new InMemoryApi();
    const library = new LibraryState(api);
    const off = library.subscribe();
    const seen: string[] = [];
    const originalInvoke = api.invoke.bind(api);
    api.invoke = (async (method: never, args: never) => {
      const result = await originalInvoke(method, args);
      if (library.progress) seen.push(`${library.progress.done}/${library.progress.total}`);
      return result;
    }) as typeof api.invoke;
    await library.importUploads([fixture('ashover2.mid'), fixture('ashover3.mid')]);
    off();
    expect(seen).toEqual(['2/2']);
    expect(library.progress).toBeNull();
    expect(api.listenerCount('library.progress')).toBe(0);
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
