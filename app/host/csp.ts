/**
 * The renderer's Content-Security-Policy, one string for both hosts (Electron's app:// protocol and
 * the browser host's HTTP server), so the page is held to the same rules wherever it runs.
 *
 * - scripts and styles only from the app itself; no inline script, no eval;
 * - `blob:` for scripts and workers because Tone.js loads its AudioWorklet processors from blob URLs;
 * - `'unsafe-inline'` for styles only: Svelte transitions and Tone's UI-free nodes set inline styles;
 * - connections only to the app's own origin (the browser host's WebSocket is same-origin);
 * - no plugins, no framing, no form posts, no <base> rewriting.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response carrying the renderer gets, on both hosts. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
