import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AppState } from '../../renderer/lib/state/app.svelte';
import { InMemoryApi } from './in-memory-api';
import { keyPress } from './input/key-press';
import { RecordingPort } from './recording-port';

function setup() {
  const port = new RecordingPort();
  const app = new AppState(new InMemoryApi(), async () => port);
  return { app, port };
}

/** A key press as the window sees it, on the page's body unless `target` says otherwise. */
function key(code: string, over: Partial<KeyboardEvent> = {}) {
  let prevented = false;
  const event = {
    ...keyPress(code),
    target: null,
    timeStamp: 0,
    preventDefault: () => (prevented = true),
    ...over,
  } as unknown as KeyboardEvent;
  return { event, prevented: () => prevented };
}

const press = (app: AppState, code: string, over: Partial<KeyboardEvent> = {}) => {
  const k = key(code, over);
  app.keyDown(k.event);
  app.keyUp(k.event);
  return k.prevented();
};

const notesOf = (app: AppState) => app.document.melody.notes.map((n) => [n.pitch, n.start, n.duration]);

function stepEnter(app: AppState, codes: string[]) {
  app.input.stepEntry = true;
  for (const code of codes) press(app, code);
  app.input.stepEntry = false;
}

describe('the keyboard in the seed editor', () => {
  it('enters notes in step entry and takes the last back with Backspace', () => {
    const { app } = setup();
    app.input.stepEntry = true;
    for (const code of ['KeyA', 'KeyD', 'KeyG', 'Backspace']) press(app, code);
    expect([notesOf(app), app.document.cursor]).toEqual([
      [
        [60, 0, 4],
        [64, 4, 4],
      ],
      8,
    ]);
  });

  it('undoes and redoes with Ctrl+Z and Ctrl+Y', () => {
    const { app } = setup();
    stepEnter(app, ['KeyA', 'KeyS']);
    press(app, 'KeyZ', { ctrlKey: true });
    expect(notesOf(app)).toEqual([[60, 0, 4]]);
    press(app, 'KeyY', { ctrlKey: true });
    expect(notesOf(app)).toEqual([
      [60, 0, 4],
      [62, 4, 4],
    ]);
  });

  it('transposes the selection with the arrows and sounds its new pitch', async () => {
    const { app, port } = setup();
    stepEnter(app, ['KeyA', 'KeyS']);
    app.document.editor.select([0]);
    await new Promise((r) => setTimeout(r, 0));
    port.log = [];
    press(app, 'ArrowUp', { shiftKey: true });
    press(app, 'ArrowDown');
    await new Promise((r) => setTimeout(r, 0));
    expect([notesOf(app)[0], port.log]).toEqual([
      [71, 0, 4],
      ['audition 72 90', 'audition 71 90'],
    ]);
  });

  it('deletes the selection with Delete', () => {
    const { app } = setup();
    stepEnter(app, ['KeyA', 'KeyS', 'KeyD']);
    app.document.editor.select([1]);
    press(app, 'Delete');
    expect(notesOf(app).map((n) => n[0])).toEqual([60, 64]);
  });

  it('copies and pastes at the cursor, and duplicates after the selection', () => {
    const { app } = setup();
    stepEnter(app, ['KeyA', 'KeyS']);
    press(app, 'KeyA', { ctrlKey: true }); // select all
    press(app, 'KeyC', { ctrlKey: true });
    app.document.cursor = 16;
    press(app, 'KeyV', { ctrlKey: true });
    expect(notesOf(app).map((n) => n[1])).toEqual([0, 4, 16, 20]);
    press(app, 'KeyD', { metaKey: true });
    expect(notesOf(app).map((n) => n[1])).toEqual([0, 4, 16, 20, 24, 28]);
  });

  it('moves the selection, or else the cursor, a grid cell with the left and right arrows', () => {
    const { app } = setup();
    stepEnter(app, ['KeyA']);
    app.tools.snapSteps = 2;
    app.document.editor.select([0]);
    press(app, 'ArrowRight');
    app.document.editor.select([]);
    app.document.cursor = 4;
    press(app, 'ArrowLeft');
    expect([notesOf(app), app.document.cursor]).toEqual([[[60, 2, 4]], 2]);
  });

  it('clears the selection with Escape', () => {
    const { app } = setup();
    stepEnter(app, ['KeyA']);
    press(app, 'Escape');
    expect(app.document.editor.selection).toEqual([]);
  });

  it('shifts the computer piano an octave with Z and X', () => {
    const { app } = setup();
    press(app, 'KeyX');
    press(app, 'KeyX');
    press(app, 'KeyZ');
    stepEnter(app, ['KeyA']);
    expect(notesOf(app)[0][0]).toBe(72);
  });

  it('leaves keys to a text field being typed in', () => {
    const { app } = setup();
    app.input.stepEntry = true;
    const field = { closest: (s: string) => (s.includes('input') ? field : null), type: 'number' };
    const prevented = press(app, 'KeyA', { target: field as unknown as EventTarget });
    expect([prevented, notesOf(app)]).toEqual([false, []]);
  });
});

describe('the keyboard while an imported file is shown', () => {
  async function withFile() {
    const s = setup();
    const bytes = new Uint8Array(readFileSync(join(process.cwd(), 'test/fixtures/nottingham/ashover2.mid')));
    await s.app.library.importUploads([{ name: 'ashover2.mid', bytes }]);
    s.app.showFile(s.app.library.entries[0].key);
    return s;
  }

  it('does not edit the seed out of sight', async () => {
    const { app } = await withFile();
    app.showSeed();
    stepEnter(app, ['KeyA', 'KeyS']);
    app.document.editor.select([0]);
    app.showFile(app.library.entries[0].key);
    for (const [code, over] of [
      ['KeyZ', { ctrlKey: true }],
      ['Delete', {}],
      ['ArrowUp', {}],
    ] as const)
      expect(press(app, code, over), code).toBe(false);
    expect(notesOf(app)).toEqual([
      [60, 0, 4],
      [62, 4, 4],
    ]);
  });

  it('still plays the computer piano', async () => {
    const { app, port } = await withFile();
    await new Promise((r) => setTimeout(r, 0));
    port.log = [];
    press(app, 'KeyA');
    await new Promise((r) => setTimeout(r, 0));
    expect(port.log).toEqual(['on 60 90', 'off 60']);
  });

  it('turns step entry off, so notes played are only heard', async () => {
    const { app } = setup();
    app.input.stepEntry = true;
    const bytes = new Uint8Array(readFileSync(join(process.cwd(), 'test/fixtures/nottingham/ashover2.mid')));
    await app.importPicked({ files: [new File([bytes], 'ashover2.mid')], ignored: [] });
    press(app, 'KeyA');
    expect([app.shown, app.input.stepEntry, app.document.melody.notes]).toEqual(['file', false, []]);
  });
});

describe('taking bars of an imported file as the seed', () => {
  it('replaces the seed and shows it', async () => {
    const { app } = setup();
    const bytes = new Uint8Array(readFileSync(join(process.cwd(), 'test/fixtures/nottingham/ashover2.mid')));
    await app.library.importUploads([{ name: 'ashover2.mid', bytes }]);
    app.showFile(app.library.entries[0].key);
    const source = app.library.selected!.melody;
    app.useBars(1, 2, 'replace');
    const bar = (source.timeSignature[0] * 16) / source.timeSignature[1];
    expect(app.shown).toBe('seed');
    expect(app.document.melody.notes).toEqual(
      source.notes
        .filter((n) => n.start < 2 * bar)
        .map((n) => ({
          ...n,
          duration: Math.min(n.duration, 2 * bar - n.start),
        })),
    );
  });
});

describe('the desktop app’s menu', () => {
  /** The app started, listening to the host, once its last document is restored. */
  async function started() {
    // The player's teardown cancels its animation frame; Node has none to cancel.
    globalThis.cancelAnimationFrame ??= () => undefined;
    const api = new InMemoryApi();
    const app = new AppState(api, async () => new RecordingPort());
    const stop = app.start();
    await vi.waitFor(() => expect(app.session.phase).toBe('ready'));
    return { api, app, stop };
  }

  it('undoes and redoes the seed’s edits from Edit ▸ Undo and Edit ▸ Redo', async () => {
    const { api, app, stop } = await started();
    stepEnter(app, ['KeyA', 'KeyS']);
    api.chooseMenu('undo');
    expect(notesOf(app)).toEqual([[60, 0, 4]]);
    api.chooseMenu('redo');
    expect(notesOf(app)).toHaveLength(2);
    stop();
    api.chooseMenu('undo');
    expect(notesOf(app)).toHaveLength(2);
  });

  it('starts a new document from File ▸ New, which Undo takes back', async () => {
    const { api, app, stop } = await started();
    stepEnter(app, ['KeyA', 'KeyS']);
    api.chooseMenu('new');
    expect(notesOf(app)).toEqual([]);
    api.chooseMenu('undo');
    expect(notesOf(app)).toHaveLength(2);
    stop();
  });

  it('edits nothing from the keyboard while the last document is being restored', () => {
    const { app } = setup();
    void app.session.start();
    expect(app.session.phase).toBe('restoring');
    stepEnter(app, ['KeyA']);
    expect(notesOf(app)).toEqual([]);
  });
});
