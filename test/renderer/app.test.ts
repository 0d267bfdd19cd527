// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import App from '../../renderer/App.svelte';
import type { AudioPort } from '../../renderer/lib/audio/audio-port';
import { AppState } from '../../renderer/lib/state/app.svelte';
import { InMemoryApi } from './in-memory-api';
import { RecordingPort } from './recording-port';

beforeAll(() => {
  // jsdom has no layout: the roll measures itself with ResizeObserver, which it lacks.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  // jsdom does not implement canvas drawing; the roll then draws nothing but still describes itself.
  HTMLCanvasElement.prototype.getContext = () => null;
  // jsdom implements <dialog> but not its modal methods.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});
afterEach(() => cleanup());

const midi = (name: string) =>
  new File([readFileSync(join(process.cwd(), 'test/fixtures/nottingham', name))], name, {
    type: 'audio/midi',
  });

const silentAudio = async (): Promise<AudioPort> => new RecordingPort();

/** The window on `api`, once it has restored the last document (it shows no editor before). */
async function start(api = new InMemoryApi()) {
  const app = new AppState(api, silentAudio);
  render(App, { app });
  await waitFor(() => expect(app.session.phase).toBe('ready'));
  return { api, app };
}

async function pick(files: File[]) {
  const input = screen.getByTestId('file-input') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  await fireEvent.change(input);
}

describe('the main window', () => {
  it('invites the user to bring files when nothing is imported', async () => {
    await start();
    expect(screen.getByText(/No files yet/)).toBeTruthy();
    expect((screen.getByRole('button', { name: /Play/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('lists picked files, shows a failed one with its one-line reason, and opens the first tune', async () => {
    await start();
    await pick([midi('ashover2.mid'), new File([new TextEncoder().encode('not midi')], 'notes.mid')]);
    const list = await screen.findByRole('list', { name: 'Imported files list' });
    await waitFor(() => expect(within(list).getAllByTestId('library-entry')).toHaveLength(2));
    expect(within(list).getByTestId('import-error').textContent).toMatch(/^[^\n]+$/);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('ashover2.mid');
    expect(screen.getByRole('figure').getAttribute('aria-label')).toMatch(/^Piano roll: \d+ notes from /);
  });

  it('says how many picked files were not MIDI and leaves them out', async () => {
    const { api } = await start();
    await pick([midi('ashover2.mid'), new File(['hello'], 'readme.txt')]);
    await screen.findByText(/Skipped 1 file that is not MIDI/);
    const imported = api.calls.filter((c) => c.method === 'library.importFiles');
    expect(imported).toHaveLength(1);
  });

  it('marks the melody track and re-extracts when another track is chosen', async () => {
    const { api } = await start();
    await pick([midi('jigs100.mid')]);
    const table = await screen.findByRole('table', { name: 'Tracks' });
    const radios = within(table).getAllByRole('radio') as HTMLInputElement[];
    const chosen = radios.findIndex((r) => r.checked);
    expect(chosen).toBeGreaterThanOrEqual(0);
    const other = radios.findIndex((r, i) => i !== chosen && !r.disabled);
    await fireEvent.click(radios[other]);
    await waitFor(() =>
      expect((within(table).getAllByRole('radio') as HTMLInputElement[])[other].checked).toBe(true),
    );
    expect(api.calls.at(-1)?.method).toBe('library.selectTrack');
    expect(screen.getByRole('region', { name: 'Import report' }).textContent).toContain(`track ${other + 1}`);
  });

  it('shows the extraction report in words', async () => {
    await start();
    await pick([midi('ashover3.mid')]);
    const report = await screen.findByRole('region', { name: 'Import report' });
    expect(report.textContent).toMatch(/Melody from track \d+.*: \d+ notes? kept of \d+\./);
  });

  it('credits the piano samples in the About dialog', async () => {
    await start();
    await fireEvent.click(screen.getByRole('button', { name: 'About' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    await waitFor(() => expect(dialog.textContent).toContain('Alexander Holm (Salamander Grand Piano)'));
    expect(dialog.textContent).toContain('CC BY 3.0');
  });

  it('downloads an exported MIDI file through an object URL and revokes it afterwards', async () => {
    const created: Blob[] = [];
    const revoked: string[] = [];
    URL.createObjectURL = (blob: Blob) => (created.push(blob), `blob:test/${created.length}`);
    URL.revokeObjectURL = (url: string) => void revoked.push(url);
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.download);
    });
    try {
      const { api } = await start();
      await pick([midi('ashover2.mid')]);
      await screen.findByRole('heading', { level: 1, name: 'ashover2.mid' });
      // Only the download's timers: the import job begins on a real timer of its own.
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      await fireEvent.click(screen.getByRole('button', { name: 'Export MIDI' }));
      await vi.waitFor(() => expect(clicked).toEqual(['ashover2.mid']));
      expect(api.calls.some((c) => c.method === 'exporter.midi')).toBe(true);
      expect(created[0].type).toBe('audio/midi');
      expect(revoked).toEqual([]);
      vi.runAllTimers();
      expect(revoked).toEqual(['blob:test/1']);
      vi.useRealTimers();
      expect(await screen.findByText('Downloaded ashover2.mid.')).toBeTruthy();
    } finally {
      click.mockRestore();
      vi.useRealTimers();
    }
  });

  it('asks main to save through its native dialog in the desktop app', async () => {
    const api = new InMemoryApi();
    api.info = { ...api.info, host: 'electron', nativeDialogs: true };
    render(App, { app: new AppState(api, silentAudio) });
    await waitFor(() => expect(api.calls.some((c) => c.method === 'app.info')).toBe(true));
    await pick([midi('ashover2.mid')]);
    await screen.findByRole('heading', { level: 1, name: 'ashover2.mid' });
    await fireEvent.click(screen.getByRole('button', { name: 'Export WAV' }));
    await waitFor(() =>
      expect(api.saved.map((s) => [s.suggestedName, s.kind])).toEqual([['ashover2.wav', 'wav']]),
    );
  });

  it('imports a drop that arrives during another import after it, not alongside it', async () => {
    const api = new InMemoryApi();
    const app = new AppState(api, silentAudio);
    const first = app.importPicked({ files: [midi('ashover2.mid'), midi('ashover3.mid')], ignored: [] });
    const second = app.importPicked({ files: [midi('ashover4.mid')], ignored: [] });
    await Promise.all([first, second]);
    expect(app.library.entries.map((e) => e.kind === 'file' && e.file.fileName)).toEqual([
      'ashover2.mid',
      'ashover3.mid',
      'ashover4.mid',
    ]);
    expect(api.calls.filter((c) => c.method === 'library.importFiles')).toHaveLength(2);
  });

  it('offers Cancel beside the import progress, and says what a cancelled import kept and skipped', async () => {
    const { api } = await start();
    const resume = api.pauseImports(1);
    await pick([midi('ashover2.mid'), midi('ashover3.mid'), midi('ashover4.mid')]);
    const cancel = await screen.findByRole('button', { name: 'Cancel import' });
    await waitFor(() => expect(screen.getByText(/Importing 1 of 3/)).toBeTruthy());
    await fireEvent.click(cancel);
    await waitFor(() => expect((cancel as HTMLButtonElement).disabled).toBe(true));
    resume();
    await screen.findByText('Import cancelled: the file already read is kept; 2 files were skipped.');
    expect(screen.queryByRole('button', { name: 'Cancel import' })).toBeNull();
    const list = screen.getByRole('list', { name: 'Imported files list' });
    expect(within(list).getAllByTestId('library-entry')).toHaveLength(1);
  });

  it('cancels a running import and stops listening to the host when the window goes away', async () => {
    const { api } = await start();
    const resume = api.pauseImports(0);
    await pick([midi('ashover2.mid')]);
    await waitFor(() => expect(api.listenerCount('job.progress')).toBe(1));
    cleanup();
    resume();
    await waitFor(() => expect(api.calls.at(-1)?.method).toBe('jobs.cancel'));
    for (const event of ['job.progress', 'job.done', 'job.failed', 'job.cancelled'] as const)
      expect(api.listenerCount(event), event).toBe(0);
  });
});

describe('the seed editor in the window', () => {
  it('opens on the empty seed, with New, Undo and Redo and the on-screen keyboard', async () => {
    await start();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Seed');
    expect(screen.getByRole('figure').getAttribute('aria-label')).toBe('Piano roll: no notes');
    for (const name of ['New', 'Undo', 'Redo', 'Step entry', 'Record'])
      expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'On-screen keyboard' })).toBeTruthy();
  });

  it('enters notes from the computer keyboard in step entry, but not while typing in a field', async () => {
    const { app } = await start();
    await fireEvent.click(screen.getByRole('button', { name: 'Step entry' }));
    const tempo = screen.getByRole('spinbutton', { name: 'Tempo in beats per minute' });
    await fireEvent.keyDown(tempo, { code: 'KeyA', key: 'a' });
    expect(app.document.melody.notes).toEqual([]);
    await fireEvent.keyDown(document.body, { code: 'KeyA', key: 'a' });
    await fireEvent.keyUp(document.body, { code: 'KeyA', key: 'a' });
    await waitFor(() =>
      expect(screen.getByRole('figure').getAttribute('aria-label')).toMatch(/^Piano roll: 1 note from C4/),
    );
  });

  it('shows the octave of the computer piano and moves it with Z and X', async () => {
    await start();
    await fireEvent.keyDown(document.body, { code: 'KeyX', key: 'x' });
    expect(screen.getByTestId('octave').textContent).toBe('A = C5');
    await fireEvent.click(screen.getByRole('button', { name: 'Octave down (Z)' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Octave down (Z)' }));
    expect(screen.getByTestId('octave').textContent).toBe('A = C3');
  });

  it('takes bars of an imported file as the seed, and a click on Seed shows it', async () => {
    await start();
    await pick([midi('ashover2.mid')]);
    await screen.findByRole('heading', { level: 1, name: 'ashover2.mid' });
    const use = screen.getByRole('group', { name: 'Use as the seed' });
    await fireEvent.change(within(use).getByRole('spinbutton', { name: 'Last bar' }), {
      target: { value: '2' },
    });
    await fireEvent.click(within(use).getByRole('button', { name: 'Replace seed' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Seed');
    expect(screen.getByRole('figure').getAttribute('aria-label')).toMatch(/over 2 bars/);
    await fireEvent.click(screen.getByRole('button', { name: /^ashover2\.mid/ }));
    await fireEvent.click(screen.getByRole('button', { name: /^Seed/ }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Seed');
  });

  it('says in words that MIDI input is unavailable where the browser has no Web MIDI', async () => {
    await start();
    expect(screen.queryByRole('button', { name: 'Use MIDI input' })).toBeNull();
    expect(screen.getByTestId('midi-message').textContent).toBe(
      'MIDI input is not available: this browser has no Web MIDI.',
    );
  });
});

describe('the Library & Train section', () => {
  it('is a tab beside Seed & Generate; it shows the imported files as the training set and the models', async () => {
    const { app } = await start();
    await pick([midi('ashover2.mid'), midi('jigs100.mid')]);
    await waitFor(() => expect(app.library.entries).toHaveLength(2));
    const tabs = within(screen.getByRole('tablist', { name: 'Sections' }));
    await fireEvent.click(tabs.getByRole('tab', { name: 'Library & Train' }));
    expect(tabs.getByRole('tab', { name: 'Library & Train', selected: true })).toBeTruthy();
    const set = within(screen.getByRole('list', { name: 'Files to train on' }));
    expect(set.getAllByRole('checkbox', { checked: true })).toHaveLength(2);
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: 'Preset' }).textContent).toMatch(/Quick/),
    );
    expect(screen.getByRole('group', { name: /^Actions on Default model/ })).toBeTruthy();
    await fireEvent.click(tabs.getByRole('tab', { name: 'Seed & Generate' }));
    expect(screen.queryByRole('list', { name: 'Files to train on' })).toBeNull();
    expect(screen.getByRole('figure', { name: /^Piano roll/ })).toBeTruthy();
  });
});
