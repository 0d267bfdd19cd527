/**
 * Writing files so that a crash, a kill or a power cut leaves either the old file or the new one,
 * never half of one (Node only). The one implementation for model files, training checkpoints,
 * generated MIDI, the app's settings and the files it saves.
 */
import { randomBytes } from 'node:crypto';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `data` to a temporary file beside `filePath` (same directory, so the same file system),
 * flushes it to disk, renames it over `filePath` and flushes the directory so the rename itself is
 * durable. On failure the temporary file is removed, `filePath` is untouched and the file system's
 * error is rethrown for the caller to word.
 */
export async function writeFileAtomic(filePath: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(filePath);
  const tmp = path.join(
    dir,
    `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let handle: FileHandle | null = null;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(tmp, filePath);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory as a file; its renames are made durable by the file system.
  if (process.platform === 'win32') return;
  let handle: FileHandle | null = null;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory (EINVAL). The file's bytes are already on disk
    // and in place, so the write has not failed; only the rename's durability is left to the system.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
