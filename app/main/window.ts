/** The main window: hidden until its first paint, loading the renderer from app://. */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY } from './app-protocol.js';
import { webPreferences } from './security.js';

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Continuo',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 520,
    show: false,
    backgroundColor: '#1b1d22',
    webPreferences: webPreferences(preloadPath),
  };
}

export function setupWindow(Window: typeof BrowserWindow, preloadPath: string): BrowserWindow {
  const window = new Window(windowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY);
  return window;
}
