/**
 * The user's document on disk (plain Node): autosaved to the app's data folder and restored on
 * start, saved and opened as a file the user chooses.
 *
 * Nothing the user made is lost:
 * - Every write is atomic and flushed (engine/disk/node.ts `writeFileAtomic`), so a crash leaves
 *   the old file or the new one, never half of one.
 * - Before an autosave replaces the last one, the last one becomes the backup (a rename, itself
 *   atomic). A crash between the two leaves the backup; a damaged latest autosave (a bad disk, a
 *   hand edit, a newer app's file) falls back to the backup on restore. So the last good document is
 *   always on disk.
 * - A damaged autosave is never overwritten or deleted: it is renamed aside (`autosave.damaged-…`)
 *   and the message says where, so it can be sent with a bug report or read by a newer version.
 * - Reading a file the user opens never changes anything: it gives the document or a one-line
 *   message naming the file and the problem, and the window keeps its document.
 *
 * Files are JSON (UTF-8), checked against `continuoDocument` (app/contract/schemas.ts) on every read.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../engine/disk/node.js';
import { firstLine } from '../../engine/errors/first-line.js';
import type { ContinuoDocument, OpenedDocument, RestoredDocument } from '../contract/api.js';
import { LIMITS, checkDocument } from '../contract/schemas.js';
import { ServiceError } from './errors.js';
import { safeFileName } from './exporter.js';

/** A document file's extension (`.continuo` is a model file's). */
export const DOCUMENT_EXTENSION = '.continuo-doc';
/** Where autosaves live, under the app's data folder. */
export const DOCUMENTS_FOLDER = 'documents';
export const AUTOSAVE_FILE = `autosave${DOCUMENT_EXTENSION}`;
export const BACKUP_FILE = `autosave.backup${DOCUMENT_EXTENSION}`;

/** The document as a file's bytes: JSON, one line, ending in a newline. */
export function encodeDocument(document: ContinuoDocument): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(document)}\n`);
}

/** What is wrong with `bytes` as a document file, or the document. Never throws. */
export function decodeDocument(
  bytes: Uint8Array,
): { ok: true; document: ContinuoDocument } | { ok: false; problem: string } {
  if (bytes.byteLength === 0) return { ok: false, problem: 'is empty' };
  if (bytes.byteLength > LIMITS.bytesPerDocument)
    return {
      ok: false,
      problem: `is ${bytes.byteLength} bytes, more than the limit of ${LIMITS.bytesPerDocument} for a document`,
    };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: 'is not a Continuo document (not UTF-8 text)' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = error instanceof SyntaxError ? `: ${firstLine(error)}` : '';
    return { ok: false, problem: `is not a Continuo document (not valid JSON${where})` };
  }
  return checkDocument(value);
}

/**
 * `problem` said of `subject`: "… is empty", "… was saved by a newer version …", or for a field
 * "… is damaged (seed.bpm: must be …)".
 */
export function describeProblem(subject: string, problem: string): string {
  return /^(is|was) /.test(problem) ? `${subject} ${problem}` : `${subject} is damaged (${problem})`;
}

/** The document of a file the user opened, or a ServiceError naming the file and the problem. */
export function readDocument(fileName: string, bytes: Uint8Array): OpenedDocument {
  const decoded = decodeDocument(bytes);
  if (!decoded.ok) throw new ServiceError(`${describeProblem(fileName, decoded.problem)}; it was not opened`);
  return { fileName, document: decoded.document };
}

/** A file name for a document called `name` (its extension added once, unsafe characters gone). */
export function documentFileName(name: string): string {
  const base = name.endsWith(DOCUMENT_EXTENSION) ? name.slice(0, -DOCUMENT_EXTENSION.length) : name;
  return safeFileName(base, DOCUMENT_EXTENSION, 'document');
}

/** What the documents service needs from the host: where the user chooses files (Electron only). */
export interface DocumentDialogs {
  chooseSaveTarget(options: {
    suggestedName: string;
    kind: 'document';
    defaultPath: string | null;
  }): Promise<string | null>;
  chooseDocument(options: { defaultPath: string | null }): Promise<string | null>;
}

export interface DocumentsOptions {
  userDataDir: string;
  /** Native dialogs (Electron); without them Save and Open through a dialog say what to do instead. */
  dialogs?: DocumentDialogs;
  /** The folder the last dialog ended in, and where to remember it. */
  lastDir?: { get(): string | null; set(dir: string): Promise<unknown> };
  /** A time stamp for the names of files kept aside; the clock by default. */
  now?: () => Date;
}

export interface Documents {
  /** The folder the autosave and its backup are in. */
  readonly folder: string;
  /** Writes `document` as the autosave (the previous one becomes the backup); false when unchanged. */
  autosave(document: ContinuoDocument): Promise<boolean>;
  restore(): Promise<RestoredDocument>;
  encode(document: ContinuoDocument, name: string): { fileName: string; bytes: Uint8Array };
  /** Electron: asks where, then writes; the chosen file's base name, or null when cancelled. */
  saveWithDialog(document: ContinuoDocument, name: string): Promise<string | null>;
  /** Electron: asks which file, then reads it; null when cancelled. Rejects naming a bad file. */
  openWithDialog(): Promise<OpenedDocument | null>;
  /** Resolves once every autosave asked for has been written (or has failed). */
  idle(): Promise<void>;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);

export function createDocuments(options: DocumentsOptions): Documents {
  const { dialogs, lastDir } = options;
  const now = options.now ?? (() => new Date());
  const folder = path.join(options.userDataDir, DOCUMENTS_FOLDER);
  const autosavePath = path.join(folder, AUTOSAVE_FILE);
  const backupPath = path.join(folder, BACKUP_FILE);
  /** The bytes this session last wrote to (or read intact from) `autosavePath`. */
  let onDisk: Uint8Array | null = null;
  // One write at a time, in order, so a slow write cannot land after a newer one.
  let queue: Promise<unknown> = Promise.resolve();

  async function readIfPresent(file: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(file));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Renames a damaged autosave out of the way, keeping it; returns the name it now has. */
  async function keepAside(file: string): Promise<string> {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const kept = path.join(folder, `autosave.damaged-${stamp}${DOCUMENT_EXTENSION}`);
    await fs.rename(file, kept);
    return kept;
  }

  /** The latest autosave becomes the backup, if it is a good one; a damaged one is kept aside. */
  async function rotate(): Promise<void> {
    if (onDisk === null) {
      const present = await readIfPresent(autosavePath);
      if (present === null) return;
      if (!decodeDocument(present).ok) {
        await keepAside(autosavePath);
        return;
      }
    }
    try {
      await fs.rename(autosavePath, backupPath);
    } catch (error) {
      // Removed behind our back: there is nothing to keep, and the backup stays as it was.
      if (!isMissing(error)) throw error;
    }
  }

  async function write(document: ContinuoDocument): Promise<boolean> {
    const bytes = encodeDocument(document);
    if (onDisk !== null && sameBytes(onDisk, bytes)) return false;
    try {
      await fs.mkdir(folder, { recursive: true });
      await rotate();
      // From here until the write lands, only the backup is on disk: a crash restores from it.
      onDisk = null;
      await writeFileAtomic(autosavePath, bytes);
    } catch (error) {
      throw new ServiceError(`The document could not be autosaved to ${autosavePath} (${firstLine(error)})`);
    }
    onDisk = bytes;
    return true;
  }

  /** One autosave file read and checked: the document, nothing there, or what is wrong. */
  async function readAutosave(
    file: string,
  ): Promise<
    | { kind: 'ok'; document: ContinuoDocument; bytes: Uint8Array }
    | { kind: 'missing' }
    | { kind: 'bad'; problem: string }
  > {
    let bytes: Uint8Array | null;
    try {
      bytes = await readIfPresent(file);
    } catch (error) {
      return { kind: 'bad', problem: `cannot be read (${firstLine(error)})` };
    }
    if (bytes === null) return { kind: 'missing' };
    const decoded = decodeDocument(bytes);
    return decoded.ok
      ? { kind: 'ok', document: decoded.document, bytes }
      : { kind: 'bad', problem: decoded.problem };
  }

  async function restore(): Promise<RestoredDocument> {
    await queue;
    const latest = await readAutosave(autosavePath);
    if (latest.kind === 'ok') {
      onDisk = latest.bytes;
      return { document: latest.document, source: 'autosave', problem: null };
    }
    let problem: string | null = null;
    if (latest.kind === 'bad') {
      let kept = '';
      try {
        kept = `; it is kept as ${await keepAside(autosavePath)}`;
      } catch {
        // Could not be moved: it stays where it is, and the next autosave sets it aside (rotate).
      }
      problem = `${describeProblem(`The autosaved document ${autosavePath}`, latest.problem)}${kept}`;
    }
    const backup = await readAutosave(backupPath);
    if (backup.kind === 'ok') {
      return {
        document: backup.document,
        source: 'backup',
        problem: problem && `${problem}; the autosave before it was restored`,
      };
    }
    if (backup.kind === 'bad' && problem === null)
      problem = `The autosaved document is missing and ${describeProblem(`its backup ${backupPath}`, backup.problem)}`;
    else if (backup.kind === 'bad')
      problem = `${problem}; ${describeProblem(`its backup ${backupPath}`, backup.problem)} too`;
    return { document: null, source: null, problem };
  }

  const needDialogs = (what: string): DocumentDialogs => {
    if (!dialogs)
      throw new ServiceError(
        `${what} needs the desktop app; in the browser, use the page's file picker or download instead`,
      );
    return dialogs;
  };

  const remember = (file: string) => lastDir?.set(path.dirname(file)).catch(() => undefined);

  return {
    folder,
    autosave(document) {
      const written = queue.then(() => write(document));
      queue = written.catch(() => undefined);
      return written;
    },
    restore,
    encode(document, name) {
      return { fileName: documentFileName(name), bytes: encodeDocument(document) };
    },
    async saveWithDialog(document, name) {
      const target = await needDialogs('Saving a document through a dialog').chooseSaveTarget({
        suggestedName: documentFileName(name),
        kind: 'document',
        defaultPath: lastDir?.get() ?? null,
      });
      if (target === null) return null;
      try {
        await writeFileAtomic(target, encodeDocument(document));
      } catch (error) {
        throw new ServiceError(`${path.basename(target)} could not be saved (${firstLine(error)})`);
      }
      await remember(target);
      return path.basename(target);
    },
    async openWithDialog() {
      const chosen = await needDialogs('Opening a document through a dialog').chooseDocument({
        defaultPath: lastDir?.get() ?? null,
      });
      if (chosen === null) return null;
      const fileName = path.basename(chosen);
      let bytes: Uint8Array;
      try {
        const stat = await fs.stat(chosen);
        if (stat.size > LIMITS.bytesPerDocument)
          throw new ServiceError(
            `${fileName} is ${stat.size} bytes, more than the limit of ${LIMITS.bytesPerDocument} for a document; it was not opened`,
          );
        bytes = new Uint8Array(await fs.readFile(chosen));
      } catch (error) {
        if (error instanceof ServiceError) throw error;
        throw new ServiceError(`${fileName} cannot be read (${firstLine(error)}); it was not opened`);
      }
      const opened = readDocument(fileName, bytes);
      await remember(chosen);
      return opened;
    },
    async idle() {
      await queue;
    },
  };
}
