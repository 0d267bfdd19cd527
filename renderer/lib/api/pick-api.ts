/**
 * Which `ContinuoApi` this page talks to: Electron's preload puts one on `window.continuo`; in the
 * browser host the page builds its own over a WebSocket, addressed by the token in its URL.
 */
import type { ContinuoApi } from '../../../app/contract/api';
import { apiUrlFor, createWebClient } from './web-client';

declare global {
  interface Window {
    continuo?: ContinuoApi;
  }
}

export type ApiChoice = { ok: true; api: ContinuoApi } | { ok: false; problem: string };

export function pickApi(win: Window): ApiChoice {
  if (win.continuo) return { ok: true, api: win.continuo };
  const apiUrl = apiUrlFor(win.location.href);
  if (!apiUrl) {
    return {
      ok: false,
      problem:
        'This page needs the address Continuo printed when it started (it ends in ?token=…). Open that address instead.',
    };
  }
  return { ok: true, api: createWebClient(apiUrl) };
}
