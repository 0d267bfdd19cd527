/**
 * The application menu. Developer tools only in development builds. New, Open…, Save… (the page's
 * document) and Undo and Redo (its editor's) are the page's: choosing one sends a `menu.command`
 * event to the window. Their shortcuts are shown but
 * not registered (`registerAccelerator: false`), so on Windows and Linux the keys reach the page,
 * which handles them itself (and leaves them to a text field being typed in); on macOS a menu's key
 * equivalents always go to the menu, so there the shortcut arrives as the command.
 */
import type { Menu, MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../contract/api.js';

export interface MenuOptions {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** A menu command for the page (main sends it to the window as a `menu.command` event). */
  onCommand: (command: MenuCommand) => void;
}

export function menuTemplate({ platform, isPackaged, onCommand }: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  // These keys mean nothing to a text field, so the menu takes them (and the page never sees them).
  const file: MenuItemConstructorOptions[] = [
    { label: 'New', accelerator: 'CmdOrCtrl+N', click: () => onCommand('new') },
    { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => onCommand('open') },
    { label: 'Save…', accelerator: 'CmdOrCtrl+S', click: () => onCommand('save') },
    { type: 'separator' },
    isMac ? { role: 'close' } : { role: 'quit' },
  ];
  const edit: MenuItemConstructorOptions[] = [
    {
      label: 'Undo',
      accelerator: 'CmdOrCtrl+Z',
      registerAccelerator: false,
      click: () => onCommand('undo'),
    },
    {
      label: 'Redo',
      accelerator: isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y',
      registerAccelerator: false,
      click: () => onCommand('redo'),
    },
    { type: 'separator' },
    { role: 'cut' },
    { role: 'copy' },
    { role: 'paste' },
    { role: 'selectAll' },
  ];
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (!isPackaged) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  return [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    { label: 'File', submenu: file },
    { label: 'Edit', submenu: edit },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about', label: 'About Continuo' }] },
  ];
}

export function setupMenu(
  menu: Pick<typeof Menu, 'buildFromTemplate' | 'setApplicationMenu'>,
  options: MenuOptions,
): void {
  menu.setApplicationMenu(menu.buildFromTemplate(menuTemplate(options)));
}
