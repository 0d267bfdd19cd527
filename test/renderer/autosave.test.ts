// @vitest-environment jsdom
// jsdom: effects run only in Svelte's client build, which the DOM environment compiles to.
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContinuoDocument } from '../../app/contract/api';
import { DocumentSession, type SessionOptions } from '../../renderer/lib/state/autosave.svelte';
import { SeedDocument } from '../../renderer/lib/state/document.svelte';
import { FakeGeneration, result, settings } from './fake-generation.svelte';
import { InMemoryApi } from './in-memory-api';
import { melody } from './piano-roll/notes';

const sessions: DocumentSession[] = [];
afterEach(() => {
  sessions.splice(0).forEach((s) => s.dispose());
  vi.useRealTimers();
});

function open(
  api = new InMemoryApi(),
  { generation = null, ...options }: Partial<SessionOptions> & { generation?: FakeGeneration | null } = {},
) {
  const seed = new SeedDocument();
  const session = new DocumentSession(
    api,
    { seed, generation },
    { nativeDialogs: () => false, delayMs: 20, page: null, ...options },
  );
  sessions.push(session);
  return { api, seed, session, generation };
}

const autosaves = (api: InMemoryApi) => api.calls.filter((c) => c.method === 'document.autosave').length;

/** Lets the watcher see the edits, then waits for the autosave they lead to. */
async function settled(session: DocumentSession): Promise<void> {
  flushSync();
  await vi.waitFor(() => expect(session.unsaved).toBe(false));
}

function addNote(seed: SeedDocument, pitch: number, start: number): void {
  seed.editor.edit((notes) => ({
    notes: [...notes, { pitch, start, duration: 4, velocity: 90 }],
    selection: [],
  }));
}

describe('the document session', () => {
  it('starts with nothing to restore on a first start, and is ready to edit', async () => {
    const { session, seed } = open();
    const started = session.start();
    expect(session.phase).toBe('restoring');
    await started;
    expect([session.phase, session.message, seed.melody.notes]).toEqual(['ready', null, []]);
  });

  it('autosaves once, a moment after the last of several edits', async () => {
    const { api, session, seed } = open();
    await session.start();
    addNote(seed, 60, 0);
    flushSync();
    addNote(seed, 62, 4);
    flushSync();
    expect(session.unsaved).toBe(true);
    await settled(session);
    expect([autosaves(api), session.autosaves]).toEqual([1, 1]);
  });

  it('restores in the next window what the last one autosaved (a reload)', async () => {
    const first = open();
    await first.session.start();
    addNote(first.seed, 67, 0);
    first.seed.setBpm(96);
    await settled(first.session);
    const second = open(new InMemoryApi({ userDataDir: first.api.userDataDir }));
    await second.session.start();
    expect(second.seed.melody).toEqual(first.seed.melody);
    expect(second.seed.editor.canUndo).toBe(false);
    expect(autosaves(second.api)).toBe(0);
  });

  it('autosaves at once when the page is hidden or closed', async () => {
    const page = new EventTarget();
    const { api, session, seed } = open(undefined, { page, delayMs: 60_000 });
    await session.start();
    addNote(seed, 60, 0);
    flushSync();
    page.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(autosaves(api)).toBe(1));
  });

  it('autosaves nothing when the last document could not be asked for, so it stays for the next start', async () => {
    const api = new InMemoryApi();
    api.handlers['document.restore'] = async () => {
      throw new Error('the host went away');
    };
    const { session, seed } = open(api);
    await session.start();
    addNote(seed, 60, 0);
    flushSync();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(session.phase).toBe('unrestored');
    expect(session.message?.text).toBe(
      'The last document could not be restored (the host went away); autosave is off, so it is kept for the next start.',
    );
    expect(autosaves(api)).toBe(0);
  });

  it('says when an autosave failed and keeps the change waiting', async () => {
    const api = new InMemoryApi();
    api.handlers['document.autosave'] = async () => {
      throw new Error('disk full');
    };
    const { session, seed } = open(api);
    await session.start();
    addNote(seed, 60, 0);
    flushSync();
    await vi.waitFor(() => expect(session.message?.text).toBe('Autosave failed: disk full'));
    expect(session.unsaved).toBe(true);
  });

  it('names the file and the problem when an opened file is damaged, and keeps the document', async () => {
    const { session, seed } = open();
    await session.start();
    addNote(seed, 72, 0);
    const before = seed.melody;
    const bad = new File(
      ['{"format":"continuo-document","version":1,"seed":{"notes":[]}}'],
      'old.continuo-doc',
    );
    expect(await session.openFile(bad)).toBe(false);
    expect(session.message).toEqual({
      text: 'old.continuo-doc is damaged (seed: missing field "bpm"); it was not opened',
      error: true,
    });
    expect([seed.melody, session.fileName]).toEqual([before, null]);
  });

  it('says a file from a newer Continuo needs a newer Continuo', async () => {
    const { session } = open();
    await session.start();
    const newer = new File([JSON.stringify({ format: 'continuo-document', version: 2 })], 'new.continuo-doc');
    await session.openFile(newer);
    expect(session.message?.text).toBe(
      'new.continuo-doc was saved by a newer version of Continuo (document version 2; this one reads up to 1): update Continuo to open it; it was not opened',
    );
  });

  it('opens a document file into the parts and takes its name for the title', async () => {
    const { session, seed } = open();
    await session.start();
    const document: ContinuoDocument = {
      format: 'continuo-document',
      version: 1,
      seed: { notes: melody([65, 0, 8]), bpm: 90, timeSignature: [3, 4] },
      generation: null,
    };
    expect(await session.openFile(new File([JSON.stringify(document)], 'waltz.continuo-doc'))).toBe(true);
    expect(seed.melody).toEqual(document.seed);
    expect([session.fileName, session.title, session.message?.text]).toEqual([
      'waltz.continuo-doc',
      'waltz.continuo-doc — Continuo',
      'Opened waltz.continuo-doc.',
    ]);
  });

  it('saves through main’s dialog in the desktop app, under the name chosen', async () => {
    const api = new InMemoryApi();
    const saved: unknown[] = [];
    api.handlers['document.save'] = async (args) => (
      saved.push(args),
      { saved: true, fileName: 'Reel.continuo-doc' }
    );
    const { session, seed } = open(api, { nativeDialogs: () => true });
    await session.start();
    addNote(seed, 60, 0);
    expect(await session.save()).toBe(true);
    expect(saved).toEqual([{ document: session.toDocument(), name: 'seed' }]);
    expect([session.fileName, session.message?.text]).toEqual([
      'Reel.continuo-doc',
      'Saved Reel.continuo-doc.',
    ]);
  });
});

describe('Save and Open asked while another runs', () => {
  const waltz: ContinuoDocument = {
    format: 'continuo-document',
    version: 1,
    seed: { notes: melody([65, 0, 8]), bpm: 90, timeSignature: [3, 4] },
    generation: null,
  };

  /** An API whose save dialog stays open until `close` is called, and whose open dialog gives the waltz. */
  function slowSave() {
    const api = new InMemoryApi();
    let close = () => {};
    const closed = new Promise<void>((resolve) => (close = resolve));
    api.handlers['document.save'] = async () => (
      await closed,
      { saved: true, fileName: 'Reel.continuo-doc' }
    );
    api.handlers['document.openDialog'] = async () => ({
      opened: { fileName: 'waltz.continuo-doc', document: waltz },
    });
    return { api, close: () => close() };
  }

  it('an Open asked during a save waits for it, then opens (it is not dropped)', async () => {
    const { api, close } = slowSave();
    const { session, seed } = open(api, { nativeDialogs: () => true });
    await session.start();
    addNote(seed, 60, 0);
    const saving = session.save();
    const opening = session.open();
    await vi.waitFor(() => expect(session.busy).toBe('save'));
    const before = seed.melody;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seed.melody).toBe(before); // not opened yet
    close();
    expect(await saving).toBe(true);
    expect(await opening).toBe(true);
    expect([seed.melody, session.fileName, session.busy]).toEqual([waltz.seed, 'waltz.continuo-doc', null]);
    expect(
      api.calls.map((c) => c.method).filter((m) => m === 'document.save' || m === 'document.openDialog'),
    ).toEqual(['document.save', 'document.openDialog']);
  });

  it('the page’s picker opens at once for an Open asked during a save, and the file is read after it', async () => {
    const { api, close } = slowSave();
    let choose: (file: File) => void = () => {};
    const chooseFile = vi.fn(() => new Promise<File | null>((resolve) => (choose = resolve)));
    let native = true;
    const { session, seed } = open(api, { nativeDialogs: () => native, chooseFile });
    await session.start();
    const saving = session.save();
    await vi.waitFor(() => expect(session.busy).toBe('save'));
    native = false;
    const opening = session.open();
    expect(chooseFile).toHaveBeenCalledTimes(1);
    choose(new File([JSON.stringify(waltz)], 'waltz.continuo-doc'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([seed.melody.notes, session.busy]).toEqual([[], 'save']);
    close();
    expect([await saving, await opening]).toEqual([true, true]);
    expect(seed.melody).toEqual(waltz.seed);
  });

  it('a page picker that never answers holds up no later Save', async () => {
    const { api } = slowSave();
    api.handlers['document.save'] = async () => ({ saved: true, fileName: 'Reel.continuo-doc' });
    let native = false;
    const chooseFile = () => new Promise<File | null>(() => {});
    const { session } = open(api, { nativeDialogs: () => native, chooseFile });
    await session.start();
    void session.open();
    native = true;
    expect(await session.save()).toBe(true);
  });

  it('a Save asked while the last document is restored saves it once it is back', async () => {
    const api = new InMemoryApi();
    const saved: unknown[] = [];
    api.handlers['document.restore'] = async () => ({ document: waltz, source: 'autosave', problem: null });
    api.handlers['document.save'] = async (args) => (
      saved.push(args),
      { saved: true, fileName: 'Waltz.continuo-doc' }
    );
    const { session } = open(api, { nativeDialogs: () => true });
    const started = session.start();
    const saving = session.save();
    await started;
    expect(await saving).toBe(true);
    expect(saved).toEqual([{ document: { ...waltz, generation: null }, name: 'seed' }]);
  });

  it('New asked while the last document is restored clears it once it is back', async () => {
    const api = new InMemoryApi();
    api.handlers['document.restore'] = async () => ({ document: waltz, source: 'autosave', problem: null });
    const { session, seed } = open(api);
    const started = session.start();
    session.newDocument();
    await started;
    await vi.waitFor(() => expect(seed.melody.notes).toEqual([]));
    expect(seed.editor.canUndo).toBe(true);
  });
});

describe('the generation part (the Generate panel’s slot)', () => {
  it('is autosaved with the seed and restored into the panel of the next window', async () => {
    const generation = new FakeGeneration();
    const first = open(undefined, { generation });
    await first.session.start();
    generation.add('1');
    generation.add('2');
    await settled(first.session);
    const next = new FakeGeneration();
    const second = open(new InMemoryApi({ userDataDir: first.api.userDataDir }), { generation: next });
    await second.session.start();
    expect(next.data).toEqual({ settings, results: [result('1'), result('2')] });
  });

  it('is carried through untouched while no panel is connected', async () => {
    const generation = new FakeGeneration();
    const first = open(undefined, { generation });
    await first.session.start();
    generation.add('1');
    await settled(first.session);
    const unconnected = open(new InMemoryApi({ userDataDir: first.api.userDataDir }));
    await unconnected.session.start();
    addNote(unconnected.seed, 60, 0);
    await settled(unconnected.session);
    expect(unconnected.session.toDocument().generation).toEqual({ settings, results: [result('1')] });
  });

  it('is emptied of results by New, keeping the settings, while the seed’s clearing can be undone', async () => {
    const generation = new FakeGeneration();
    const { session, seed } = open(undefined, { generation });
    await session.start();
    addNote(seed, 60, 0);
    generation.add('1');
    session.newDocument();
    expect([generation.data, seed.melody.notes]).toEqual([{ settings, results: [] }, []]);
    seed.editor.undo();
    expect(seed.melody.notes.map((n) => n.pitch)).toEqual([60]);
  });

  it('is emptied of results when a document without one is opened', async () => {
    const generation = new FakeGeneration();
    const { session } = open(undefined, { generation });
    await session.start();
    generation.add('1');
    const document = {
      format: 'continuo-document',
      version: 1,
      seed: { notes: [], bpm: 120, timeSignature: [4, 4] },
      generation: null,
    };
    await session.openFile(new File([JSON.stringify(document)], 'a.continuo-doc'));
    expect(generation.data.results).toEqual([]);
  });
});
