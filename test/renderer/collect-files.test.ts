// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  filesFromDataTransfer,
  filesFromEntries,
  filesFromInput,
  toUploads,
  type EntryLike,
} from '../../renderer/lib/import/collect-files';

const file = (name: string, bytes: number[] = [77, 84, 104, 100]) => new File([new Uint8Array(bytes)], name);

/** A folder as the File and Directory Entries API presents it, handing out children in small batches. */
function dir(name: string, path: string, children: EntryLike[], batch = 2): EntryLike {
  return {
    isFile: false,
    isDirectory: true,
    name,
    fullPath: path,
    createReader() {
      let at = 0;
      return {
        readEntries(success: (entries: EntryLike[]) => void) {
          const slice = children.slice(at, at + batch);
          at += batch;
          setTimeout(() => success(slice), 0);
        },
      };
    },
  } as EntryLike;
}
function entry(path: string): EntryLike {
  const name = path.split('/').pop() ?? path;
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath: path,
    file: (ok: (f: File) => void) => ok(file(name)),
  } as EntryLike;
}

describe('dropped folders', () => {
  it('walks nested folders through every batch and returns MIDI files sorted by path', async () => {
    const tree = dir('tunes', '/tunes', [
      entry('/tunes/b.mid'),
      dir('jigs', '/tunes/jigs', [
        entry('/tunes/jigs/z.mid'),
        entry('/tunes/jigs/a.kar'),
        entry('/tunes/jigs/notes.txt'),
      ]),
      entry('/tunes/a.midi'),
      entry('/tunes/README.md'),
    ]);
    const picked = await filesFromEntries([tree]);
    expect(picked.files.map((f) => f.name)).toEqual(['a.midi', 'b.mid', 'a.kar', 'z.mid']);
    expect(picked.ignored).toEqual(['tunes/jigs/notes.txt', 'tunes/README.md']);
  });

  it('uses the plain file list when a drop carries no entries (a script-made DataTransfer)', async () => {
    const files = [file('b.mid'), file('cover.jpg'), file('a.mid')];
    const data = {
      items: files.map(() => ({ kind: 'file', webkitGetAsEntry: () => null })),
      files,
    } as unknown as DataTransfer;
    const picked = await filesFromDataTransfer(data);
    expect(picked.files.map((f) => f.name)).toEqual(['a.mid', 'b.mid']);
    expect(picked.ignored).toEqual(['cover.jpg']);
  });
});

describe('picked files', () => {
  it('sorts a folder pick by its relative paths', () => {
    const inFolder = (name: string, rel: string) =>
      Object.defineProperty(file(name), 'webkitRelativePath', { value: rel });
    const picked = filesFromInput([inFolder('a.mid', 'set/z/a.mid'), inFolder('b.mid', 'set/b.mid')]);
    expect(picked.files.map((f) => f.name)).toEqual(['b.mid', 'a.mid']);
  });

  it('lists numbered files in natural order', () => {
    const picked = filesFromInput(['tune10.mid', 'tune2.mid', 'tune1.mid'].map((n) => file(n)));
    expect(picked.files.map((f) => f.name)).toEqual(['tune1.mid', 'tune2.mid', 'tune10.mid']);
  });

  it('reads each file into an upload with its name and exact bytes', async () => {
    const [upload] = await toUploads([file('x.mid', [1, 2, 3, 250])]);
    expect(upload.name).toBe('x.mid');
    expect(Array.from(upload.bytes)).toEqual([1, 2, 3, 250]);
  });
});
