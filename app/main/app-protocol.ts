/**
 * The renderer is served from `app://continuo/`, not file://: a real origin lets the strict CSP say
 * 'self', lets fetch() load the piano samples, and lets IPC check where a call came from.
 */
import fs from 'node:fs/promises';
import type { CustomScheme, Protocol } from 'electron';
import { SECURITY_HEADERS } from '../host/csp.js';
import { resolveStaticFile } from '../host/static-files.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'continuo';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Registered before `ready`: standard (real origin), secure (like https), fetch allowed. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

/** Compared by scheme and host: WHATWG URL gives custom schemes the origin "null" outside Electron. */
function isAppLocation(url: URL): boolean {
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.host === APP_HOST &&
    url.username === '' &&
    url.password === '' &&
    url.port === ''
  );
}

export function isAppUrl(url: string): boolean {
  try {
    return isAppLocation(new URL(url));
  } catch {
    return false;
  }
}

/** Serves the built renderer for app:// requests, with the same CSP and checks as the browser host. */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const text = (status: number, body: string) =>
      new Response(body, { status, headers: { 'Content-Type': 'text/plain', ...SECURITY_HEADERS } });
    const url = new URL(request.url);
    if (!isAppLocation(url)) return text(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
    const found = await resolveStaticFile(rendererDir, url.pathname);
    if (!found.ok) return text(found.status, found.status === 404 ? 'Not found' : 'Forbidden');
    const body = request.method === 'HEAD' ? null : await fs.readFile(found.filePath);
    return new Response(body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': found.contentType,
        'Content-Length': String(found.size),
      },
    });
  };
}

export function setupAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}
