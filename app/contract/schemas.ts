/**
 * The boundary check for every `ApiMethods` call. Arguments come from a renderer page, which we
 * treat like any other untrusted client: every field is type-checked, every size, count and number
 * bounded, and unknown fields refused, before a service sees them. Failures are one-line messages
 * fit to show the user (`ArgsError`), never a stack trace.
 *
 * Hand-written rather than a schema library: the surface is small, and the messages name the exact
 * field (`files[3].bytes`), which is what a developer needs when the renderer sends something wrong.
 */
import type { FileUpload, Melody, MethodArgs, MethodName, Note, SaveKind } from './api.js';

/** Limits on what one call may carry. Generous for real use (a folder of ~5000 tunes), finite for abuse. */
export const LIMITS = {
  filesPerImport: 5000,
  bytesPerMidiFile: 16 * 1024 * 1024,
  bytesPerImport: 256 * 1024 * 1024,
  fileNameLength: 255,
  notesPerMelody: 200_000,
  maxStep: 100_000_000,
  trackIndex: 65_535,
  fileIdLength: 64,
  /** A WAV of ~20 minutes of 44.1 kHz 16-bit stereo: far beyond any melody we render. */
  bytesPerSave: 256 * 1024 * 1024,
} as const;

export class ArgsError extends Error {
  override name = 'ArgsError';
}

type Validator<M extends MethodName> = (args: unknown) => MethodArgs<M>;

function fail(path: string, problem: string): never {
  throw new ArgsError(`${path}: ${problem}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A plain object with exactly the allowed keys (missing optional keys are fine). */
function record(
  value: unknown,
  path: string,
  required: string[],
  optional: string[] = [],
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    fail(path, `expected an object, got ${describe(value)}`);
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key))
      fail(path, `unexpected field "${key.slice(0, 40)}"`);
  }
  for (const key of required) {
    if (!(key in obj) || obj[key] === undefined) fail(path, `missing field "${key}"`);
  }
  return obj;
}

function string(value: unknown, path: string, maxLength: number, { nonEmpty = true } = {}): string {
  if (typeof value !== 'string') fail(path, `expected a string, got ${describe(value)}`);
  if (nonEmpty && value.length === 0) fail(path, 'must not be empty');
  if (value.length > maxLength) fail(path, `longer than ${maxLength} characters`);
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    fail(path, `expected an integer, got ${describe(value)}`);
  if (value < min || value > max) fail(path, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function finite(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(path, `expected a finite number, got ${describe(value)}`);
  if (value < min || value > max) fail(path, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bytes(value: unknown, path: string, maxBytes: number): Uint8Array {
  if (!(value instanceof Uint8Array)) fail(path, `expected bytes, got ${describe(value)}`);
  if (value.byteLength > maxBytes)
    fail(path, `${value.byteLength} bytes is more than the limit of ${maxBytes}`);
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, `expected true or false, got ${describe(value)}`);
  return value;
}

function array(value: unknown, path: string, maxLength: number): unknown[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${describe(value)}`);
  if (value.length > maxLength) fail(path, `more than ${maxLength} items (${value.length})`);
  return value;
}

function fileUpload(value: unknown, path: string): FileUpload {
  const obj = record(value, path, ['name', 'bytes']);
  return {
    name: string(obj.name, `${path}.name`, LIMITS.fileNameLength),
    // A file over the per-file limit is one bad file, reported in its own outcome by the library;
    // here only the whole call is bounded.
    bytes: bytes(obj.bytes, `${path}.bytes`, LIMITS.bytesPerImport),
  };
}

function note(value: unknown, path: string): Note {
  const obj = record(value, path, ['pitch', 'start', 'duration', 'velocity']);
  return {
    pitch: integer(obj.pitch, `${path}.pitch`, 0, 127),
    start: integer(obj.start, `${path}.start`, 0, LIMITS.maxStep),
    duration: integer(obj.duration, `${path}.duration`, 1, LIMITS.maxStep),
    velocity: integer(obj.velocity, `${path}.velocity`, 1, 127),
  };
}

const DENOMINATORS = [1, 2, 4, 8, 16, 32, 64];

/** A melody as the engine defines it: sorted, non-overlapping notes, a tempo and a time signature. */
export function validateMelody(value: unknown, path = 'melody'): Melody {
  const obj = record(value, path, ['notes', 'bpm', 'timeSignature']);
  const notes = array(obj.notes, `${path}.notes`, LIMITS.notesPerMelody).map((n, i) =>
    note(n, `${path}.notes[${i}]`),
  );
  for (let i = 1; i < notes.length; i++) {
    const prev = notes[i - 1];
    if (prev.start + prev.duration > notes[i].start) {
      fail(`${path}.notes[${i}]`, 'overlaps the previous note (notes must be sorted and must not overlap)');
    }
  }
  const bpm = finite(obj.bpm, `${path}.bpm`, 1, 1000);
  const ts = array(obj.timeSignature, `${path}.timeSignature`, 2);
  if (ts.length !== 2) fail(`${path}.timeSignature`, 'expected [numerator, denominator]');
  const numerator = integer(ts[0], `${path}.timeSignature[0]`, 1, 64);
  const denominator = integer(ts[1], `${path}.timeSignature[1]`, 1, 64);
  if (!DENOMINATORS.includes(denominator))
    fail(`${path}.timeSignature[1]`, `must be a power of two, got ${denominator}`);
  return { notes, bpm, timeSignature: [numerator, denominator] };
}

const FILE_ID = /^[A-Za-z0-9_-]+$/;

function fileId(value: unknown, path: string): string {
  const id = string(value, path, LIMITS.fileIdLength);
  if (!FILE_ID.test(id)) fail(path, 'is not a file id');
  return id;
}

const SAVE_KINDS: readonly SaveKind[] = ['midi', 'wav'];

const validators: { [M in MethodName]: Validator<M> } = {
  'app.info': (args) => {
    record(args, 'args', []);
    return {};
  },
  'library.importFiles': (args) => {
    const obj = record(args, 'args', ['files']);
    const files = array(obj.files, 'files', LIMITS.filesPerImport).map((f, i) =>
      fileUpload(f, `files[${i}]`),
    );
    const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
    if (total > LIMITS.bytesPerImport) {
      fail(
        'files',
        `${total} bytes in one import is more than the limit of ${LIMITS.bytesPerImport}; import fewer at a time`,
      );
    }
    return { files };
  },
  'library.openDialog': (args) => {
    const obj = record(args, 'args', ['folders']);
    return { folders: boolean(obj.folders, 'folders') };
  },
  'library.selectTrack': (args) => {
    const obj = record(args, 'args', ['fileId', 'trackIndex']);
    return {
      fileId: fileId(obj.fileId, 'fileId'),
      trackIndex: integer(obj.trackIndex, 'trackIndex', 0, LIMITS.trackIndex),
    };
  },
  'library.remove': (args) => {
    const obj = record(args, 'args', ['fileId']);
    return { fileId: fileId(obj.fileId, 'fileId') };
  },
  'exporter.midi': (args) => {
    const obj = record(args, 'args', ['melody', 'name']);
    return {
      melody: validateMelody(obj.melody),
      name: string(obj.name, 'name', LIMITS.fileNameLength, { nonEmpty: false }),
    };
  },
  'files.save': (args) => {
    const obj = record(args, 'args', ['suggestedName', 'kind', 'bytes']);
    const kind = obj.kind;
    if (typeof kind !== 'string' || !SAVE_KINDS.includes(kind as SaveKind)) {
      fail('kind', `must be one of ${SAVE_KINDS.join(', ')}`);
    }
    return {
      suggestedName: string(obj.suggestedName, 'suggestedName', LIMITS.fileNameLength, { nonEmpty: false }),
      kind: kind as SaveKind,
      bytes: bytes(obj.bytes, 'bytes', LIMITS.bytesPerSave),
    };
  },
};

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(validators, value);
}

/**
 * Checks a call from the renderer: the method must exist and its arguments must match the
 * contract. Returns the arguments rebuilt from the checked fields only (so nothing unchecked
 * travels further); throws `ArgsError` with a one-line message otherwise.
 */
export function validateArgs<M extends MethodName>(method: M, args: unknown): MethodArgs<M> {
  const validator = validators[method] as Validator<M>;
  try {
    return validator(args);
  } catch (error) {
    if (error instanceof ArgsError) throw new ArgsError(`${method}: invalid arguments: ${error.message}`);
    throw error;
  }
}
