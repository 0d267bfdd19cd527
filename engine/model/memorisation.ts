/**
 * Memorisation: does a result copy the model's training data? The model file carries the hashes of
 * every run of MEMO_NOTES consecutive notes of its training melodies, transposition-invariant (each
 * note as its interval from the note before, its duration and the rest before it; the run's first
 * pitch does not count). A result's longest verbatim run is the longest stretch of its notes whose
 * every MEMO_NOTES-note window is in the set: MEMO_NOTES − 1 + the windows in a row. (A chain of
 * windows each found somewhere in the training data is counted as one run.) Runs shorter than
 * MEMO_NOTES, the length the app warns from, are reported as 0.
 *
 * Folk tunes share their idioms: of the 71 validation tunes of the folk corpus, none of which the
 * default model trained on, 57 contain an exact 8-note run of its training tunes, 35 a 10-note run,
 * 18 a 12-note run and 9 a 24-note run (several are variants of training tunes). So a run of 8–12
 * notes is what the style sounds like; the meter says how far a result goes beyond that.
 *
 * Stored compactly in the model header (`extra.memorisation`): the sorted unique 32-bit hashes as
 * gaps, each a LEB128 varint, base64-encoded (the default model: 61,114 runs, about 230 KB).
 */
import type { Melody, Note } from '../midi/types.js';

export const MEMO_NOTES = 8;
export const MEMO_SCHEME = 'continuo-note-ngrams-v1';
/** The length from which a result is said to copy its training data (issue: the memorisation meter). */
export const MEMO_WARNING_NOTES = 8;

export interface MemorisationStored {
  scheme: typeof MEMO_SCHEME;
  notes: number;
  count: number;
  data: string;
}

/** Per note (from the second), the hash inputs of note i: interval, duration, rest before it. */
function noteKey(notes: readonly Note[], i: number): [number, number, number] {
  const prev = notes[i - 1];
  return [notes[i].pitch - prev.pitch, notes[i].duration, notes[i].start - prev.start - prev.duration];
}

/** FNV-1a over the keys of notes i+1 … i+MEMO_NOTES−1 (the window starting at note i). */
function windowHash(notes: readonly Note[], i: number): number {
  let h = 0x811c9dc5;
  const first = notes[i];
  h = Math.imul(h ^ first.duration, 0x01000193);
  for (let j = i + 1; j < i + MEMO_NOTES; j++) {
    for (const v of noteKey(notes, j)) {
      h = Math.imul(h ^ (v & 0xff), 0x01000193);
      h = Math.imul(h ^ ((v >>> 8) & 0xff), 0x01000193);
    }
  }
  return h >>> 0;
}

export class MemorisationIndex {
  private constructor(private readonly hashes: Uint32Array) {}

  /** The index of `melodies` (every window of every melody). */
  static build(melodies: readonly Melody[]): MemorisationIndex {
    const all: number[] = [];
    for (const m of melodies)
      for (let i = 0; i + MEMO_NOTES <= m.notes.length; i++) all.push(windowHash(m.notes, i));
    const sorted = Uint32Array.from(all).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++)
      if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i];
    return new MemorisationIndex(sorted.slice(0, n));
  }

  get size(): number {
    return this.hashes.length;
  }

  has(hash: number): boolean {
    let lo = 0;
    let hi = this.hashes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.hashes[mid];
      if (v === hash) return true;
      if (v < hash) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /**
   * The longest verbatim run of `notes` in the training melodies (0 when below MEMO_NOTES), counting
   * only runs that contain a note at index ≥ `from` (the generated part of a result).
   */
  longestRun(notes: readonly Note[], from = 0): { notes: number; start: number } {
    let best = { notes: 0, start: -1 };
    let chain = 0;
    for (let i = 0; i + MEMO_NOTES <= notes.length; i++) {
      chain = this.has(windowHash(notes, i)) ? chain + 1 : 0;
      const length = chain + MEMO_NOTES - 1;
      const start = i - chain + 1;
      if (chain > 0 && i + MEMO_NOTES - 1 >= from && length > best.notes) best = { notes: length, start };
    }
    return best;
  }

  toStored(): MemorisationStored {
    const bytes: number[] = [];
    let previous = 0;
    for (const h of this.hashes) {
      let gap = h - previous;
      previous = h;
      while (gap >= 0x80) {
        bytes.push((gap & 0x7f) | 0x80);
        gap = Math.floor(gap / 128);
      }
      bytes.push(gap);
    }
    return {
      scheme: MEMO_SCHEME,
      notes: MEMO_NOTES,
      count: this.hashes.length,
      data: toBase64(Uint8Array.from(bytes)),
    };
  }

  /** The index a model file stores, or a one-line reason it cannot be read. */
  static fromStored(stored: unknown): MemorisationIndex | string {
    const s = stored as Partial<MemorisationStored> | null;
    if (typeof s !== 'object' || s === null) return 'the memorisation index is not an object';
    if (s.scheme !== MEMO_SCHEME || s.notes !== MEMO_NOTES)
      return `memorisation index ${String(s.scheme)} of ${String(s.notes)}-note runs is not this engine's ${MEMO_SCHEME} of ${MEMO_NOTES}`;
    if (typeof s.data !== 'string' || !Number.isInteger(s.count)) return 'the memorisation index is damaged';
    const bytes = fromBase64(s.data);
    const hashes = new Uint32Array(s.count!);
    let at = 0;
    let value = 0;
    for (let k = 0; k < hashes.length; k++) {
      let gap = 0;
      let scale = 1;
      for (;;) {
        if (at >= bytes.length) return 'the memorisation index is damaged (truncated)';
        const b = bytes[at++];
        gap += (b & 0x7f) * scale;
        scale *= 128;
        if (b < 0x80) break;
      }
      value += gap;
      if (value > 0xffffffff) return 'the memorisation index is damaged';
      hashes[k] = value;
    }
    if (at !== bytes.length) return 'the memorisation index is damaged (trailing bytes)';
    return new MemorisationIndex(hashes);
  }
}

// btoa/atob: global in Node, workers and pages alike (Buffer is Node's only)
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return new Uint8Array(0);
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * The memorisation index a model file carries, or why there is none: files written before it
 * existed load as they always did and say so.
 */
export function memorisationOf(
  contents: { header: { extra?: Record<string, unknown> } },
  fileName: string,
): { index: MemorisationIndex } | { missing: string } {
  const stored = contents.header.extra?.memorisation;
  if (stored === undefined)
    return {
      missing: `${fileName} has no index of its training melodies (made before there was one; continuo train --refit adds it)`,
    };
  const index = MemorisationIndex.fromStored(stored);
  return typeof index === 'string' ? { missing: `${fileName}: ${index}` } : { index };
}
