import { describe, expect, it } from 'vitest';
import type { MethodName } from '../../app/contract/api.js';
import { ArgsError, LIMITS, isMethodName, validateArgs } from '../../app/contract/schemas.js';
import { expectOneLine } from './helpers.js';

const midiBytes = new Uint8Array([0x4d, 0x54, 0x68, 0x64]);
const melody = {
  notes: [{ pitch: 60, start: 0, duration: 4, velocity: 90 }],
  bpm: 120,
  timeSignature: [4, 4],
};

const sampling = {
  modelId: 'default',
  temperature: 0.9,
  topK: 0,
  topP: 0.95,
  novelty: null,
  scale: { tonic: 0, name: 'major' },
  range: { min: 60, max: 84 },
  maxRepeats: 3,
  randomSeed: 42,
};
const settings = { ...sampling, bars: 4, variations: 4 };

const result = {
  key: '2',
  label: '2',
  melody,
  seedNotes: 1,
  memorisation: { longestRun: 0, warning: false },
  made: { modelId: 'default', modelName: 'Default model', settings, variation: 1 },
  regenerated: null,
};
const regenerated = { from: '2', fromBar: 2, toBar: 3, chosen: 0, candidates: 4 };
const generation = {
  settings,
  results: [result, { ...result, key: '2-r', label: '2 · bars 2–3', made: null, regenerated }],
};
const document = { format: 'continuo-document', version: 1, seed: melody, generation };

/** For each method: one valid call, and bad calls each with the field the message must name. */
const cases: { [M in MethodName]: { valid: unknown; invalid: [args: unknown, mentions: string][] } } = {
  'app.info': {
    valid: {},
    invalid: [
      [null, 'expected an object'],
      [{ extra: 1 }, 'unexpected field "extra"'],
      [[], 'expected an object'],
    ],
  },
  'library.importFiles': {
    valid: { files: [{ name: 'a.mid', bytes: midiBytes }], total: 40 },
    invalid: [
      [{}, 'missing field "files"'],
      [{ files: 'a.mid' }, 'files: expected an array'],
      [{ files: [{ name: 'a.mid', bytes: [1, 2, 3] }] }, 'files[0].bytes: expected bytes'],
      [{ files: [{ name: '', bytes: midiBytes }] }, 'files[0].name: must not be empty'],
      [
        { files: [{ name: 'x'.repeat(LIMITS.fileNameLength + 1), bytes: midiBytes }] },
        'files[0].name: longer than',
      ],
      [
        { files: [{ name: 'a.mid', bytes: new Uint8Array(LIMITS.bytesPerImport + 1) }] },
        'files[0].bytes: 268435457 bytes is more than the limit',
      ],
      [
        {
          files: Array.from({ length: LIMITS.filesPerImport + 1 }, () => ({
            name: 'a.mid',
            bytes: midiBytes,
          })),
        },
        'files: more than',
      ],
      [{ files: [{ name: 'a.mid', bytes: midiBytes, path: '/etc/passwd' }] }, 'unexpected field "path"'],
      [{ files: [{ name: 'a.mid', bytes: midiBytes }], total: 2.5 }, 'total: expected an integer'],
      [
        { files: [{ name: 'a.mid', bytes: midiBytes }], total: LIMITS.filesPerImportJob + 1 },
        'total: must be between 0 and 100000',
      ],
      [
        {
          files: [
            { name: 'a.mid', bytes: midiBytes },
            { name: 'b.mid', bytes: midiBytes },
          ],
          total: 1,
        },
        'total: is 1, fewer than the 2 files of this call',
      ],
    ],
  },
  'library.importMore': {
    valid: { job: 'c0ffee-42', files: [{ name: 'b.mid', bytes: midiBytes }] },
    invalid: [
      [{ files: [] }, 'missing field "job"'],
      [{ job: '../jobs', files: [] }, 'job: is not a job id'],
      [{ job: 'x'.repeat(LIMITS.jobIdLength + 1), files: [] }, 'job: longer than'],
      [{ job: 'a', files: [{ name: 'a.mid', bytes: 'AAAA' }] }, 'files[0].bytes: expected bytes'],
    ],
  },
  'library.openDialog': {
    valid: { folders: true },
    invalid: [
      [{ folders: 'yes' }, 'folders: expected true or false'],
      [{}, 'missing field "folders"'],
    ],
  },
  'library.selectTrack': {
    valid: { fileId: 'a1b2-c3', trackIndex: 2 },
    invalid: [
      [{ fileId: '../x', trackIndex: 0 }, 'fileId: is not a file id'],
      [{ fileId: 'a', trackIndex: -1 }, 'trackIndex: must be between'],
      [{ fileId: 'a', trackIndex: 1.5 }, 'trackIndex: expected an integer'],
      [{ fileId: 'x'.repeat(LIMITS.fileIdLength + 1), trackIndex: 0 }, 'fileId: longer than'],
    ],
  },
  'library.remove': { valid: { fileId: 'abc' }, invalid: [[{ fileId: 42 }, 'fileId: expected a string']] },
  'jobs.cancel': {
    valid: { job: '0b7e5c1a-2f4d-4c8e-9a1b-3d5f7e9c1a2b' },
    invalid: [
      [{}, 'missing field "job"'],
      [{ job: 7 }, 'job: expected a string, got a number'],
      [{ job: 'a', all: true }, 'unexpected field "all"'],
    ],
  },
  'files.dragOut': {
    valid: { melody, name: 'tune variation A' },
    invalid: [
      [{ melody }, 'name'],
      [
        { melody: { ...melody, notes: [{ pitch: 60, start: -1, duration: 1, velocity: 1 }] }, name: 'x' },
        'melody.notes[0].start',
      ],
      [{ melody, name: 'x', path: '/etc/passwd' }, 'path'],
    ],
  },
  'exporter.midi': {
    valid: { melody, name: 'tune' },
    invalid: [
      [{ melody: { ...melody, bpm: Number.NaN }, name: 'x' }, 'melody.bpm: expected a finite number'],
      [
        { melody: { ...melody, timeSignature: [3, 5] }, name: 'x' },
        'melody.timeSignature[1]: must be a power of two',
      ],
      [
        { melody: { ...melody, notes: [{ pitch: 128, start: 0, duration: 1, velocity: 1 }] }, name: 'x' },
        'melody.notes[0].pitch',
      ],
      [
        { melody: { ...melody, notes: [{ pitch: 60, start: 0, duration: 0, velocity: 1 }] }, name: 'x' },
        'melody.notes[0].duration',
      ],
      [
        {
          melody: {
            ...melody,
            notes: [
              { pitch: 60, start: 0, duration: 4, velocity: 90 },
              { pitch: 62, start: 2, duration: 4, velocity: 90 },
            ],
          },
          name: 'x',
        },
        'melody.notes[1]: overlaps',
      ],
      [{ melody, name: 7 }, 'name: expected a string'],
    ],
  },
  'files.save': {
    valid: { suggestedName: 'tune.wav', kind: 'wav', bytes: midiBytes },
    invalid: [
      [{ suggestedName: 'a', kind: 'exe', bytes: midiBytes }, 'kind: must be one of midi, wav'],
      [{ suggestedName: 'a', kind: 'midi', bytes: 'AAAA' }, 'bytes: expected bytes'],
      [{ suggestedName: 'a', kind: 'midi' }, 'missing field "bytes"'],
    ],
  },
  'models.list': { valid: {}, invalid: [[{ all: true }, 'unexpected field "all"']] },
  'generator.options': { valid: {}, invalid: [[null, 'expected an object']] },
  'generator.generate': {
    valid: { seed: melody, settings, firstVariation: 3 },
    invalid: [
      [{ seed: melody }, 'args: missing field "settings"'],
      [
        { seed: melody, settings: { ...settings, variations: 17 } },
        'settings.variations: must be between 1 and 16',
      ],
      [{ seed: melody, settings: { ...settings, bars: 0 } }, 'settings.bars: must be between 1 and 128'],
      [
        { seed: melody, settings: { ...settings, temperature: -1 } },
        'settings.temperature: must be between 0',
      ],
      [{ seed: melody, settings: { ...settings, topP: 0 } }, 'settings.topP: must be above 0 and at most 1'],
      [{ seed: melody, settings: { ...settings, topK: 1.5 } }, 'settings.topK: expected an integer'],
      [{ seed: melody, settings: { ...settings, novelty: 2 } }, 'settings.novelty: must be between 0 and 1'],
      [{ seed: melody, settings: { ...settings, scale: { tonic: 12, name: 'major' } } }, 'settings.scale'],
      [{ seed: melody, settings: { ...settings, scale: 'C major' } }, 'settings.scale'],
      [
        { seed: melody, settings: { ...settings, range: { min: 80, max: 60 } } },
        'settings.range: min 80 is above max 60',
      ],
      [{ seed: melody, settings: { ...settings, maxRepeats: 0 } }, 'settings.maxRepeats: must be between 1'],
      [{ seed: melody, settings: { ...settings, randomSeed: -1 } }, 'settings.randomSeed: must be between 0'],
      [{ seed: melody, settings: { ...settings, modelId: '../x' } }, 'settings.modelId: is not a model id'],
      [{ seed: melody, settings: { ...settings, extra: 1 } }, 'settings: unexpected field "extra"'],
      [{ seed: { ...melody, bpm: 0 }, settings }, 'seed.bpm: must be between 1 and 1000'],
    ],
  },
  'generator.regenerate': {
    valid: { melody, fromBar: 2, toBar: 3, candidates: 8, settings: sampling },
    invalid: [
      [{ melody, fromBar: 3, toBar: 2, candidates: 8, settings: sampling }, 'toBar: is 2, before fromBar 3'],
      [
        { melody, fromBar: 1, toBar: 2, candidates: 17, settings: sampling },
        'candidates: must be between 1 and 16',
      ],
      [{ melody, fromBar: 1, toBar: 2, candidates: 4, settings }, 'settings: unexpected field "bars"'],
    ],
  },
  'generator.analyse': {
    valid: { melody, modelId: 'default', novelty: null, step: 16 },
    invalid: [
      [{ melody, modelId: 'default', novelty: null, step: -1 }, 'step: must be between 0'],
      [{ melody, modelId: 'default', novelty: null }, 'missing field "step"'],
    ],
  },
  'jobs.pause': {
    valid: { job: 'a1' },
    invalid: [[{ job: '../x' }, 'job: is not a job id']],
  },
  'jobs.resume': {
    valid: { job: 'a1' },
    invalid: [[{}, 'missing field "job"']],
  },
  'models.use': {
    valid: { from: { kind: 'checkpoint', run: 'r-1', step: 40 } },
    invalid: [
      [{ from: { kind: 'model' } }, 'from: missing field "id"'],
      [
        { from: { kind: 'file', id: 'x' } },
        'from.kind: expected {kind: "model", id} or {kind: "checkpoint", run, step}',
      ],
    ],
  },
  'models.rename': {
    valid: { model: 'm-1', name: 'Reels' },
    invalid: [
      [{ model: 'm-1', name: '   ' }, 'name: must not be blank'],
      [{ model: 'm-1', name: 'x'.repeat(81) }, 'name: longer than 80 characters'],
    ],
  },
  'models.delete': {
    valid: { model: 'm-1' },
    invalid: [[{ model: 'a/b' }, 'model: is not a model id']],
  },
  'models.export': {
    valid: { model: 'default' },
    invalid: [[{ model: 3 }, 'model: expected a string']],
  },
  'models.import': {
    valid: { name: 'reels.continuo', bytes: midiBytes },
    invalid: [[{ name: 'reels.continuo', bytes: [1, 2] }, 'bytes: expected bytes, got an array']],
  },
  'trainer.options': { valid: {}, invalid: [[{ x: 1 }, 'unexpected field "x"']] },
  'trainer.estimate': {
    valid: { fileIds: ['f1', 'f2'], from: 'default', preset: 'quick' },
    invalid: [
      [{ fileIds: [], from: 'default', preset: 'quick' }, 'fileIds: choose at least one file'],
      [{ fileIds: ['f1', 'f1'], from: 'default', preset: 'quick' }, 'fileIds[1]: file f1 is listed twice'],
      [{ fileIds: ['f1'], from: 'default', preset: 'huge' }, 'preset: must be one of quick, standard, large'],
    ],
  },
  'trainer.start': {
    valid: {
      fileIds: ['f1'],
      from: 'scratch',
      preset: 'standard',
      advanced: { steps: 200, seconds: null, seed: 3, patience: 0, name: 'Jigs' },
    },
    invalid: [
      [
        { fileIds: ['f1'], from: 'scratch', preset: 'quick', advanced: { steps: 0 } },
        'advanced.steps: must be between 1',
      ],
      [
        { fileIds: ['f1'], from: 'scratch', preset: 'quick', advanced: { epochs: 3 } },
        'advanced: unexpected field "epochs"',
      ],
      [{ fileIds: ['f1'], from: '', preset: 'quick' }, 'from: must not be empty'],
    ],
  },
  'trainer.listen': {
    valid: { job: 'j1', seed: melody, bars: 2 },
    invalid: [[{ job: 'j1', seed: melody, bars: 17 }, 'bars: must be between 1 and 16']],
  },
  'trainer.checkpoints': { valid: { run: 'r-1' }, invalid: [[{ run: '' }, 'run: must not be empty']] },
  'trainer.interrupted': { valid: {}, invalid: [[[], 'expected an object']] },
  'trainer.resume': { valid: { run: 'r-1' }, invalid: [[{ run: 'r/1' }, 'run: is not a training run id']] },
  'trainer.discard': { valid: { run: 'r-1' }, invalid: [[{}, 'missing field "run"']] },
  'document.autosave': {
    valid: { document },
    invalid: [
      [{}, 'args: missing field "document"'],
      [{ document: { ...document, version: 2 } }, 'document.version: must be one of 1'],
      [{ document: { ...document, format: 'midi' } }, 'document.format: must be one of continuo-document'],
      [{ document: { ...document, generation: undefined } }, 'document: missing field "generation"'],
      [
        {
          document: { ...document, generation: { ...generation, settings: { ...settings, variations: 17 } } },
        },
        'document.generation.settings.variations: must be between 1 and 16, got 17',
      ],
      [
        { document: { ...document, generation: { ...generation, results: [{ ...result, key: '' }] } } },
        'document.generation.results[0].key: must not be empty',
      ],
      [
        {
          document: {
            ...document,
            generation: { ...generation, results: [{ ...result, memorisation: { longestRun: 3 } }] },
          },
        },
        'document.generation.results[0].memorisation: expected {longestRun, warning} or {missing}',
      ],
      [
        {
          document: {
            ...document,
            generation: {
              ...generation,
              results: [{ ...result, regenerated: { ...regenerated, chosen: 16 } }],
            },
          },
        },
        'document.generation.results[0].regenerated.chosen: must be between 0 and 15, got 16',
      ],
      [
        {
          document: {
            ...document,
            generation: {
              ...generation,
              results: Array.from({ length: LIMITS.resultsPerDocument + 1 }, () => result),
            },
          },
        },
        'document.generation.results: more than 1000 items',
      ],
    ],
  },
  'document.restore': { valid: {}, invalid: [[{ path: '/etc/passwd' }, 'unexpected field "path"']] },
  'document.encode': {
    valid: { document, name: 'tune' },
    invalid: [[{ document }, 'missing field "name"']],
  },
  'document.save': {
    valid: { document, name: '' },
    invalid: [[{ document, name: 'x'.repeat(LIMITS.fileNameLength + 1) }, 'name: longer than']],
  },
  'document.read': {
    valid: { file: { name: 'tune.continuo-doc', bytes: midiBytes } },
    invalid: [
      [{ file: { name: 'tune.continuo-doc', bytes: 'text' } }, 'file.bytes: expected bytes, got a string'],
    ],
  },
  'document.openDialog': { valid: {}, invalid: [[{ path: '/tmp/x' }, 'unexpected field "path"']] },
};

describe('argument schemas', () => {
  for (const [method, { valid, invalid }] of Object.entries(cases) as [
    MethodName,
    (typeof cases)[MethodName],
  ][]) {
    describe(method, () => {
      it('accepts a well-formed call and returns only the checked fields', () => {
        expect(validateArgs(method, valid)).toEqual(valid);
      });
      for (const [args, mentions] of invalid) {
        it(`rejects ${mentions} with a one-line message naming the method`, () => {
          let thrown: unknown;
          try {
            validateArgs(method, args);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(ArgsError);
          const message = (thrown as ArgsError).message;
          expect(message).toContain(`${method}: invalid arguments:`);
          expect(message).toContain(mentions);
          expectOneLine(message);
        });
      }
    });
  }

  it('knows exactly the methods of the contract', () => {
    expect(Object.keys(cases).every(isMethodName)).toBe(true);
    expect(isMethodName('library.deleteEverything')).toBe(false);
    expect(isMethodName('constructor')).toBe(false);
  });

  it('bounds the total bytes of one import, not only each file', () => {
    const big = new Uint8Array(LIMITS.bytesPerMidiFile);
    const count = Math.floor(LIMITS.bytesPerImport / LIMITS.bytesPerMidiFile) + 1;
    expect(count).toBeLessThanOrEqual(LIMITS.filesPerImport);
    const files = Array.from({ length: count }, (_, i) => ({ name: `${i}.mid`, bytes: big }));
    expect(() => validateArgs('library.importFiles', { files })).toThrow(/import fewer at a time/);
  });
});
