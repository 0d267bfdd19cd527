import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../app/host/csp.js';
import { WebSocket } from 'ws';
import { startWebHost, type WebHost } from '../../app/host/server.js';
import { createServices, type Services } from '../../app/services/index.js';
import { fixture, requireBuiltWorker, tempDir } from './helpers.js';

let host: WebHost;
let services: Services;
let rendererDir: string;

/** A stand-in for dist/renderer with the file kinds the real one serves. */
function makeRendererDir(): string {
  const dir = tempDir('continuo-renderer-');
  fs.mkdirSync(path.join(dir, 'assets/samples'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>Continuo</title><script type="module" src="./assets/app.js"></script>',
  );
  fs.writeFileSync(path.join(dir, 'assets/app.js'), 'export {};');
  fs.writeFileSync(path.join(dir, 'assets/icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, 'assets/samples/C4v8.mp3'), new Uint8Array([0xff, 0xfb, 0x90, 0x00]));
  fs.writeFileSync(path.join(dir, 'assets/kernel.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  // A secret beside the served folder, and a symlink pointing at it from inside.
  fs.writeFileSync(path.join(dir, '..', `${path.basename(dir)}-secret.txt`), 'secret');
  fs.symlinkSync(path.join(dir, '..', `${path.basename(dir)}-secret.txt`), path.join(dir, 'assets/link.txt'));
  return dir;
}

/** Sends a request line exactly as written: fetch() would normalise `..` away before sending. */
function rawGet(
  port: number,
  target: string,
  hostHeader = `127.0.0.1:${port}`,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () =>
      resolve({ status: Number(data.split(' ')[1]), body: data.split('\r\n\r\n').slice(1).join('\r\n\r\n') }),
    );
    socket.on('error', reject);
  });
}

function apiUrl(token = host.token): string {
  return `ws://127.0.0.1:${host.port}/api?token=${token}`;
}

/** Resolves with the HTTP status the upgrade was refused with, or 101 when it was accepted. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

interface Client {
  call(method: string, args: unknown): Promise<{ type: string; result?: unknown; message?: string }>;
  events: { event: string; payload: unknown }[];
  close(): void;
}

async function connect(): Promise<Client> {
  const ws = new WebSocket(apiUrl());
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<number, (frame: { type: string; result?: unknown; message?: string }) => void>();
  const events: Client['events'] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === 'event') events.push({ event: frame.event, payload: frame.payload });
    else waiting.get(frame.id)?.(frame);
  });
  let id = 0;
  return {
    events,
    call(method, args) {
      const callId = ++id;
      return new Promise((resolve) => {
        waiting.set(callId, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id: callId, method, args }));
      });
    },
    close: () => ws.close(),
  };
}

beforeAll(async () => {
  rendererDir = makeRendererDir();
  services = createServices({ host: 'web', userDataDir: tempDir(), workerPath: requireBuiltWorker() });
  host = await startWebHost({ port: 0, rendererDir, services });
});
afterAll(async () => {
  await host?.close();
  await services?.dispose();
});

describe('browser host: address and token', () => {
  it('prints a loopback URL carrying a 32-byte hex token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses a fresh token on every start', async () => {
    const other = await startWebHost({ rendererDir, services });
    await other.close();
    expect(other.token).not.toBe(host.token);
  });

  it('listens on the loopback interface only', async () => {
    expect(host.address).toBe('127.0.0.1');
    const reachable = (address: string) =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(host.port, address);
        socket.setTimeout(5000, () => (socket.destroy(), resolve(false)));
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
    // Another address of this machine: its network interface, else another loopback address (Linux routes all of 127/8 locally).
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    const elsewhere = external?.address ?? '127.0.0.2';
    expect(await reachable('127.0.0.1')).toBe(true);
    expect(await reachable(elsewhere)).toBe(false);
  });

  it('refuses to bind anywhere but 127.0.0.1', async () => {
    await expect(startWebHost({ rendererDir, services, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(
      'binds 127.0.0.1 only',
    );
  });

  it('rejects an API connection without the token or with a wrong one', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/api`)).toBe(401);
    expect(await upgradeStatus(apiUrl('0'.repeat(64)))).toBe(401);
    expect(await upgradeStatus(apiUrl(host.token.slice(0, 63)))).toBe(401);
    expect(await upgradeStatus(apiUrl())).toBe(101);
  });

  it('rejects a connection from another web origin even with the token', async () => {
    expect(await upgradeStatus(apiUrl(), { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(apiUrl(), { Origin: `http://127.0.0.1:${host.port}` })).toBe(101);
  });

  it('rejects requests naming another host (DNS rebinding)', async () => {
    expect((await rawGet(host.port, '/', `evil.example:${host.port}`)).status).toBe(421);
  });
});

describe('browser host: static files', () => {
  it('serves the renderer with the strict CSP and correct MIME types', async () => {
    const index = await fetch(host.url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const types = async (p: string) =>
      (await fetch(`http://127.0.0.1:${host.port}${p}`)).headers.get('content-type');
    expect(await types('/assets/app.js')).toBe('text/javascript; charset=utf-8');
    expect(await types('/assets/icon.svg')).toBe('image/svg+xml');
    expect(await types('/assets/samples/C4v8.mp3')).toBe('audio/mpeg');
    expect(await types('/assets/kernel.wasm')).toBe('application/wasm');
  });

  it('refuses paths that leave the renderer folder', async () => {
    const secret = `/../${path.basename(rendererDir)}-secret.txt`;
    for (const target of [
      secret,
      '/assets/../../x',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/assets/..%5c..%5cx',
      '/assets/link.txt',
    ]) {
      const response = await rawGet(host.port, target);
      expect(response.status, target).toBe(403);
      expect(response.body).not.toContain('secret');
    }
  });

  it('answers 404 for a missing file and 405 for writes', async () => {
    expect((await fetch(`http://127.0.0.1:${host.port}/nope.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${host.port}/`, { method: 'POST' })).status).toBe(405);
  });
});

describe('browser host: the API over WebSocket', () => {
  it('answers app.info as the web host without native dialogs', async () => {
    const client = await connect();
    const reply = await client.call('app.info', {});
    client.close();
    expect(reply.type).toBe('result');
    expect(reply.result).toMatchObject({ host: 'web', nativeDialogs: false });
  });

  it('imports real MIDI bytes sent as $bytes as a job and streams its events', async () => {
    const client = await connect();
    const upload = fixture('nottingham-ashover1.mid');
    const reply = await client.call('library.importFiles', {
      files: [
        { name: upload.name, bytes: { $bytes: Buffer.from(upload.bytes).toString('base64') } },
        { name: 'junk.mid', bytes: { $bytes: Buffer.from('not a midi file').toString('base64') } },
      ],
    });
    expect(reply).toEqual({ type: 'result', id: 1, result: { job: expect.any(String) } });
    const { job } = reply.result as { job: string };
    await expect.poll(() => client.events.at(-1)?.event).toBe('job.done');
    client.close();
    const progress = client.events.slice(0, -1);
    expect(progress.every((e) => e.event === 'job.progress')).toBe(true);
    const outcomes = progress.flatMap(
      (e) =>
        (
          e.payload as {
            progress: {
              outcomes: {
                ok: boolean;
                file?: { fileName: string; melody: { notes: unknown[] } };
                fileName?: string;
              }[];
            };
          }
        ).progress.outcomes,
    );
    expect(outcomes[0]).toMatchObject({ ok: true, file: { fileName: 'nottingham-ashover1.mid' } });
    expect(outcomes[0].file!.melody.notes.length).toBeGreaterThan(0);
    expect(outcomes[1]).toMatchObject({ ok: false, fileName: 'junk.mid' });
    expect(client.events.at(-1)).toEqual({
      event: 'job.done',
      payload: { job, kind: 'library.import', result: { imported: 1, failed: 1 } },
    });
  });

  it('returns byte results as $bytes', async () => {
    const client = await connect();
    const melody = {
      notes: [{ pitch: 60, start: 0, duration: 4, velocity: 100 }],
      bpm: 100,
      timeSignature: [3, 4],
    };
    const reply = await client.call('exporter.midi', { melody, name: 'one note' });
    client.close();
    const result = reply.result as { fileName: string; bytes: { $bytes: string } };
    expect(result.fileName).toBe('one note.mid');
    expect(Buffer.from(result.bytes.$bytes, 'base64').subarray(0, 4).toString('latin1')).toBe('MThd');
  });

  it('answers invalid arguments and unknown methods with one-line errors', async () => {
    const client = await connect();
    const bad = await client.call('library.importFiles', { files: [{ name: 'a.mid', bytes: [1, 2] }] });
    const unknown = await client.call('shell.exec', {});
    client.close();
    expect(bad).toEqual({
      type: 'error',
      id: 1,
      message: 'library.importFiles: invalid arguments: files[0].bytes: expected bytes, got an array',
    });
    expect(unknown).toEqual({ type: 'error', id: 2, message: 'unknown method "shell.exec"' });
  });

  it('closes a connection that sends something other than protocol frames', async () => {
    const ws = new WebSocket(apiUrl());
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{not json');
    expect(await closed).toBe(1007);
  });
});
