/**
 * Model files on disk. Saving is atomic (engine/disk/node.ts): a crash or a kill leaves either the
 * old model or the new one, never half of one.
 */
import fs from 'node:fs';
import { writeFileAtomic } from '../disk/node.js';
import { ModelFileError, decodeModel, encodeModel, type ModelContents } from './index.js';

export async function saveModel<C>(filePath: string, contents: ModelContents<C>): Promise<void> {
  const bytes = encodeModel(contents);
  try {
    await writeFileAtomic(filePath, bytes);
  } catch (e) {
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
