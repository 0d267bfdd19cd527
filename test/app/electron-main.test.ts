/**
 * Electron main, tested without Electron (its binary cannot run here): every setup module takes the
 * Electron objects it uses as parameters, so fakes that record calls stand in for them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App, Dialog, IpcMain, Session, WebContents } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type IpcReply } from '../../app/contract/ipc.js';
import { CONTENT_SECURITY_POLICY } from '../../app/host/csp.js';
import { APP_ENTRY, createAppProtocolHandler } from '../../app/main/app-protocol.js';
import { setupDialogs } from '../../app/main/dialogs.js';
import { setupIpc } from '../../app/main/ipc.js';
import { menuTemplate } from '../../app/main/menu.js';
import {
  allowsPermission,
  hardenWebContents,
  isTrustedSender,
  setupSecurity,
  webPreferences,
} from '../../app/main/security.js';
import { windowOptions } from '../../app/main/window.js';
import { createServices, type Services } from '../../app/services/index.js';
import { importMidi } from '../../engine/midi/index.js';
import { fixture, followJob, requireBuiltWorker, tempDir } from './helpers.js';

const appFrame = { url: APP_ENTRY, parent: null };
const appContents = { id: 1 } as unknown as WebContents;
const dragMelody = {
  bpm: 120,
  timeSignature: [4, 4] as [number, number],
  notes: [60, 62, 64, 65].map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 90 })),
};

describe('window and security options', () => {
  it('runs the renderer isolated, sandboxed and without Node, with exactly one preload', () => {
    expect(webPreferences('/app/preload.js')).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('creates the window hidden until first paint, with those preferences', () => {
    const options = windowOptions('/app/preload.js');
    expect(options.show).toBe(false);
    expect(options.webPreferences).toEqual(webPreferences('/app/preload.js'));
  });

  it('has a strict Content-Security-Policy: no inline script, no eval, no plugins, no framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    expect(directives.get('script-src')).not.toContain("'unsafe-eval'");
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('sender check', () => {
  it('trusts only the top frame of the app:// page', () => {
    expect(isTrustedSender(appFrame)).toBe(true);
    expect(isTrustedSender({ url: 'app://continuo/other.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY, parent: appFrame })).toBe(false);
    expect(isTrustedSender({ url: 'file:///index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'https://continuo.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

/** A WebContents stand-in that records the listeners main registers. */
function fakeContents() {
  type Listener = (event: { url: string; preventDefault(): void }) => void;
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  const fire = (name: string, url = 'app://continuo/elsewhere.html') => {
    let prevented = false;
    listeners.get(name)?.({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return {
    contents: contents as unknown as WebContents,
    fire,
    openWindow: (url: string) => openHandler?.({ url }),
  };
}

describe('web contents hardening', () => {
  it('prevents navigation, redirects and webviews, and denies window.open', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, () => undefined);
    expect(fake.fire('will-navigate')).toBe(true);
    expect(fake.fire('will-redirect')).toBe(true);
    expect(fake.fire('will-attach-webview')).toBe(true);
    expect(fake.openWindow('app://continuo/index.html')).toEqual({ action: 'deny' });
  });

  it('hands https links to the system browser and drops every other scheme', () => {
    const opened: string[] = [];
    const fake = fakeContents();
    hardenWebContents(fake.contents, (url) => opened.push(url));
    expect(fake.openWindow('https://creativecommons.org/licenses/by/3.0/')).toEqual({ action: 'deny' });
    expect(fake.fire('will-navigate', 'https://tonejs.github.io/')).toBe(true);
    fake.openWindow('file:///etc/passwd');
    fake.openWindow('javascript:alert(1)');
    fake.fire('will-navigate', 'http://example.org/');
    expect(opened).toEqual(['https://creativecommons.org/licenses/by/3.0/', 'https://tonejs.github.io/']);
  });

  it('hardens every web contents the app creates and denies permissions it has no use for', () => {
    let created: ((event: unknown, contents: WebContents) => void) | undefined;
    let requestHandler: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    const app = { on: (_name: string, listener: typeof created) => (created = listener) } as unknown as App;
    const session = {
      setPermissionRequestHandler: (h: typeof requestHandler) => (requestHandler = h),
      setPermissionCheckHandler: (h: typeof checkHandler) => (checkHandler = h),
    } as unknown as Session;
    setupSecurity(app, session, () => undefined);
    const fake = fakeContents();
    created?.({}, fake.contents);
    expect(fake.fire('will-navigate')).toBe(true);
    const granted: boolean[] = [];
    requestHandler?.({}, 'media', (g) => granted.push(g));
    requestHandler?.({}, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false, false]);
    expect(checkHandler?.()).toBe(false);
  });
});

describe('permissions', () => {
  /** The handlers setupSecurity installs on the session. */
  function handlers() {
    type Request = (
      c: unknown,
      p: string,
      cb: (granted: boolean) => void,
      d?: { requestingUrl?: string },
    ) => void;
    type Check = (c: unknown, p: string, origin: string) => boolean;
    let request: Request | undefined;
    let check: Check | undefined;
    const app = { on: () => undefined } as unknown as App;
    const session = {
      setPermissionRequestHandler: (h: Request) => (request = h),
      setPermissionCheckHandler: (h: Check) => (check = h),
    } as unknown as Session;
    setupSecurity(app, session, () => undefined);
    const granted = (permission: string, requestingUrl = APP_ENTRY) => {
      let answer: boolean | undefined;
      request?.({}, permission, (g) => (answer = g), { requestingUrl });
      return answer;
    };
    return {
      granted,
      checked: (permission: string, origin = 'app://continuo') => check?.({}, permission, origin),
    };
  }

  it('grants the app page MIDI, so a MIDI keyboard can play notes in', () => {
    const { granted, checked } = handlers();
    expect([granted('midi'), checked('midi')]).toEqual([true, true]);
  });

  it('denies MIDI with system-exclusive messages', () => {
    const { granted, checked } = handlers();
    expect([granted('midiSysex'), checked('midiSysex')]).toEqual([false, false]);
  });

  it('denies every other permission', () => {
    const { granted, checked } = handlers();
    const others = [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'hid',
      'serial',
      'usb',
      'openExternal',
    ];
    expect(others.map((p) => granted(p))).toEqual(others.map(() => false));
    expect(others.map((p) => checked(p))).toEqual(others.map(() => false));
  });

  it('denies MIDI to any page but our own', () => {
    const { granted, checked } = handlers();
    expect([
      granted('midi', 'https://example.org/'),
      checked('midi', 'file://'),
      checked('midi', 'app://evil'),
    ]).toEqual([false, false, false]);
    expect(allowsPermission('midi', undefined)).toBe(false);
  });
});

describe('IPC binding', () => {
  const owned: Services[] = [];
  afterEach(async () => {
    await Promise.all(owned.splice(0).map((s) => s.dispose()));
  });

  function bind(startDrag?: (sender: WebContents, file: string) => Promise<void>) {
    const services = createServices({
      host: 'electron',
      userDataDir: tempDir(),
      workerPath: requireBuiltWorker(),
    });
    owned.push(services);
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<IpcReply>>();
    const ipcMain = {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<IpcReply>) =>
        handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    } as unknown as IpcMain;
    const sent: unknown[][] = [];
    const logged: string[] = [];
    const teardown = setupIpc({
      ipcMain,
      services,
      send: (...args) => sent.push(args),
      log: (m) => logged.push(m),
      ...(startDrag ? { startDrag } : {}),
    });
    const call = (frame: unknown, method: unknown, args: unknown, sender: unknown = appContents) =>
      handlers.get(INVOKE_CHANNEL)!({ senderFrame: frame, sender }, method, args);
    return { services, handlers, sent, logged, teardown, call };
  }

  it('answers a call from the app window through the services', async () => {
    const { call } = bind();
    const reply = await call(appFrame, 'app.info', {});
    expect(reply).toMatchObject({ ok: true, result: { host: 'electron', nativeDialogs: false } });
  });

  it('drags a result out: writes the melody as a .mid in its own temporary folder, drags it from the sender', async () => {
    const drags: { sender: unknown; file: string; bytes: Buffer }[] = [];
    const { call, services } = bind(async (sender, file) => {
      drags.push({ sender, file, bytes: fs.readFileSync(file) });
    });
    const reply = await call(appFrame, 'files.dragOut', { melody: dragMelody, name: 'Ashover: variation B' });
    expect(reply).toEqual({ ok: true, result: { started: true } });
    expect(drags).toHaveLength(1);
    expect(drags[0].sender).toBe(appContents);
    expect(path.basename(drags[0].file)).toBe('Ashover- variation B.mid');
    expect(drags[0].file.startsWith(services.dragOut.folder! + path.sep)).toBe(true);
    expect(importMidi(new Uint8Array(drags[0].bytes), 'dragged.mid').melody.notes).toEqual(dragMelody.notes);
    const folder = services.dragOut.folder!;
    await services.dispose();
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('refuses a drag from any other frame before a file is written', async () => {
    const drags: string[] = [];
    const { call, services } = bind(async (_sender, file) => void drags.push(file));
    const reply = await call({ url: 'https://evil.example/', parent: null }, 'files.dragOut', {
      melody: dragMelody,
      name: 'x',
    });
    expect(reply).toMatchObject({ ok: false, message: expect.stringContaining('refused') });
    expect(drags).toEqual([]);
    expect(services.dragOut.folder).toBeNull();
  });

  it('answers a drag without a native drag (the browser host) with a message naming Export', async () => {
    const { call } = bind();
    expect(await call(appFrame, 'files.dragOut', { melody: dragMelody, name: 'x' })).toEqual({
      ok: false,
      message: 'dragging a file out of the window needs the desktop app; use Export instead',
    });
  });

  it('refuses a call from any other frame before it reaches a service', async () => {
    const { call, services, logged } = bind();
    const reply = await call({ url: 'https://evil.example/', parent: null }, 'library.importFiles', {
      files: [fixture('nottingham-ashover1.mid')],
    });
    expect(reply).toEqual({ ok: false, message: 'refused: this call did not come from the Continuo window' });
    expect(services.worker.isRunning).toBe(false);
    expect(logged).toEqual(['continuo: refused an IPC call from https://evil.example/']);
  });

  it('returns argument errors as one-line messages', async () => {
    const { call } = bind();
    expect(await call(appFrame, 'library.remove', { fileId: 5 })).toEqual({
      ok: false,
      message: 'library.remove: invalid arguments: fileId: expected a string, got a number',
    });
  });

  it('forwards every job event to the window on the event channel', async () => {
    const { call, sent } = bind();
    const reply = await call(appFrame, 'library.importFiles', {
      files: [fixture('nottingham-ashover1.mid')],
    });
    expect(reply).toEqual({ ok: true, result: { job: expect.any(String) } });
    const job = reply.ok ? (reply.result as { job: string }).job : '';
    await expect.poll(() => sent.at(-1)?.[1]).toBe('job.done');
    expect(sent.every(([channel]) => channel === EVENT_CHANNEL)).toBe(true);
    expect(sent.map(([, event]) => event)).toEqual([
      ...sent.slice(0, -1).map(() => 'job.progress'),
      'job.done',
    ]);
    expect(sent.at(-1)?.[2]).toEqual({ job, kind: 'library.import', result: { imported: 1, failed: 0 } });
  });

  it('removes its handler and event forwarding on teardown', async () => {
    const { handlers, teardown, services, sent } = bind();
    teardown();
    expect(handlers.has(INVOKE_CHANNEL)).toBe(false);
    await followJob(services, () =>
      services.invoke('library.importFiles', { files: [fixture('nottingham-ashover1.mid')] }),
    );
    expect(sent).toEqual([]);
  });
});

describe('native dialogs', () => {
  function fakeDialog(answer: { canceled: boolean; filePaths?: string[]; filePath?: string }) {
    const calls: unknown[][] = [];
    const dialog = {
      showOpenDialog: async (...args: unknown[]) => (
        calls.push(args),
        { canceled: answer.canceled, filePaths: answer.filePaths ?? [] }
      ),
      showSaveDialog: async (...args: unknown[]) => (
        calls.push(args),
        { canceled: answer.canceled, filePath: answer.filePath ?? '' }
      ),
    } as unknown as Dialog;
    return { dialog, calls };
  }

  it('offers MIDI files for import, several at once', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['/m/a.mid', '/m/b.kar'] });
    expect(
      await setupDialogs(dialog, () => null).chooseImport({ folders: false, defaultPath: '/m' }),
    ).toEqual(['/m/a.mid', '/m/b.kar']);
    expect(calls[0][0]).toMatchObject({
      defaultPath: '/m',
      properties: ['openFile', 'multiSelections'],
      filters: [{ name: 'MIDI files', extensions: ['mid', 'midi', 'kar', 'rmi'] }],
    });
  });

  it('offers folders when asked, attached to the app window', async () => {
    const window = { id: 1 };
    const { dialog, calls } = fakeDialog({ canceled: true });
    expect(
      await setupDialogs(dialog, () => window as never).chooseImport({ folders: true, defaultPath: null }),
    ).toEqual([]);
    expect(calls[0][0]).toBe(window);
    expect(calls[0][1]).toMatchObject({ properties: ['openDirectory', 'multiSelections'] });
  });

  it('suggests the file name in the last save folder, and reports a cancel as null', async () => {
    const chosen = fakeDialog({ canceled: false, filePath: '/out/tune.wav' });
    expect(
      await setupDialogs(chosen.dialog, () => null).chooseSaveTarget({
        suggestedName: 'tune.wav',
        kind: 'wav',
        defaultPath: '/out',
      }),
    ).toBe('/out/tune.wav');
    expect(chosen.calls[0][0]).toMatchObject({
      defaultPath: path.join('/out', 'tune.wav'),
      filters: [{ name: 'WAV audio', extensions: ['wav'] }],
    });
    const cancelled = fakeDialog({ canceled: true });
    expect(
      await setupDialogs(cancelled.dialog, () => null).chooseSaveTarget({
        suggestedName: 'a.mid',
        kind: 'midi',
        defaultPath: null,
      }),
    ).toBeNull();
  });

  it('opens one Continuo document and saves one under its own extension', async () => {
    const open = fakeDialog({ canceled: false, filePaths: ['/d/tune.continuo-doc'] });
    expect(await setupDialogs(open.dialog, () => null).chooseDocument({ defaultPath: '/d' })).toBe(
      '/d/tune.continuo-doc',
    );
    expect(open.calls[0][0]).toMatchObject({
      title: 'Open a document',
      defaultPath: '/d',
      properties: ['openFile'],
      filters: [{ name: 'Continuo document', extensions: ['continuo-doc'] }],
    });
    const cancelled = fakeDialog({ canceled: true });
    expect(await setupDialogs(cancelled.dialog, () => null).chooseDocument({ defaultPath: null })).toBeNull();
    const save = fakeDialog({ canceled: false, filePath: '/d/tune.continuo-doc' });
    await setupDialogs(save.dialog, () => null).chooseSaveTarget({
      suggestedName: 'tune.continuo-doc',
      kind: 'document',
      defaultPath: null,
    });
    expect(save.calls[0][0]).toMatchObject({
      title: 'Save the document',
      filters: [{ name: 'Continuo document', extensions: ['continuo-doc'] }],
    });
  });
});

describe('app:// protocol', () => {
  const root = tempDir('continuo-renderer-');
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Continuo</title>');
  fs.writeFileSync(path.join(root, '..', `${path.basename(root)}-secret.txt`), 'secret');
  const handle = createAppProtocolHandler(root);

  it('serves the renderer with the same CSP as the browser host', async () => {
    const response = await handle(new Request(APP_ENTRY));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('<title>Continuo</title>');
  });

  it('refuses paths outside the renderer and other hosts', async () => {
    // URL parsing already folds `%2e%2e/` away; an encoded slash survives it and must be refused here.
    const folded = await handle(new Request(`app://continuo/%2e%2e/${path.basename(root)}-secret.txt`));
    expect(folded.status).toBe(404);
    const traversal = await handle(new Request(`app://continuo/..%2f${path.basename(root)}-secret.txt`));
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).not.toContain('secret');
    expect((await handle(new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://continuo/missing.js'))).status).toBe(404);
  });
});

describe('menu', () => {
  const roles = (template: ReturnType<typeof menuTemplate>): string[] =>
    template.flatMap((item) => [
      String(item.role ?? item.label),
      ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
    ]);

  const onCommand = () => undefined;

  /** The Edit menu's items, with what choosing each one sends. */
  function editMenu(platform: NodeJS.Platform) {
    const sent: string[] = [];
    const edit = menuTemplate({ platform, isPackaged: true, onCommand: (c) => sent.push(c) }).find(
      (item) => item.label === 'Edit',
    );
    const items = Array.isArray(edit?.submenu) ? edit.submenu : [];
    return { items, sent };
  }

  it('has Undo and Redo items that send the command to the page’s editor', () => {
    const { items, sent } = editMenu('linux');
    for (const label of ['Undo', 'Redo']) {
      const item = items.find((i) => i.label === label);
      (item?.click as (() => void) | undefined)?.();
    }
    expect(sent).toEqual(['undo', 'redo']);
  });

  it('shows the editor’s shortcuts without taking the keys from the page', () => {
    const { items } = editMenu('linux');
    expect(items.slice(0, 2).map((i) => [i.label, i.accelerator, i.registerAccelerator])).toEqual([
      ['Undo', 'CmdOrCtrl+Z', false],
      ['Redo', 'Ctrl+Y', false],
    ]);
    expect(editMenu('darwin').items[1].accelerator).toBe('Shift+Cmd+Z');
  });

  it('has New, Open… and Save… in the File menu that send the command to the page’s document', () => {
    const sent: string[] = [];
    const file = menuTemplate({ platform: 'linux', isPackaged: true, onCommand: (c) => sent.push(c) }).find(
      (item) => item.label === 'File',
    );
    const items = Array.isArray(file?.submenu) ? file.submenu : [];
    for (const item of items.slice(0, 3)) (item.click as (() => void) | undefined)?.();
    expect(items.map((i) => i.label ?? i.role ?? i.type)).toEqual([
      'New',
      'Open…',
      'Save…',
      'separator',
      'quit',
    ]);
    expect(items.slice(0, 3).map((i) => i.accelerator)).toEqual([
      'CmdOrCtrl+N',
      'CmdOrCtrl+O',
      'CmdOrCtrl+S',
    ]);
    expect(sent).toEqual(['new', 'open', 'save']);
  });

  it('keeps cut, copy, paste and select all for text fields', () => {
    expect(
      editMenu('linux')
        .items.slice(3)
        .map((i) => i.role),
    ).toEqual(['cut', 'copy', 'paste', 'selectAll']);
  });

  it('offers developer tools only in development builds', () => {
    expect(roles(menuTemplate({ platform: 'linux', isPackaged: false, onCommand }))).toContain(
      'toggleDevTools',
    );
    expect(roles(menuTemplate({ platform: 'linux', isPackaged: true, onCommand }))).not.toContain(
      'toggleDevTools',
    );
  });

  it('has an About entry and, on macOS, the application menu first', () => {
    expect(roles(menuTemplate({ platform: 'linux', isPackaged: true, onCommand }))).toContain('about');
    expect(menuTemplate({ platform: 'darwin', isPackaged: true, onCommand })[0]).toEqual({ role: 'appMenu' });
  });
});
