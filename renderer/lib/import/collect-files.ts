/**
 * Turning what the user picked or dropped into uploads: only MIDI files, folders walked recursively,
 * in a stable order so a folder imports the way it is listed.
 */
import type { FileUpload } from '../../../app/contract/api';
import { MIDI_EXTENSIONS, isMidiFileName } from '../../../engine/midi/file-names';

export const MIDI_ACCEPT = MIDI_EXTENSIONS.join(',');

/** The minimal slice of the File and Directory Entries API that dropped folders are walked with. */
export interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
}
export interface FileEntryLike extends EntryLike {
  file(success: (file: File) => void, failure?: (error: unknown) => void): void;
}
export interface DirectoryEntryLike extends EntryLike {
  createReader(): {
    readEntries(success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void): void;
  };
}

async function readAllEntries(dir: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = dir.createReader();
  const all: EntryLike[] = [];
  // readEntries hands out directories in batches (Chromium: 100); an empty batch means the end.
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** What the user picked: the MIDI files to import (sorted by path) and the names of everything else. */
export interface Picked {
  files: File[];
  ignored: string[];
}

function split(files: { path: string; file: File }[]): Picked {
  // Natural order (tune2 before tune10), as file managers list them.
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
  return {
    files: sorted.filter((f) => isMidiFileName(f.file.name)).map((f) => f.file),
    ignored: sorted.filter((f) => !isMidiFileName(f.file.name)).map((f) => f.path.replace(/^\//, '')),
  };
}

/** Every file under the given entries, folders walked. */
export async function filesFromEntries(entries: EntryLike[]): Promise<Picked> {
  const found: { path: string; file: File }[] = [];
  const visit = async (entry: EntryLike): Promise<void> => {
    if (entry.isDirectory) {
      for (const child of await readAllEntries(entry as DirectoryEntryLike)) await visit(child);
    } else if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileEntryLike).file(resolve, reject),
      );
      found.push({ path: entry.fullPath, file });
    }
  };
  for (const entry of entries) await visit(entry);
  return split(found);
}

/**
 * Files from a drop. Real drags expose entries (so folders can be walked); a DataTransfer built by
 * script has none, so its plain file list is used instead.
 */
export async function filesFromDataTransfer(data: DataTransfer): Promise<Picked> {
  const entries: EntryLike[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry as unknown as EntryLike);
  }
  if (entries.length > 0) return filesFromEntries(entries);
  return split(Array.from(data.files).map((file) => ({ path: file.name, file })));
}

/** Files from an <input type=file>, with or without webkitdirectory. */
export function filesFromInput(list: FileList | File[]): Picked {
  return split(Array.from(list).map((file) => ({ path: file.webkitRelativePath || file.name, file })));
}

export async function toUploads(files: File[]): Promise<FileUpload[]> {
  return Promise.all(
    files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
}
