import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../../engine/disk/node.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-atomic-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const freshDir = () => fs.mkdtempSync(path.join(root, 'd-'));

describe('engine/disk: writeFileAtomic', () => {
  it('writes bytes and text whole, replacing what was there, and leaves only the file', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'model.bin');
    const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 255);
    await writeFileAtomic(file, bytes);
    expect(Buffer.compare(fs.readFileSync(file), bytes)).toBe(0);
    await writeFileAtomic(file, '{"a": 1}\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a": 1}\n');
    expect(fs.readdirSync(dir)).toEqual(['model.bin']);
  });

  it('flushes the file, and on POSIX its folder, to disk before it resolves', async () => {
    const dir = freshDir();
    const probe = await fsp.open(path.join(dir, 'probe'), 'w');
    const handleType = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    const sync = vi.spyOn(handleType, 'sync');
    await writeFileAtomic(path.join(dir, 'settings.json'), '{}');
    expect(sync).toHaveBeenCalledTimes(process.platform === 'win32' ? 1 : 2);
  });

  it('leaves the old file whole and no temporary file when the write fails', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, 'old');
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    vi.spyOn(fsp, 'rename').mockRejectedValueOnce(full);
    await expect(writeFileAtomic(file, 'new')).rejects.toBe(full);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it("rethrows the file system's error when the folder does not exist", async () => {
    const file = path.join(freshDir(), 'missing', 'a.mid');
    await expect(writeFileAtomic(file, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
