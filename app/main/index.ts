/**
 * Electron main: composes the small setup modules and owns the services' lifetime. Everything with
 * logic lives in those modules, which are plain Node and tested without Electron.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiEvents, EventName } from '../contract/api.js';
import { EVENT_CHANNEL } from '../contract/ipc.js';
import { CREDITS } from '../services/app-info.js';
import { createServices } from '../services/index.js';
import { APP_SCHEME_PRIVILEGES, setupAppProtocol } from './app-protocol.js';
import { setupDialogs } from './dialogs.js';
import { setupIpc } from './ipc.js';
import { setupMenu } from './menu.js';
import { setupQuitGuard } from './quit.js';
import { setupSecurity } from './security.js';
import { setupWindow } from './window.js';

const preloadPath = fileURLToPath(new URL('../preload/index.js', import.meta.url));
const rendererDir = fileURLToPath(new URL('../../renderer', import.meta.url));

app.setName('Continuo');
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  /** An event of main's own (not a service's) for the window, typed by the contract. */
  const sendEvent = <E extends EventName>(event: E, payload: ApiEvents[E]) =>
    mainWindow?.webContents.send(EVENT_CHANNEL, event, payload);

  void app.whenReady().then(() => {
    setupSecurity(app, session.defaultSession, (url) => void shell.openExternal(url));
    setupAppProtocol(protocol, rendererDir);
    app.setAboutPanelOptions({
      applicationName: 'Continuo',
      applicationVersion: app.getVersion(),
      copyright: 'GPL-3.0-or-later',
      credits: CREDITS.map((c) => `${c.what}: ${c.who} (${c.license})`).join('\n'),
    });
    const services = createServices({
      host: 'electron',
      userDataDir: app.getPath('userData'),
      dialogs: setupDialogs(dialog, () => mainWindow),
      // Packaged, the bundled models are extraResources (electron-builder.yml); from a checkout, models/.
      ...(app.isPackaged ? { modelsDir: path.join(process.resourcesPath, 'models') } : {}),
    });
    const teardownIpc = setupIpc({
      ipcMain,
      services,
      send: (channel, event, payload) => mainWindow?.webContents.send(channel, event, payload),
      // The drag shows the system's icon for a .mid file (macOS refuses an empty one).
      startDrag: async (sender, file) => sender.startDrag({ file, icon: await app.getFileIcon(file) }),
    });
    setupMenu(Menu, {
      platform: process.platform,
      isPackaged: app.isPackaged,
      onCommand: (command) => sendEvent('menu.command', { command }),
    });
    mainWindow = setupWindow(BrowserWindow, preloadPath);
    mainWindow.on('closed', () => (mainWindow = null));
    setupQuitGuard({
      app,
      dialog,
      getWindow: () => mainWindow,
      runningTrainings: () => services.trainer.running,
      onKeepTraining: () => {
        if (mainWindow === null) mainWindow = setupWindow(BrowserWindow, preloadPath);
      },
    });

    app.on('second-instance', () => {
      if (mainWindow?.isMinimized()) mainWindow.restore();
      mainWindow?.focus();
    });
    app.on('activate', () => {
      if (mainWindow === null) mainWindow = setupWindow(BrowserWindow, preloadPath);
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    let disposed = false;
    app.on('will-quit', (event) => {
      if (disposed) return;
      // Let the worker terminate before the process goes, so no job is cut mid-write.
      event.preventDefault();
      disposed = true;
      teardownIpc();
      void services.dispose().finally(() => app.quit());
    });
  });
}
