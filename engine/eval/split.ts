/**
 * The team's train/validation split, by file: a file is in the validation set when the FNV-1a hash
 * of its base name (no directories, case kept) falls in the first `fraction` of the 32-bit range.
 *
 * Why a hash and not a seeded shuffle: membership of one file never depends on which other files
 * are in the set, so adding tunes to the corpus never moves an existing tune between the sets, and
 * the trainer, `continuo eval`, the model card and these modules all agree without sharing a list.
 * With the default fraction 0.1, 71 of the 879 Nottingham tunes (15 489 of 167 198 notes) are
 * validation tunes.
 *
 * engine/train uses `isValidationFile` for its split; every bits/note number the engine reports as
 * "validation" is measured on exactly these files.
 */
export const DEFAULT_VALIDATION_FRACTION = 0.1;

/** FNV-1a, 32 bits, over the UTF-16 code units of `text` (stable on every platform). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(i + 1) : file;
}

/**
 * True when `file` (a path or a base name) belongs to the validation set: its hash falls in
 * [offset, offset + fraction) of the range. Offset 0 is the team's split; another offset gives a
 * disjoint validation set of the same size, for checking that a result is not peculiar to one set.
 */
export function isValidationFile(file: string, fraction = DEFAULT_VALIDATION_FRACTION, offset = 0): boolean {
  const h = fnv1a32(baseName(file));
  return h >= offset * 4294967296 && h < (offset + fraction) * 4294967296;
}

/** The split offset a model file records (`training.splitOffset`; files without one used 0). */
export function splitOffsetOf(training: Record<string, unknown>): number {
  const o = training.splitOffset;
  return typeof o === 'number' && o >= 0 && o < 1 ? o : 0;
}

/** Splits items by their file name; keeps the input order within each set. */
export function splitByFile<T>(
  items: readonly T[],
  fileOf: (item: T) => string,
  fraction = DEFAULT_VALIDATION_FRACTION,
  offset = 0,
): { train: T[]; validation: T[] } {
  const train: T[] = [];
  const validation: T[] = [];
  for (const it of items) (isValidationFile(fileOf(it), fraction, offset) ? validation : train).push(it);
  return { train, validation };
}
