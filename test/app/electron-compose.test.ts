/**
 * app/main/index.ts with a recording stand-in for the 'electron' module: checks that main composes
 * the setup modules in the order Electron requires (scheme privileges before ready), opens one
 * secure window on app://, binds the IPC to real services, and disposes them before quitting.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNEL, type IpcReply } from '../../app/contract/ipc.js';
import { tempDir } from './helpers.js';

const recorded = vi.hoisted(() => ({
  log: [] as string[],
  appListeners: new Map<string, (...args: unknown[]) => void>(),
  windows: [] as { options: Record<string, unknown>; url?: string }[],
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  protocols: new Map<string, unknown>(),
  userData: '',
  quitCalls: 0,
  ready: null as Promise<void> | null,
}));

vi.mock('electron', () => {
  const r = recorded;
  const app = {
    setName: (name: string) => r.log.push(`app.setName ${name}`),
    requestSingleInstanceLock: () => true,
    whenReady: () => {
      r.log.push('app.whenReady');
      r.ready = Promise.resolve();
      return r.ready;
    },
    on: (name: string, listener: (...args: unknown[]) => void) => r.appListeners.set(name, listener),
    setAboutPanelOptions: (options: { credits: string }) =>
      r.log.push(`about ${options.credits.split('\n').length} credits`),
    getVersion: () => '0.0.0-test',
    getPath: () => r.userData,
    isPackaged: false,
    quit: () => r.quitCalls++,
  };
  class BrowserWindow {
    webContents = { send: () => undefined };
    entry: { options: Record<string, unknown>; url?: string };
    constructor(options: Record<string, unknown>) {
      this.entry = { options };
      r.windows.push(this.entry);
      r.log.push('new BrowserWindow');
    }
    once() {}
    on() {}
    show() {}
    async loadURL(url: string) {
      this.entry.url = url;
    }
  }
  return {
    app,
    BrowserWindow,
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: () => r.log.push('Menu.setApplicationMenu'),
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
        r.log.push(`ipcMain.handle ${channel}`);
        r.ipcHandlers.set(channel, handler);
      },
      removeHandler: (channel: string) => r.ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) =>
        r.log.push(`protocol.registerSchemesAsPrivileged ${schemes.map((s) => s.scheme)}`),
      handle: (scheme: string, handler: unknown) => {
        r.log.push(`protocol.handle ${scheme}`);
        r.protocols.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => r.log.push('permissions denied'),
        setPermissionCheckHandler: () => undefined,
      },
    },
    shell: { openExternal: async () => undefined },
  };
});

recorded.userData = tempDir();
await import('../../app/main/index.js');
await recorded.ready;
await new Promise((resolve) => setImmediate(resolve));

afterAll(async () => {
  await quit();
});

let quitting: Promise<void> | null = null;
function quit(): Promise<void> {
  quitting ??= (async () => {
    const willQuit = recorded.appListeners.get('will-quit');
    let prevented = false;
    willQuit?.({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(recorded.quitCalls).toBe(1));
  })();
  return quitting;
}

describe('Electron main composition', () => {
  it('registers the app:// scheme before ready, then sets up security, protocol, IPC, menu and one window', () => {
    expect(recorded.log).toEqual([
      'app.setName Continuo',
      'protocol.registerSchemesAsPrivileged app',
      'app.whenReady',
      'permissions denied',
      'protocol.handle app',
      'about 4 credits',
      `ipcMain.handle ${INVOKE_CHANNEL}`,
      'Menu.setApplicationMenu',
      'new BrowserWindow',
    ]);
  });

  it('opens the window on app://continuo with the sandboxed preferences and the preload beside main', () => {
    expect(recorded.windows).toHaveLength(1);
    const [window] = recorded.windows;
    expect(window.url).toBe('app://continuo/index.html');
    expect(window.options.show).toBe(false);
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(
      /app[\\/]preload[\\/]index\.js$/,
    );
  });

  it('answers the window through real services as the electron host with native dialogs', async () => {
    const handler = recorded.ipcHandlers.get(INVOKE_CHANNEL)!;
    const reply = (await handler(
      { senderFrame: { url: 'app://continuo/index.html', parent: null } },
      'app.info',
      {},
    )) as IpcReply;
    expect(reply).toMatchObject({ ok: true, result: { host: 'electron', nativeDialogs: true } });
  });

  it('lets a quit go ahead at once when no model is training (the quit guard asks only then)', () => {
    let prevented = false;
    recorded.appListeners.get('before-quit')?.({ preventDefault: () => (prevented = true) });
    expect([recorded.appListeners.has('before-quit'), prevented]).toEqual([true, false]);
  });

  it('quits on the last window closed (not on macOS), after disposing the services', async () => {
    expect(recorded.appListeners.has('window-all-closed')).toBe(true);
    await quit();
    expect(recorded.ipcHandlers.has(INVOKE_CHANNEL)).toBe(false);
  });
});
