/**
 * The compiled preload, run the way a sandboxed Electron renderer runs it: its source wrapped in a
 * function that receives a `require` able to load only 'electron' (Electron's
 * lib/sandboxed_renderer/init.ts), in a fresh VM context standing in for the isolated world.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContinuoApi } from '../../app/contract/api.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type IpcReply } from '../../app/contract/ipc.js';
import { repoRoot } from '../helpers/shared.js';

const preloadPath = path.join(repoRoot, 'dist/app/preload/index.js');
let source: string;

beforeAll(() => {
  if (!fs.existsSync(preloadPath))
    throw new Error('dist/app/preload/index.js is missing: run "npm run build" first (npm test does it)');
  source = fs.readFileSync(preloadPath, 'utf8');
});

type Listener = (event: unknown, ...args: unknown[]) => void;

function runSandboxed(
  reply: (channel: string, ...args: unknown[]) => IpcReply = () => ({ ok: true, result: null }),
) {
  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => (
        invoked.push([channel, ...args]),
        reply(channel, ...args)
      ),
      on: (channel: string, listener: Listener) =>
        listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
      removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
    },
  };
  const preloadRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name}`);
  };
  const wrapper = `(function(require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${source}\n})`;
  const fn = vm.runInNewContext(wrapper, {}, { filename: preloadPath }) as (...args: unknown[]) => void;
  const exportsObject = {};
  fn(preloadRequire, {}, undefined, {}, setImmediate, clearImmediate, exportsObject, {
    exports: exportsObject,
  });
  const emit = (...args: unknown[]) => listeners.get(EVENT_CHANNEL)?.forEach((l) => l({}, ...args));
  return { exposed, required, invoked, listeners, emit };
}

describe('preload (sandboxed)', () => {
  it('loads with nothing but the electron module and exposes only window.continuo', () => {
    const { exposed, required } = runSandboxed();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['continuo']);
    expect(Object.keys(exposed.get('continuo') as object).sort()).toEqual(['invoke', 'on']);
  });

  it('invokes on the main process channel and resolves with the result', async () => {
    const { exposed, invoked } = runSandboxed(() => ({ ok: true, result: { removed: true } }));
    const api = exposed.get('continuo') as ContinuoApi;
    await expect(api.invoke('library.remove', { fileId: 'abc' })).resolves.toEqual({ removed: true });
    expect(invoked).toEqual([[INVOKE_CHANNEL, 'library.remove', { fileId: 'abc' }]]);
  });

  it("rejects with main's one-line message, not Electron's wrapped one", async () => {
    const { exposed } = runSandboxed(() => ({
      ok: false,
      message: 'library.remove: invalid arguments: fileId: is not a file id',
    }));
    const api = exposed.get('continuo') as ContinuoApi;
    await expect(api.invoke('library.remove', { fileId: '..' })).rejects.toThrow(
      /^library\.remove: invalid arguments: fileId: is not a file id$/,
    );
  });

  it('delivers only the subscribed event and unsubscribes cleanly', () => {
    const { exposed, emit, listeners } = runSandboxed();
    const api = exposed.get('continuo') as ContinuoApi;
    const seen: unknown[] = [];
    const off = api.on('job.progress', (p) => seen.push(p));
    const first = {
      job: 'j1',
      kind: 'library.import',
      progress: { done: 1, total: 2, fileName: 'a.mid', outcomes: [] },
    };
    emit('job.progress', first);
    emit('job.done', { job: 'j1', kind: 'library.import', result: { imported: 2, failed: 0 } });
    off();
    emit('job.progress', { ...first, progress: { ...first.progress, done: 2 } });
    expect(seen).toEqual([first]);
    expect(listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });
});
