/**
 * Electron's security defaults, in one place so a test can read them: isolated sandboxed renderer
 * without Node, one preload, no navigation, no new windows, no webviews, and one permission: MIDI.
 */
import type { App, Session, WebContents, WebPreferences } from 'electron';
import { isAppUrl } from './app-protocol.js';

export function webPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // Dropped MIDI files are the renderer's to handle; Chromium must not navigate to them.
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** The only frame allowed to call the API: the top-level frame of our own app:// page. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

interface Preventable {
  preventDefault(): void;
}

const prevent = (event: Preventable) => event.preventDefault();

/** Links the page may hand to the system browser (the About box's credits): https only. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The page is a single-page app: it never navigates, opens windows or embeds webviews. An https
 * link it tries to open goes to the system browser instead (`openExternal`), never into the app.
 */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  const external = (url: string) => {
    if (isExternalLink(url)) openExternal(url);
  };
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    external(event.url);
  });
  contents.on('will-redirect', prevent);
  contents.on('will-attach-webview', prevent);
  contents.setWindowOpenHandler(({ url }) => {
    external(url);
    return { action: 'deny' };
  });
}

/**
 * The one permission the page gets: Web MIDI without system-exclusive messages ('midi'; 'midiSysex'
 * is denied), so a MIDI keyboard can play notes in, and only for our own app:// page. Playback needs
 * no permission; nothing else the app does should ask for one.
 */
export function allowsPermission(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'midi' && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

export function setupSecurity(
  app: Pick<App, 'on'>,
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  openExternal: (url: string) => void,
): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openExternal));
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowsPermission(permission, details?.requestingUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowsPermission(permission, requestingOrigin),
  );
}
