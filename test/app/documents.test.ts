import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContinuoDocument, GenerationPart } from '../../app/contract/api.js';
import { DOCUMENT_VERSION } from '../../app/contract/schemas.js';
import {
  AUTOSAVE_FILE,
  BACKUP_FILE,
  DOCUMENTS_FOLDER,
  createDocuments,
  decodeDocument,
  encodeDocument,
  type DocumentDialogs,
} from '../../app/services/documents.js';
import { createServices, type Services } from '../../app/services/index.js';
import { generatedResult, generationSettings } from '../helpers/documents.js';
import { expectOneLine, requireBuiltWorker, tempDir } from './helpers.js';

const seed = (...pitches: number[]): ContinuoDocument['seed'] => ({
  notes: pitches.map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 90 })),
  bpm: 112,
  timeSignature: [3, 4],
});

const settings = { ...generationSettings, scale: { tonic: 0, name: 'major' as const }, variations: 2 };

const generation: GenerationPart = {
  settings,
  results: [
    {
      ...generatedResult('1', seed(60, 62, 64, 65), 2),
      made: { modelId: 'default', modelName: 'Default', settings, variation: 0 },
    },
    {
      key: '1-r1',
      label: '1 · bars 2–2',
      melody: seed(60, 62, 67, 65),
      seedNotes: 2,
      memorisation: { missing: 'this model has no index of its training melodies' },
      made: null,
      regenerated: { from: '1', fromBar: 2, toBar: 2, chosen: 3, candidates: 4 },
    },
  ],
};

const doc = (s = seed(60, 62), gen: GenerationPart | null = null): ContinuoDocument => ({
  format: 'continuo-document',
  version: 1,
  seed: s,
  generation: gen,
});

const dirs: string[] = [];
function dataDir(): string {
  const dir = tempDir('continuo-documents-');
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const inFolder = (dir: string, name: string) => path.join(dir, DOCUMENTS_FOLDER, name);
const readDoc = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as ContinuoDocument;
const fixedClock = () => new Date('2026-12-02T04:30:00.000Z');

describe('the document file', () => {
  it('round-trips a document with its generation settings and results through bytes', () => {
    const document = doc(seed(60, 62, 64), generation);
    expect(decodeDocument(encodeDocument(document))).toEqual({ ok: true, document });
  });

  it('says a file of a newer version needs a newer Continuo, with both version numbers', () => {
    const newer = new TextEncoder().encode(JSON.stringify({ ...doc(), version: DOCUMENT_VERSION + 1 }));
    expect(decodeDocument(newer)).toEqual({
      ok: false,
      problem: `was saved by a newer version of Continuo (document version ${DOCUMENT_VERSION + 1}; this one reads up to ${DOCUMENT_VERSION}): update Continuo to open it`,
    });
  });

  it.each([
    ['an empty file', '', 'is empty'],
    ['half a file', encodeDocument(doc()).slice(0, 40), 'is not a Continuo document (not valid JSON'],
    ['a MIDI file', new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0xff, 0xfe]), 'not UTF-8 text'],
    [
      'another JSON file',
      '{"name":"x"}',
      'is not a Continuo document (its "format" is not "continuo-document")',
    ],
    ['a list', '[1,2]', 'expected an object, got an array'],
    ['no version', '{"format":"continuo-document"}', 'version: expected a positive integer, got a undefined'],
    [
      'a bad note',
      JSON.stringify({
        ...doc(),
        seed: { ...seed(60), notes: [{ pitch: 300, start: 0, duration: 4, velocity: 90 }] },
      }),
      'seed.notes[0].pitch: must be between 0 and 127, got 300',
    ],
    [
      'a result with more seed notes than notes',
      JSON.stringify(doc(seed(60), { settings, results: [{ ...generation.results[0], seedNotes: 9 }] })),
      "generation.results[0].seedNotes: is 9, more than the melody's 4 notes",
    ],
    [
      'settings without a random seed',
      JSON.stringify({
        ...doc(seed(60)),
        generation: { settings: { ...settings, randomSeed: undefined }, results: [] },
      }),
      'generation.settings: missing field "randomSeed"',
    ],
    ['an unknown field', JSON.stringify({ ...doc(), extra: 1 }), 'document: unexpected field "extra"'],
  ])('names the problem of %s in one line', (_what, content, problem) => {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const decoded = decodeDocument(bytes);
    expect(decoded.ok).toBe(false);
    const found = decoded.ok ? '' : decoded.problem;
    expect(found).toContain(problem);
    expectOneLine(found);
  });
});

describe('autosave', () => {
  it('writes the document to the data folder and restores it', async () => {
    const dir = dataDir();
    const documents = createDocuments({ userDataDir: dir });
    expect(await documents.autosave(doc(seed(60, 62, 64)))).toBe(true);
    expect(readDoc(inFolder(dir, AUTOSAVE_FILE)).seed).toEqual(seed(60, 62, 64));
    const restarted = createDocuments({ userDataDir: dir });
    expect(await restarted.restore()).toEqual({
      document: doc(seed(60, 62, 64)),
      source: 'autosave',
      problem: null,
    });
  });

  it('restores nothing, saying nothing is wrong, on a first start', async () => {
    expect(await createDocuments({ userDataDir: dataDir() }).restore()).toEqual({
      document: null,
      source: null,
      problem: null,
    });
  });

  it('keeps the previous autosave as the backup', async () => {
    const dir = dataDir();
    const documents = createDocuments({ userDataDir: dir });
    await documents.autosave(doc(seed(60)));
    await documents.autosave(doc(seed(60, 62)));
    await documents.autosave(doc(seed(60, 62, 64)));
    expect(readDoc(inFolder(dir, AUTOSAVE_FILE)).seed).toEqual(seed(60, 62, 64));
    expect(readDoc(inFolder(dir, BACKUP_FILE)).seed).toEqual(seed(60, 62));
  });

  it('does not write a document that has not changed since the last autosave', async () => {
    const dir = dataDir();
    const documents = createDocuments({ userDataDir: dir });
    await documents.autosave(doc(seed(60)));
    await documents.autosave(doc(seed(60, 62)));
    expect(await documents.autosave(doc(seed(60, 62)))).toBe(false);
    expect(readDoc(inFolder(dir, BACKUP_FILE)).seed).toEqual(seed(60));
  });

  it('writes quick autosaves in the order they were asked for', async () => {
    const dir = dataDir();
    const documents = createDocuments({ userDataDir: dir });
    await Promise.all(
      [60, 62, 64, 65, 67].map((_, i, all) => documents.autosave(doc(seed(...all.slice(0, i + 1))))),
    );
    expect(readDoc(inFolder(dir, AUTOSAVE_FILE)).seed).toEqual(seed(60, 62, 64, 65, 67));
    expect(readDoc(inFolder(dir, BACKUP_FILE)).seed).toEqual(seed(60, 62, 64, 65));
  });

  it('restores the backup when a crash came between setting the last autosave aside and writing the new one', async () => {
    const dir = dataDir();
    const documents = createDocuments({ userDataDir: dir });
    await documents.autosave(doc(seed(60)));
    await documents.autosave(doc(seed(60, 62)));
    // What the rename of rotate() leaves on disk before writeFileAtomic's rename lands.
    fs.renameSync(inFolder(dir, AUTOSAVE_FILE), inFolder(dir, BACKUP_FILE));
    expect(await createDocuments({ userDataDir: dir }).restore()).toEqual({
      document: doc(seed(60, 62)),
      source: 'backup',
      problem: null,
    });
  });

  it('says why an autosave failed and leaves the last one intact, with no temporary file behind', async () => {
    const dir = dataDir();
    const documents = createDocuments({ userDataDir: dir });
    await documents.autosave(doc(seed(60)));
    // A folder where the backup goes: the file system refuses the rename, even to root.
    fs.mkdirSync(inFolder(dir, BACKUP_FILE));
    fs.writeFileSync(path.join(inFolder(dir, BACKUP_FILE), 'x'), '');
    const message = await documents.autosave(doc(seed(60, 62))).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message).toMatch(/^The document could not be autosaved to .*autosave\.continuo-doc \(/);
    expectOneLine(message);
    expect(fs.readdirSync(path.join(dir, DOCUMENTS_FOLDER)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await createDocuments({ userDataDir: dir }).restore()).document).toEqual(doc(seed(60)));
  });

  it('falls back to the backup when the last autosave is damaged, keeps the damaged file and says where', async () => {
    const dir = dataDir();
    const documents = createDocuments({ userDataDir: dir });
    await documents.autosave(doc(seed(60)));
    await documents.autosave(doc(seed(60, 62)));
    fs.writeFileSync(inFolder(dir, AUTOSAVE_FILE), '{"format":"continuo-document","version":1,"seed":');
    const restored = await createDocuments({ userDataDir: dir, now: fixedClock }).restore();
    const kept = inFolder(dir, 'autosave.damaged-2026-12-02T04-30-00-000Z.continuo-doc');
    expect(restored.document).toEqual(doc(seed(60)));
    expect(restored.source).toBe('backup');
    const half = '{"format":"continuo-document","version":1,"seed":';
    expect(restored.problem).toBe(
      `The autosaved document ${inFolder(dir, AUTOSAVE_FILE)} is not a Continuo document (not valid JSON: ${errorOf(half)}); it is kept as ${kept}; the autosave before it was restored`,
    );
    expect(fs.readFileSync(kept, 'utf8')).toContain('"seed":');
  });

  it('does not let the next autosave push a damaged one over the good backup', async () => {
    const dir = dataDir();
    await createDocuments({ userDataDir: dir }).autosave(doc(seed(60)));
    await createDocuments({ userDataDir: dir }).autosave(doc(seed(60, 62)));
    fs.writeFileSync(inFolder(dir, AUTOSAVE_FILE), 'garbage');
    // A session that autosaves without restoring first (another window) still checks what it replaces.
    await createDocuments({ userDataDir: dir, now: fixedClock }).autosave(doc(seed(72)));
    expect(readDoc(inFolder(dir, BACKUP_FILE)).seed).toEqual(seed(60));
    expect(readDoc(inFolder(dir, AUTOSAVE_FILE)).seed).toEqual(seed(72));
    expect(
      fs.readdirSync(path.join(dir, DOCUMENTS_FOLDER)).filter((f) => f.includes('damaged')),
    ).toHaveLength(1);
  });

  it('keeps an autosave written by a newer Continuo and says so', async () => {
    const dir = dataDir();
    fs.mkdirSync(path.join(dir, DOCUMENTS_FOLDER));
    fs.writeFileSync(inFolder(dir, AUTOSAVE_FILE), JSON.stringify({ ...doc(), version: 99 }));
    const restored = await createDocuments({ userDataDir: dir, now: fixedClock }).restore();
    expect(restored.document).toBeNull();
    expect(restored.problem).toMatch(
      /^The autosaved document .* was saved by a newer version of Continuo \(document version 99; this one reads up to 1\): update Continuo to open it; it is kept as .*autosave\.damaged-.*\.continuo-doc$/,
    );
    expectOneLine(restored.problem ?? '');
  });

  it('says so when both the autosave and its backup are damaged', async () => {
    const dir = dataDir();
    fs.mkdirSync(path.join(dir, DOCUMENTS_FOLDER));
    fs.writeFileSync(inFolder(dir, AUTOSAVE_FILE), '');
    fs.writeFileSync(inFolder(dir, BACKUP_FILE), '[]');
    const restored = await createDocuments({ userDataDir: dir, now: fixedClock }).restore();
    expect(restored).toMatchObject({ document: null, source: null });
    expect(restored.problem).toMatch(
      /is empty; it is kept as .*; its backup .*autosave\.backup\.continuo-doc is not a Continuo document \(expected an object, got an array\) too$/,
    );
  });
});

function errorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('Save and Open through native dialogs (Electron)', () => {
  function dialogs(answers: { save?: string | null; open?: string | null }) {
    const asked: unknown[] = [];
    const d: DocumentDialogs = {
      chooseSaveTarget: async (o) => (asked.push(o), answers.save ?? null),
      chooseDocument: async (o) => (asked.push(o), answers.open ?? null),
    };
    return { d, asked };
  }

  it('saves where the user chose and opens it again, remembering the folder', async () => {
    const folder = dataDir();
    const target = path.join(folder, 'My tune.continuo-doc');
    let last: string | null = null;
    const lastDir = { get: () => last, set: async (dir: string) => (last = dir) };
    const { d, asked } = dialogs({ save: target, open: target });
    const documents = createDocuments({ userDataDir: dataDir(), dialogs: d, lastDir });
    expect(await documents.saveWithDialog(doc(seed(60, 64), generation), 'My tune')).toBe(
      'My tune.continuo-doc',
    );
    expect(await documents.openWithDialog()).toEqual({
      fileName: 'My tune.continuo-doc',
      document: doc(seed(60, 64), generation),
    });
    expect(asked).toEqual([
      { suggestedName: 'My tune.continuo-doc', kind: 'document', defaultPath: null },
      { defaultPath: folder },
    ]);
  });

  it('opens nothing and saves nothing when the user cancels', async () => {
    const documents = createDocuments({ userDataDir: dataDir(), dialogs: dialogs({}).d });
    expect(await documents.saveWithDialog(doc(), 'x')).toBeNull();
    expect(await documents.openWithDialog()).toBeNull();
  });

  it('names the file and the problem when the chosen file is damaged', async () => {
    const file = path.join(dataDir(), 'broken.continuo-doc');
    fs.writeFileSync(file, JSON.stringify({ ...doc(), seed: { ...seed(60), bpm: 0 } }));
    const documents = createDocuments({ userDataDir: dataDir(), dialogs: dialogs({ open: file }).d });
    await expect(documents.openWithDialog()).rejects.toThrow(
      'broken.continuo-doc is damaged (seed.bpm: must be between 1 and 1000, got 0); it was not opened',
    );
  });

  it('explains that the browser host has no dialogs', async () => {
    const documents = createDocuments({ userDataDir: dataDir() });
    await expect(documents.openWithDialog()).rejects.toThrow(
      /^Opening a document through a dialog needs the desktop app/,
    );
  });
});

describe('the document methods of the contract', () => {
  let services: Services | null = null;
  afterAll(async () => services?.dispose());

  it('autosave, restore, encode and read through invoke, checked at the boundary', async () => {
    const dir = dataDir();
    services = createServices({ host: 'web', userDataDir: dir, workerPath: requireBuiltWorker() });
    const document = doc(seed(60, 62, 64), generation);
    expect(await services.invoke('document.autosave', { document })).toEqual({ written: true });
    expect(await services.invoke('document.restore', {})).toEqual({
      document,
      source: 'autosave',
      problem: null,
    });
    const encoded = (await services.invoke('document.encode', { document, name: 'a/b: tune' })) as {
      fileName: string;
      bytes: Uint8Array;
    };
    expect(encoded.fileName).toBe('a-b- tune.continuo-doc');
    expect(
      await services.invoke('document.read', { file: { name: encoded.fileName, bytes: encoded.bytes } }),
    ).toEqual({ fileName: encoded.fileName, document });
    await expect(
      services.invoke('document.autosave', {
        document: { ...document, seed: { ...document.seed, bpm: 'fast' } },
      }),
    ).rejects.toThrow(
      'document.autosave: invalid arguments: document.seed.bpm: expected a finite number, got a string',
    );
    await expect(
      services.invoke('document.read', {
        file: { name: 'x.continuo-doc', bytes: new TextEncoder().encode('{}') },
      }),
    ).rejects.toThrow(
      'x.continuo-doc is not a Continuo document (its "format" is not "continuo-document"); it was not opened',
    );
  });
});
