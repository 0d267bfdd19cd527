/**
 * Resolving a request path to a file of the built renderer, shared by the browser host and
 * Electron's app:// protocol. Only files inside the root are served: `..`, encoded separators, NUL
 * bytes and symlinks pointing out of the root are refused.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.mid': 'audio/midi',
};

export function mimeType(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { ok: true; filePath: string; contentType: string; size: number }
  | { ok: false; status: 403 | 404; reason: string };

/** `urlPath` is the raw (still percent-encoded) path of the request URL, without the query. */
export async function resolveStaticFile(rootDir: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 403, reason: 'malformed path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\'))
    return { ok: false, status: 403, reason: 'forbidden character in path' };
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..'))
    return { ok: false, status: 403, reason: 'path leaves the app folder' };
  if (segments.length === 0) segments.push('index.html');
  const root = path.resolve(rootDir);
  const candidate = path.join(root, ...segments);
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([fs.realpath(candidate), fs.realpath(root)]);
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  const relative = path.relative(realRoot, real);
  if (relative.startsWith('..') || path.isAbsolute(relative))
    return { ok: false, status: 403, reason: 'path leaves the app folder' };
  const stat = await fs.stat(real);
  if (!stat.isFile()) return { ok: false, status: 404, reason: 'not found' };
  return { ok: true, filePath: real, contentType: mimeType(real), size: stat.size };
}
