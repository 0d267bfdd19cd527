/** Melody → Standard MIDI File bytes, under a file name that is safe on every platform. */
import { melodyToMidi } from '../../engine/midi/index.js';
import type { Melody } from '../contract/api.js';
import { ServiceError } from './errors.js';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A file name built from user text (a melody's or file's name) that cannot escape a folder or trip
 * a filesystem: no separators, control or reserved characters, no leading dots, no reserved Windows
 * device names, at most 100 characters before the extension; `fallback` when nothing is left.
 */
export function safeFileName(name: string, extension: string, fallback = 'melody'): string {
  let base = name
    .normalize('NFC')
    .replace(/\.(mid|midi|kar|wav)$/i, '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s-]+/, '')
    .replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(base)) base = `${base}-melody`;
  base = [...base].slice(0, 100).join('').trim();
  return `${base || fallback}${extension}`;
}

export function exportMidi(melody: Melody, name: string): { fileName: string; bytes: Uint8Array } {
  const fileName = safeFileName(name, '.mid');
  try {
    return { fileName, bytes: melodyToMidi(melody, { name: fileName.slice(0, -'.mid'.length) }) };
  } catch (error) {
    // The writer refuses melodies it cannot represent; say so in the user's terms.
    if (error instanceof RangeError)
      throw new ServiceError(`${fileName} cannot be written: ${error.message}`);
    throw error;
  }
}
