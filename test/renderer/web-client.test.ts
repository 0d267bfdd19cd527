import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Ws from 'ws';
import type { ClientMessage, ServerMessage } from '../../app/contract/wire';
import {
  apiUrlFor,
  createWebClient,
  type SocketLike,
  type WebClient,
} from '../../renderer/lib/api/web-client';
import {
  base64ToBytes,
  bytesToBase64,
  decodeWire,
  encodeWire,
  parseServerMessage,
} from '../../app/contract/wire-codec';

// Test workers run with the `browser` export condition (for Svelte), which maps `ws` to a stub that
// throws; load the package's Node entry by its path instead.
const require = createRequire(import.meta.url);
const { WebSocket, WebSocketServer } = require(
  join(dirname(require.resolve('ws/package.json')), 'index.js'),
) as typeof Ws;

/** A real WebSocket server speaking the host's protocol, scripted per test. */
async function server(handle: (msg: ClientMessage, reply: (m: ServerMessage) => void) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const received: ClientMessage[] = [];
  const sockets: Ws.WebSocket[] = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as ClientMessage;
      received.push(msg);
      handle(msg, (m) => socket.send(JSON.stringify(m)));
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/api?token=t`,
    received,
    push: (m: ServerMessage) => sockets.forEach((s) => s.send(JSON.stringify(m))),
    pushRaw: (text: string) => sockets.forEach((s) => s.send(text)),
    dropClients: () => sockets.forEach((s) => s.terminate()),
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

const nodeSocket = (url: string) => new WebSocket(url) as unknown as SocketLike;

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});
function client(url: string): WebClient {
  const c = createWebClient(url, nodeSocket);
  cleanups.push(() => c.close());
  return c;
}

describe('the byte codec', () => {
  it('round-trips every byte value through base64', () => {
    const bytes = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });
  it('replaces nested byte arrays with {$bytes} and back, leaving other values alone', () => {
    const value = {
      files: [{ name: 'a.mid', bytes: new Uint8Array([77, 84, 104, 100]) }],
      n: 3,
      s: 'x',
      z: null,
    };
    const wire = JSON.parse(JSON.stringify(encodeWire(value)));
    expect(wire.files[0].bytes).toEqual({ $bytes: 'TVRoZA==' });
    expect(decodeWire(wire)).toEqual(value);
  });
});

describe('reading the host’s frames', () => {
  it('reads results, errors and events of the protocol', () => {
    expect(parseServerMessage('{"type":"result","id":1,"result":{"removed":true}}')).toEqual({
      type: 'result',
      id: 1,
      result: { removed: true },
    });
    expect(parseServerMessage('{"type":"error","id":2,"message":"no"}')).toEqual({
      type: 'error',
      id: 2,
      message: 'no',
    });
    expect(parseServerMessage('{"type":"event","event":"job.cancelled","payload":{"job":"j"}}')).toEqual({
      type: 'event',
      event: 'job.cancelled',
      payload: { job: 'j' },
    });
  });

  it('refuses frames that are not JSON, of an unknown type or event, or missing a field', () => {
    for (const frame of [
      '{not json',
      'null',
      '[]',
      '{"type":"invoke","id":1}',
      '{"type":"result","id":"1","result":null}',
      '{"type":"result","id":1}',
      '{"type":"error","id":1,"message":42}',
      '{"type":"event","event":"shell.exec","payload":{}}',
      '{"type":"event","event":"toString","payload":{}}',
      '{"type":"event","event":"job.done"}',
      '{"type":"event","event":"library.progress","payload":{}}',
    ]) {
      expect(parseServerMessage(frame), frame).toBeNull();
    }
  });
});

describe('the web client', () => {
  it('derives the API address from the page address and its token', () => {
    expect(apiUrlFor('http://127.0.0.1:5173/?token=abc')).toBe('ws://127.0.0.1:5173/api?token=abc');
    expect(apiUrlFor('http://127.0.0.1:5173/')).toBeNull();
  });

  it('sends calls made before the socket opens and resolves each with its own result', async () => {
    const s = await server((msg, reply) =>
      reply({ type: 'result', id: msg.id, result: { removed: msg.id % 2 === 1 } }),
    );
    cleanups.push(s.close);
    const api = client(s.url);
    const [a, b] = await Promise.all([
      api.invoke('library.remove', { fileId: 'one' }),
      api.invoke('library.remove', { fileId: 'two' }),
    ]);
    expect([a.removed, b.removed]).toEqual([true, false]);
    expect(s.received.map((m) => [m.method, m.args])).toEqual([
      ['library.remove', { fileId: 'one' }],
      ['library.remove', { fileId: 'two' }],
    ]);
  });

  it('carries bytes both ways as Uint8Array', async () => {
    const s = await server((msg, reply) => {
      const args = decodeWire(msg.args) as { melody: unknown; name: string };
      reply({
        type: 'result',
        id: msg.id,
        result: encodeWire({ fileName: `${args.name}.mid`, bytes: new Uint8Array([1, 2, 255]) }),
      });
    });
    cleanups.push(s.close);
    const result = await client(s.url).invoke('exporter.midi', {
      melody: { notes: [], bpm: 120, timeSignature: [4, 4] },
      name: 'tune',
    });
    expect(result.fileName).toBe('tune.mid');
    expect(result.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(result.bytes)).toEqual([1, 2, 255]);
  });

  it('rejects with the host’s message when a call fails', async () => {
    const s = await server((msg, reply) =>
      reply({ type: 'error', id: msg.id, message: 'no imported file has id x' }),
    );
    cleanups.push(s.close);
    await expect(client(s.url).invoke('library.selectTrack', { fileId: 'x', trackIndex: 0 })).rejects.toThrow(
      'no imported file has id x',
    );
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const s = await server((msg, reply) => reply({ type: 'result', id: msg.id, result: { removed: false } }));
    cleanups.push(s.close);
    const api = client(s.url);
    const seen: number[] = [];
    const off = api.on('job.progress', (p) => p.kind === 'library.import' && seen.push(p.progress.done));
    const progress = (done: number) => ({
      job: 'j',
      kind: 'library.import',
      progress: { done, total: 2, fileName: 'a.mid', outcomes: [] },
    });
    await api.invoke('library.remove', { fileId: 'sync' });
    s.push({ type: 'event', event: 'job.progress', payload: progress(1) });
    await api.invoke('library.remove', { fileId: 'sync' });
    off();
    s.push({ type: 'event', event: 'job.progress', payload: progress(2) });
    await api.invoke('library.remove', { fileId: 'sync' });
    expect(seen).toEqual([1]);
  });

  it('ends the jobs it knew to be running with job.failed when the connection is lost', async () => {
    const s = await server((msg, reply) =>
      reply({
        type: 'result',
        id: msg.id,
        result: msg.method === 'library.importFiles' ? { job: `job-${msg.id}` } : { removed: false },
      }),
    );
    cleanups.push(s.close);
    const api = client(s.url);
    const failed: unknown[] = [];
    api.on('job.failed', (e) => failed.push(e));
    const { job: running } = await api.invoke('library.importFiles', { files: [] });
    const { job: finished } = await api.invoke('library.importFiles', { files: [] });
    s.push({ type: 'event', event: 'job.cancelled', payload: { job: finished } });
    await api.invoke('library.remove', { fileId: 'sync' });
    s.dropClients();
    await expect
      .poll(() => failed)
      .toEqual([
        { job: running, message: expect.stringMatching(/connection to the Continuo host was closed/) },
      ]);
  });

  it('ignores frames that are not part of the protocol and keeps serving calls', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    cleanups.push(() => warn.mockRestore());
    const s = await server((msg, reply) => reply({ type: 'result', id: msg.id, result: { removed: true } }));
    cleanups.push(s.close);
    const api = client(s.url);
    const seen: unknown[] = [];
    api.on('job.progress', (p) => seen.push(p));
    await api.invoke('library.remove', { fileId: 'sync' });
    s.pushRaw('{not json');
    s.pushRaw(JSON.stringify({ type: 'event', event: 'shell.exec', payload: {} }));
    expect(await api.invoke('library.remove', { fileId: 'sync' })).toEqual({ removed: true });
    expect(seen).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('fails pending and later calls with a plain message when the connection is lost', async () => {
    const s = await server(() => undefined);
    cleanups.push(s.close);
    const api = client(s.url);
    const pending = api.invoke('app.info', {});
    while (s.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    s.dropClients();
    await expect(pending).rejects.toThrow(/connection to the Continuo host was closed/);
    await expect(api.invoke('app.info', {})).rejects.toThrow(/connection to the Continuo host was closed/);
  });
});
