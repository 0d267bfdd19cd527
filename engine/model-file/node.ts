/**
 * Model files on disk. Saving is atomic: the bytes go to a temporary file in the same directory,
 * are flushed to disk, and the temporary file is renamed over the target, so a crash or a kill
 * leaves either the old model or the new one, never half of one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ModelFileError, decodeModel, encodeModel, type ModelContents } from './index.js';

export function saveModel<C>(filePath: string, contents: ModelContents<C>): void {
  writeFileAtomic(filePath, encodeModel(contents));
}

/** Writes bytes to `filePath` through a temporary file + rename (same directory, same filesystem). */
export function writeFileAtomic(filePath: string, bytes: Uint8Array): void {
  const dir = path.dirname(filePath);
  const tmp = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, filePath);
  } catch (e) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw new ModelFileError(
      `${filePath}: cannot write the model (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
}

/** Reads and checks a model file; throws ModelFileError with one line naming the file and the problem. */
export function loadModel(filePath: string): ModelContents {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : (code ?? (e as Error).message);
    throw new ModelFileError(`${filePath}: cannot read the model (${why})`, { cause: e });
  }
  return decodeModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), filePath);
}
