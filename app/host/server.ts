/**
 * The browser host's server: the same services and contract as Electron, over one WebSocket on
 * 127.0.0.1, serving the built renderer. Exists because Electron's binary cannot be installed
 * everywhere (our build machines); Playwright drives the real renderer through it, and `npm run web`
 * uses it (the command line is cli.ts, opening a browser open-browser.ts).
 *
 * Security: binds loopback only; every API connection must present the per-run token (32 random
 * bytes) and, from a browser, come from this host's own origin; the Host header must name the
 * loopback address, which defeats DNS rebinding; static files get the app's strict CSP.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { EVENT_NAMES } from '../contract/events.js';
import { LIMITS } from '../contract/schemas.js';
import type { ClientMessage, ServerMessage } from '../contract/wire.js';
import { defaultUserDataDir } from '../services/app-info.js';
import { createServices, describeFailure, type Services } from '../services/index.js';
import { SECURITY_HEADERS } from './csp.js';
import { resolveStaticFile } from './static-files.js';
import { decodeWire, encodeWire } from '../contract/wire-codec.js';
import { WebSocketServer } from 'ws';

export const LOOPBACK = '127.0.0.1';

export interface WebHostOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Fixed: the host never listens beyond this machine. */
  host?: typeof LOOPBACK;
  /** The built renderer, normally dist/renderer. */
  rendererDir: string;
  /** The services to expose. When omitted the host creates its own and disposes them on close. */
  services?: Services;
}

export interface WebHost {
  /** The page address with the token, exactly what the CLI prints. */
  url: string;
  token: string;
  /** The address the server socket is bound to (always 127.0.0.1). */
  address: string;
  port: number;
  services: Services;
  close(): Promise<void>;
}

/** Base64 grows bytes by 4/3; the frame also carries JSON around the largest allowed call. */
const MAX_FRAME_BYTES = Math.ceil((LIMITS.bytesPerImport * 4) / 3) + 16 * 1024 * 1024;

/** A frame as the host reads it: the method is any string until services.invoke checks it. */
type ReceivedCall = Omit<ClientMessage, 'method'> & { method: string };

function parseClientMessage(text: string): ReceivedCall | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'frame is not JSON';
  }
  if (value === null || typeof value !== 'object') return 'frame is not an object';
  if (!('type' in value) || value.type !== 'invoke') return 'frame type must be "invoke"';
  if (!('id' in value) || typeof value.id !== 'number' || !Number.isSafeInteger(value.id))
    return 'frame id must be an integer';
  if (!('method' in value) || typeof value.method !== 'string') return 'frame method must be a string';
  const args = 'args' in value ? value.args : undefined;
  // The method name is checked by services.invoke, which rejects unknown ones with a message.
  return { type: 'invoke', id: value.id, method: value.method, args };
}

function tokenMatches(expected: Buffer, given: string | null): boolean {
  if (given === null) return false;
  const candidate = Buffer.from(given, 'utf8');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}\n`,
  );
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { rendererDir } = options;
  if (options.host !== undefined && options.host !== LOOPBACK) {
    throw new Error(`the browser host binds ${LOOPBACK} only (asked for ${String(options.host)})`);
  }
  const ownsServices = options.services === undefined;
  const services = options.services ?? createServices({ host: 'web', userDataDir: defaultUserDataDir() });
  const token = randomBytes(32).toString('hex');
  const tokenBytes = Buffer.from(token, 'utf8');
  let port = 0;
  const allowedHosts = () => [`${LOOPBACK}:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const server = http.createServer((req, res) => {
    void (async () => {
      if (!allowedHosts().includes(req.headers.host ?? '')) {
        res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
        return;
      }
      const urlPath = (req.url ?? '/').split('?', 1)[0];
      const found = await resolveStaticFile(rendererDir, urlPath);
      if (!found.ok) {
        res
          .writeHead(found.status, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS })
          .end(`${http.STATUS_CODES[found.status]}\n`);
        return;
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': found.contentType,
        'Content-Length': found.size,
        'Cache-Control': found.filePath.endsWith('.html') ? 'no-store' : 'no-cache',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      fs.createReadStream(found.filePath)
        .on('error', () => res.destroy())
        .pipe(res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal error\n');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    if (url.pathname !== '/api') return refuseUpgrade(socket, 404, 'no such endpoint');
    if (!allowedHosts().includes(req.headers.host ?? ''))
      return refuseUpgrade(socket, 421, 'wrong Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin))
      return refuseUpgrade(socket, 403, 'cross-origin connection refused');
    if (!tokenMatches(tokenBytes, url.searchParams.get('token')))
      return refuseUpgrade(socket, 401, 'missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = EVENT_NAMES.map((event) =>
      services.on(event, (payload) => send({ type: 'event', event, payload: encodeWire(payload) })),
    );
    ws.on('close', () => unsubscribe.forEach((off) => off()));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'binary frames are not part of the protocol');
        return;
      }
      const message = parseClientMessage(data.toString());
      if (typeof message === 'string') {
        ws.close(1007, message);
        return;
      }
      const { id, method } = message;
      services
        .invoke(method, decodeWire(message.args))
        .then((result) => send({ type: 'result', id, result: encodeWire(result) }))
        .catch((error: unknown) => {
          const failure = describeFailure(method, error);
          if (failure.unexpected) console.error(`continuo web host: ${failure.message}`, error);
          send({ type: 'error', id, message: failure.message });
        });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  const url = `http://${LOOPBACK}:${port}/?token=${token}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    token,
    address: bound.address,
    port,
    services,
    close() {
      closing ??= (async () => {
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (ownsServices) await services.dispose();
      })();
      return closing;
    },
  };
}
