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

/** The file's name without its folders (either separator): what splits hash and model files record. */
export function baseName(file: string): string {
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

/** Fewest files held out for validation when there are enough files to hold any out (3 or more). */
export const MIN_VALIDATION_FILES = 2;

/**
 * The team's split, topped up for small collections: when the hash split holds out fewer than
 * `MIN_VALIDATION_FILES` files (a collection of 30 has 3 on average, often 0 or 1), the files whose
 * hash follows the window's start most closely are added until `max(MIN_VALIDATION_FILES, ⌈fraction·n⌉)`
 * are held out, always leaving one file to train on (with 3 files, 1 is held out). The hash split's own
 * files come first in that order, so a collection large enough gets exactly the team's split, and
 * adding files never moves one from validation to training unless a closer one arrives. Fewer than 3
 * files: nothing can be held out (`validation` is empty); the caller validates on the pieces' ends.
 */
export function splitSmallCollection<T>(
  items: readonly T[],
  fileOf: (item: T) => string,
  fraction = DEFAULT_VALIDATION_FRACTION,
  offset = 0,
): { train: T[]; validation: T[]; toppedUp: number } {
  const split = splitByFile(items, fileOf, fraction, offset);
  const n = items.length;
  if (n < 3) return { train: items.slice(), validation: [], toppedUp: 0 };
  const want = Math.min(n - 1, Math.max(Math.min(MIN_VALIDATION_FILES, n - 2), Math.ceil(fraction * n)));
  if (split.validation.length >= Math.min(want, MIN_VALIDATION_FILES) && split.train.length > 0)
    return { ...split, toppedUp: 0 };
  const start = Math.floor(offset * 4294967296);
  const distance = (item: T) => (fnv1a32(baseName(fileOf(item))) - start + 4294967296) % 4294967296;
  const ranked = items.map((item, i) => ({ i, d: distance(item) })).sort((a, b) => a.d - b.d || a.i - b.i);
  const held = new Set(ranked.slice(0, want).map((r) => r.i));
  return {
    train: items.filter((_, i) => !held.has(i)),
    validation: items.filter((_, i) => held.has(i)),
    toppedUp: Math.max(0, want - split.validation.length),
  };
}
