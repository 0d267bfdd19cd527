/**
 * The boundary check for every `ApiMethods` call, and the one declaration of each method's
 * arguments: `api.ts` infers the argument types from these schemas (zod 4), so a field cannot be
 * checked one way and typed another. Arguments come from a renderer page, which we treat like any
 * other untrusted client: every field is type-checked, every size, count and number bounded, and
 * unknown fields refused (strict objects), before a service sees them.
 *
 * Failures are one-line messages fit to show the user (`ArgsError`) that name the exact field
 * (`files[3].bytes: expected bytes, got an array`), which is what a developer needs when the
 * renderer sends something wrong; `formatIssue` turns zod's issue path and code into that form.
 *
 * Main-side only: the renderer imports types from here, never values (eslint.config.js), so zod
 * stays out of the page's bundle.
 */
import { z } from 'zod';
import { SCALE_NAMES } from '../../engine/sample/constraints.js';
import type { Melody, MethodName } from './api.js';

/** Limits on what one call may carry. Generous for real use (a folder of ~5000 tunes), finite for abuse. */
export const LIMITS = {
  filesPerImport: 5000,
  /** Files of one import job across all its parts (each part is bounded like a call above). */
  filesPerImportJob: 100_000,
  bytesPerMidiFile: 16 * 1024 * 1024,
  bytesPerImport: 256 * 1024 * 1024,
  fileNameLength: 255,
  notesPerMelody: 200_000,
  maxStep: 100_000_000,
  trackIndex: 65_535,
  fileIdLength: 64,
  jobIdLength: 64,
  /** A WAV of ~20 minutes of 44.1 kHz 16-bit stereo: far beyond any melody we render. */
  bytesPerSave: 256 * 1024 * 1024,
  modelIdLength: 64,
  /** Bars one request may add (or regenerate): a long tune is 32; the engine allows more. */
  barsPerGeneration: 128,
  variations: 16,
  candidates: 16,
  maxRepeats: 64,
  /** Random seeds are non-negative 32-bit integers, as the window shows and edits them. */
  randomSeed: 2 ** 32 - 1,
  /** Top-k beyond the vocabulary (193 tokens) is the same as off. */
  topK: 256,
  temperature: 5,
  /** The first variation's number when one variation of a batch is made again. */
  firstVariation: 1000,
  /** Library files one training may learn from (a large personal collection). */
  filesPerTraining: 20_000,
  trainingSteps: 1_000_000,
  /** A day: longer runs are resumed, not budgeted at once. */
  trainingSeconds: 86_400,
  patience: 1000,
  validateEvery: 10_000,
  maxTranspose: 12,
  learningRate: 1,
  /** A listen is a short continuation between training steps. */
  listenBars: 16,
  runIdLength: 64,
  modelNameLength: 80,
  /** A model file the user imports: the large preset's LSTM is a few MB; 256 MB is far beyond. */
  bytesPerModel: 256 * 1024 * 1024,
  /** A document file (seed, settings, results) as bytes: far beyond 16 variations of a long tune. */
  bytesPerDocument: 64 * 1024 * 1024,
  /** Results one document keeps (every batch and every bar-range regeneration of it). */
  resultsPerDocument: 1000,
  resultKeyLength: 64,
  resultLabelLength: 100,
  /** The words of a memorisation meter that could not be computed. */
  messageLength: 1000,
} as const;

export class ArgsError extends Error {
  override name = 'ArgsError';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const between = (min: number, max: number) => ({
  error: (issue: { input?: unknown }) => `must be between ${min} and ${max}, got ${String(issue.input)}`,
});

const integer = (min: number, max: number) => z.int().min(min, between(min, max)).max(max, between(min, max));

const finite = (min: number, max: number) =>
  z.number().min(min, between(min, max)).max(max, between(min, max));

/** A string of at most `maxLength` characters; empty only where the field allows it. */
const text = (maxLength: number, { nonEmpty = true } = {}) =>
  z
    .string()
    .min(nonEmpty ? 1 : 0)
    .max(maxLength);

const bytes = (maxBytes: number) =>
  z
    .custom<Uint8Array>((value) => value instanceof Uint8Array, {
      error: (issue) => `expected bytes, got ${describe(issue.input)}`,
    })
    .refine((value) => value.byteLength <= maxBytes, {
      error: (issue) =>
        `${issue.input instanceof Uint8Array ? issue.input.byteLength : '?'} bytes is more than the limit of ${maxBytes}`,
    });

const FILE_ID = /^[A-Za-z0-9_-]+$/;
const identifier = (maxLength: number, what: string) =>
  text(maxLength).regex(FILE_ID, { error: `is not ${what}` });

export const fileId = identifier(LIMITS.fileIdLength, 'a file id');
export const jobId = identifier(LIMITS.jobIdLength, 'a job id');
export const runId = identifier(LIMITS.runIdLength, 'a training run id');

/** A file the renderer read itself (file picker, folder picker, drag and drop). */
export const fileUpload = z.strictObject({
  // The file's base name, for messages only; never used as a path.
  name: text(LIMITS.fileNameLength),
  // A file over the per-file limit is one bad file, reported in its own outcome by the library;
  // here only the whole call is bounded.
  bytes: bytes(LIMITS.bytesPerImport),
});

/** Files of one call, bounded in count and in total bytes (not only each file). */
const uploads = z
  .array(fileUpload)
  .max(LIMITS.filesPerImport)
  .superRefine((files, ctx) => {
    const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
    if (total > LIMITS.bytesPerImport) {
      ctx.addIssue({
        code: 'custom',
        message: `${total} bytes in one import is more than the limit of ${LIMITS.bytesPerImport}; import fewer at a time`,
      });
    }
  });

const note = z.strictObject({
  pitch: integer(0, 127),
  start: integer(0, LIMITS.maxStep),
  duration: integer(1, LIMITS.maxStep),
  velocity: integer(1, 127),
});

const DENOMINATORS = [1, 2, 4, 8, 16, 32, 64];

/** A melody as the engine defines it: sorted, non-overlapping notes, a tempo and a time signature. */
export const melody = z
  .strictObject({
    notes: z.array(note).max(LIMITS.notesPerMelody),
    bpm: finite(1, 1000),
    timeSignature: z.tuple(
      [
        integer(1, 64),
        integer(1, 64).refine((d) => DENOMINATORS.includes(d), {
          error: (issue) => `must be a power of two, got ${String(issue.input)}`,
        }),
      ],
      { error: 'expected [numerator, denominator]' },
    ),
  })
  .superRefine(({ notes }, ctx) => {
    for (let i = 1; i < notes.length; i++) {
      const prev = notes[i - 1];
      if (prev.start + prev.duration > notes[i].start) {
        ctx.addIssue({
          code: 'custom',
          path: ['notes', i],
          message: 'overlaps the previous note (notes must be sorted and must not overlap)',
        });
        return;
      }
    }
  }) satisfies z.ZodType<Melody>;

export const saveKind = z.enum(['midi', 'wav', 'model']);

export const modelId = identifier(LIMITS.modelIdLength, 'a model id');

export const scaleName = z.enum(
  SCALE_NAMES as [(typeof SCALE_NAMES)[number], ...(typeof SCALE_NAMES)[number][]],
);

/** A key/scale lock: tonic pitch class 0 (C) … 11 (B) and one of the engine's scales. */
export const scaleChoice = z.strictObject({ tonic: integer(0, 11), name: scaleName });

const pitchRange = z
  .strictObject({ min: integer(0, 127), max: integer(0, 127) })
  .refine(({ min, max }) => min <= max, {
    error: (issue) => {
      const r = issue.input as { min: number; max: number };
      return `min ${r.min} is above max ${r.max}`;
    },
  });

/** The sampling, constraint and model fields of a generation (everything but its length and count). */
const samplingFields = {
  modelId,
  temperature: finite(0, LIMITS.temperature),
  topK: integer(0, LIMITS.topK),
  topP: z
    .number()
    .gt(0, { error: (issue) => `must be above 0 and at most 1, got ${String(issue.input)}` })
    .max(1, { error: (issue) => `must be above 0 and at most 1, got ${String(issue.input)}` }),
  novelty: finite(0, 1).nullable(),
  scale: z.union([scaleChoice, z.literal('detect'), z.null()], {
    error: 'expected {tonic, name}, "detect" or null',
  }),
  range: pitchRange.nullable(),
  maxRepeats: integer(1, LIMITS.maxRepeats).nullable(),
  randomSeed: integer(0, LIMITS.randomSeed),
};

/** Settings of a bar-range regeneration (see `GenerationSettings` in api.ts for each field). */
export const samplingSettings = z.strictObject(samplingFields);

/** The Generate panel's settings, one record (see `GenerationSettings` in api.ts for each field). */
export const generationSettings = z.strictObject({
  ...samplingFields,
  bars: integer(1, LIMITS.barsPerGeneration),
  variations: integer(1, LIMITS.variations),
});

export const trainingPresetName = z.enum(['quick', 'standard', 'large']);

/** `'scratch'` or a model id (no model is ever given the id `scratch`). */
export const trainingFrom = z.union([z.literal('scratch'), modelId], {
  error: 'expected a model id or "scratch"',
});

/** See `TrainingAdvanced` in api.ts; every field optional (absent = the preset's choice). */
export const trainingAdvanced = z.strictObject({
  steps: integer(1, LIMITS.trainingSteps).optional(),
  seconds: finite(1, LIMITS.trainingSeconds).nullable().optional(),
  seed: integer(0, LIMITS.randomSeed).optional(),
  patience: integer(0, LIMITS.patience).optional(),
  validateEvery: integer(1, LIMITS.validateEvery).optional(),
  learningRate: z
    .number()
    .gt(0, {
      error: (issue) => `must be above 0 and at most ${LIMITS.learningRate}, got ${String(issue.input)}`,
    })
    .max(LIMITS.learningRate, {
      error: (issue) => `must be above 0 and at most ${LIMITS.learningRate}, got ${String(issue.input)}`,
    })
    .optional(),
  maxTranspose: integer(0, LIMITS.maxTranspose).optional(),
  name: text(LIMITS.modelNameLength).optional(),
});

/** The library files of a training: at least one, each once. */
const trainingFiles = z
  .array(fileId)
  .min(1, { error: 'choose at least one file to train on' })
  .max(LIMITS.filesPerTraining)
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: `file ${id} is listed twice` });
      seen.add(id);
    });
  });

const trainingRequest = {
  fileIds: trainingFiles,
  from: trainingFrom,
  preset: trainingPresetName,
  advanced: trainingAdvanced.optional(),
};

const modelName = text(LIMITS.modelNameLength).refine((name) => name.trim() !== '', {
  error: 'must not be blank',
});

// ---------------------------------------------------------------------------------------------
// The document file: what the user made (the seed, the Generate panel's settings and its results),
// autosaved and restored on start, saved and opened as a file. Declared once, here: the autosave
// and save calls are checked against it at the boundary like any argument, and a file read from
// disk is checked against it with the same one-line messages (`checkDocument`).

/** What the `format` field of every document file says. */
export const DOCUMENT_FORMAT = 'continuo-document';
/**
 * The version this app writes and the newest it reads. Raise it when the shape changes, and read
 * older versions by converting them here; a file of a newer version is refused with a message.
 */
export const DOCUMENT_VERSION = 1;

const memorisation = z.union(
  [
    z.strictObject({ longestRun: integer(0, LIMITS.notesPerMelody), warning: z.boolean() }),
    z.strictObject({ missing: text(LIMITS.messageLength) }),
  ],
  { error: 'expected {longestRun, warning} or {missing}' },
);

/** What made a result (`GenerationRecipe` in api.ts): "regenerate exactly" makes it again from this. */
const recipe = z.strictObject({
  modelId,
  // As the file recorded it: an imported model's name may be as long as a file name.
  modelName: text(LIMITS.fileNameLength),
  settings: generationSettings,
  variation: integer(0, LIMITS.firstVariation + LIMITS.variations),
});

/** Where a bar-range regeneration came from: the result's key, the bars and the candidate chosen. */
const regenerated = z.strictObject({
  from: text(LIMITS.resultKeyLength),
  fromBar: integer(1, LIMITS.maxStep),
  toBar: integer(1, LIMITS.maxStep),
  chosen: integer(0, LIMITS.candidates - 1),
  candidates: integer(1, LIMITS.candidates),
});

/** One result in the Generate panel's list: a variation, or a bar-range regeneration of one. */
const documentResult = z
  .strictObject({
    key: text(LIMITS.resultKeyLength),
    label: text(LIMITS.resultLabelLength),
    melody,
    seedNotes: integer(0, LIMITS.notesPerMelody),
    memorisation,
    made: recipe.nullable(),
    regenerated: regenerated.nullable(),
  })
  .superRefine(({ seedNotes, melody }, ctx) => {
    if (seedNotes > melody.notes.length)
      ctx.addIssue({
        code: 'custom',
        path: ['seedNotes'],
        message: `is ${seedNotes}, more than the melody's ${melody.notes.length} notes`,
      });
  });

/** The Generate panel's part of a document: its settings and its list of results. */
export const generationPart = z.strictObject({
  settings: generationSettings,
  results: z.array(documentResult).max(LIMITS.resultsPerDocument),
});

/** A whole document, version 1: `generation` is null where no Generate panel has saved its part. */
export const continuoDocument = z.strictObject({
  format: z.literal(DOCUMENT_FORMAT),
  version: z.literal(DOCUMENT_VERSION),
  seed: melody,
  generation: generationPart.nullable(),
});

/** Every method's arguments. Adding a method starts here; `api.ts` then asks for its result type. */
export const methodArgs = {
  'app.info': z.strictObject({}),
  'library.importFiles': z
    .strictObject({ files: uploads, total: integer(0, LIMITS.filesPerImportJob).optional() })
    .superRefine(({ files, total }, ctx) => {
      if (total !== undefined && total < files.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['total'],
          message: `is ${total}, fewer than the ${files.length} files of this call`,
        });
      }
    }),
  'library.importMore': z.strictObject({ job: jobId, files: uploads }),
  'library.openDialog': z.strictObject({ folders: z.boolean() }),
  'jobs.cancel': z.strictObject({ job: jobId }),
  'jobs.pause': z.strictObject({ job: jobId }),
  'jobs.resume': z.strictObject({ job: jobId }),
  'library.selectTrack': z.strictObject({ fileId, trackIndex: integer(0, LIMITS.trackIndex) }),
  'library.remove': z.strictObject({ fileId }),
  'exporter.midi': z.strictObject({ melody, name: text(LIMITS.fileNameLength, { nonEmpty: false }) }),
  'files.save': z.strictObject({
    suggestedName: text(LIMITS.fileNameLength, { nonEmpty: false }),
    kind: saveKind,
    bytes: bytes(LIMITS.bytesPerSave),
  }),
  'files.dragOut': z.strictObject({ melody, name: text(LIMITS.fileNameLength, { nonEmpty: false }) }),
  'models.list': z.strictObject({}),
  'models.use': z.strictObject({
    from: z.discriminatedUnion(
      'kind',
      [
        z.strictObject({ kind: z.literal('model'), id: modelId }),
        z.strictObject({ kind: z.literal('checkpoint'), run: runId, step: integer(0, LIMITS.trainingSteps) }),
      ],
      { error: 'expected {kind: "model", id} or {kind: "checkpoint", run, step}' },
    ),
  }),
  'models.rename': z.strictObject({ model: modelId, name: modelName }),
  'models.delete': z.strictObject({ model: modelId }),
  'models.export': z.strictObject({ model: modelId }),
  'models.import': z.strictObject({
    name: text(LIMITS.fileNameLength),
    bytes: bytes(LIMITS.bytesPerModel),
  }),
  'trainer.options': z.strictObject({}),
  'trainer.estimate': z.strictObject(trainingRequest),
  'trainer.start': z.strictObject(trainingRequest),
  'trainer.listen': z.strictObject({
    job: jobId,
    seed: melody,
    bars: integer(1, LIMITS.listenBars),
    randomSeed: integer(0, LIMITS.randomSeed).optional(),
  }),
  'trainer.checkpoints': z.strictObject({ run: runId }),
  'trainer.interrupted': z.strictObject({}),
  'trainer.resume': z.strictObject({ run: runId }),
  'trainer.discard': z.strictObject({ run: runId }),
  'generator.options': z.strictObject({}),
  'generator.generate': z.strictObject({
    seed: melody,
    settings: generationSettings,
    firstVariation: integer(0, LIMITS.firstVariation).optional(),
  }),
  'generator.regenerate': z
    .strictObject({
      melody,
      fromBar: integer(1, LIMITS.maxStep),
      toBar: integer(1, LIMITS.maxStep),
      candidates: integer(1, LIMITS.candidates),
      settings: samplingSettings,
    })
    .superRefine(({ fromBar, toBar }, ctx) => {
      if (toBar < fromBar)
        ctx.addIssue({ code: 'custom', path: ['toBar'], message: `is ${toBar}, before fromBar ${fromBar}` });
      else if (toBar - fromBar + 1 > LIMITS.barsPerGeneration)
        ctx.addIssue({
          code: 'custom',
          path: ['toBar'],
          message: `${toBar - fromBar + 1} bars is more than the limit of ${LIMITS.barsPerGeneration}`,
        });
    }),
  'generator.analyse': z.strictObject({
    melody,
    modelId,
    novelty: finite(0, 1).nullable(),
    step: integer(0, LIMITS.maxStep).nullable(),
  }),
  'document.autosave': z.strictObject({ document: continuoDocument }),
  'document.restore': z.strictObject({}),
  'document.encode': z.strictObject({
    document: continuoDocument,
    name: text(LIMITS.fileNameLength, { nonEmpty: false }),
  }),
  'document.save': z.strictObject({
    document: continuoDocument,
    name: text(LIMITS.fileNameLength, { nonEmpty: false }),
  }),
  'document.read': z.strictObject({ file: fileUpload }),
  'document.openDialog': z.strictObject({}),
} satisfies Record<MethodName, z.ZodType>;

export type MethodArgSchemas = typeof methodArgs;

/**
 * The same schemas seen through a mapped type, so that indexing with a generic method name keeps
 * the link between the name and its output type (the compiler cannot follow it through `typeof`).
 */
const argSchemas: { [M in MethodName]: z.ZodType<z.output<MethodArgSchemas[M]>> } = methodArgs;

const EXPECTED: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a finite number',
  int: 'an integer',
  boolean: 'true or false',
};

/**
 * Messages for zod's generic issue codes, in our words; a schema's own `error` (ranges, file ids,
 * overlaps) takes precedence over these.
 */
const wording: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    case 'unrecognized_keys':
      return `unexpected field "${(issue.keys[0] ?? '').slice(0, 40)}"`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'must not be empty' : undefined;
    case 'too_big':
      if (issue.origin === 'string') return `longer than ${issue.maximum} characters`;
      if (issue.origin === 'array' && Array.isArray(issue.input))
        return `more than ${issue.maximum} items (${issue.input.length})`;
      return undefined;
    default:
      return undefined;
  }
};

/** `files[3].bytes` from `['files', 3, 'bytes']`; the object itself is `root` (the arguments: `args`). */
function pathText(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root;
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** One issue as `field: problem`; a field that is absent is named by the object that lacks it. */
export function formatIssue(issue: z.core.$ZodIssue, root = 'args'): string {
  const last = issue.path.at(-1);
  if (issue.input === undefined && typeof last === 'string') {
    return `${pathText(issue.path.slice(0, -1), root)}: missing field "${last}"`;
  }
  return `${pathText(issue.path, root)}: ${issue.message}`;
}

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(methodArgs, value);
}

/**
 * Checks a call from the renderer: the method must exist and its arguments must match the
 * contract. Returns the arguments rebuilt from the checked fields only (so nothing unchecked
 * travels further); throws `ArgsError` with a one-line message naming the first bad field otherwise.
 */
export function validateArgs<M extends MethodName>(method: M, args: unknown): z.output<MethodArgSchemas[M]> {
  const checked = argSchemas[method].safeParse(args, { error: wording, reportInput: true });
  if (checked.success) return checked.data;
  throw new ArgsError(`${method}: invalid arguments: ${formatIssue(checked.error.issues[0])}`);
}

/**
 * Checks a document read from a file (parsed JSON): ours (`format`), a version this app reads, and
 * every field as `continuoDocument` says. The problem is one line naming the field, for a message
 * that also names the file (app/services/documents.ts words it).
 */
export function checkDocument(
  value: unknown,
): { ok: true; document: z.output<typeof continuoDocument> } | { ok: false; problem: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, problem: `is not a Continuo document (expected an object, got ${describe(value)})` };
  const { format, version } = value as { format?: unknown; version?: unknown };
  if (format !== DOCUMENT_FORMAT)
    return { ok: false, problem: `is not a Continuo document (its "format" is not "${DOCUMENT_FORMAT}")` };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return { ok: false, problem: `version: expected a positive integer, got ${describe(version)}` };
  if (version > DOCUMENT_VERSION)
    return {
      ok: false,
      problem: `was saved by a newer version of Continuo (document version ${version}; this one reads up to ${DOCUMENT_VERSION}): update Continuo to open it`,
    };
  const checked = continuoDocument.safeParse(value, { error: wording, reportInput: true });
  if (checked.success) return { ok: true, document: checked.data };
  return { ok: false, problem: formatIssue(checked.error.issues[0], 'document') };
}
