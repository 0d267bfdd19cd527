/**
 * The chunk- and event-level pre-pass that runs over a file's raw bytes before @tonejs/midi sees them.
 *
 * @tonejs/midi 2.0.28 (through midi-file 1.2.4) throws on a RIFF RMID wrapper and on unknown chunks,
 * reads a truncated track silently, and throws plain strings or TypeErrors on corrupt data. Rather
 * than fork it, we walk the file ourselves, repair what the SMF spec lets a reader repair, and hand
 * the library a clean file: a fresh header with the real track count, and every track re-serialized
 * from the events we could read (running status expanded, malformed meta events left out). Whatever
 * is repaired becomes one line in `messages`; whatever cannot be repaired becomes a MidiError.
 *
 * Policy, decided once here:
 * - RIFF RMID: unwrap the `data` chunk. Unknown chunks with a plausible id: skip (the spec says so).
 * - A track whose length runs past the end of the file: read what is there, cut at the last complete
 *   event, report the truncation. Tracks the header promised but the file lacks: reported.
 * - Bytes between chunks that are no chunk at all: skip to the next `MTrk`, report. Trailing bytes
 *   after the last track: ignored, reported.
 * - An impossible byte inside track data (a status byte the SMF forbids, a data byte with no status
 *   to run on) means the data is corrupt and any notes read from it would be noise: the file is
 *   refused, naming the track and byte offset.
 * - SMPTE division (real-time ticks) with a valid frame rate: ticks are read as milliseconds at 120
 *   bpm, i.e. ticks per quarter = ticks per second / 2, reported; an invalid frame rate is refused.
 */
import { MidiError } from './errors.js';

export interface ScannedEvent {
  tick: number; // absolute, in the file's ticks
  /** The complete message as it will be written back: status byte first, meta/sysex with length. */
  bytes: Uint8Array;
}

export interface ScannedTrack {
  events: ScannedEvent[];
  endTick: number; // tick of the track's last event (its End-of-Track when it has one)
}

export type Division =
  | { kind: 'ppq'; ticksPerQuarter: number }
  | { kind: 'smpte'; framesPerSecond: number; ticksPerFrame: number };

export interface PrepassResult {
  format: number;
  division: Division;
  /** Ticks per quarter note; for SMPTE the 120-bpm reading of real time, possibly fractional. */
  ppq: number;
  tracks: ScannedTrack[];
  messages: string[];
}

const VALID_SMPTE_RATES = new Set([24, 25, 29, 30]);
const MAX_SEARCH_FOR_HEADER = 256;

function fourCc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function u32(bytes: Uint8Array, at: number): number {
  return bytes[at]! * 0x1000000 + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) + bytes[at + 1]!;
}

function u32le(bytes: Uint8Array, at: number): number {
  return bytes[at]! + (bytes[at + 1]! << 8) + (bytes[at + 2]! << 16) + bytes[at + 3]! * 0x1000000;
}

function hex(byte: number): string {
  return '0x' + byte.toString(16).toUpperCase().padStart(2, '0');
}

function indexOfTag(bytes: Uint8Array, tag: string, from: number, until = bytes.length): number {
  const a = tag.charCodeAt(0);
  for (let i = from; i + 4 <= until; i++) {
    if (bytes[i] === a && fourCc(bytes, i) === tag) return i;
  }
  return -1;
}

/** A chunk id the spec allows: four printable ASCII characters. */
function isChunkId(bytes: Uint8Array, at: number): boolean {
  if (at + 8 > bytes.length) return false;
  for (let i = at; i < at + 4; i++) {
    const b = bytes[i]!;
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

function isPlausibleChunk(bytes: Uint8Array, at: number): boolean {
  return isChunkId(bytes, at) && at + 8 + u32(bytes, at + 4) <= bytes.length;
}

export function encodeVlq(value: number): number[] {
  const out = [value & 0x7f];
  let v = Math.floor(value / 128);
  while (v > 0) {
    out.unshift((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  return out;
}

/** RIFF RMID: the SMF sits whole inside the RIFF `data` chunk. */
function unwrapRiff(bytes: Uint8Array, fail: (reason: string) => MidiError): Uint8Array {
  if (bytes.length < 12) throw fail(`truncated RIFF header (${bytes.length} bytes)`);
  const form = fourCc(bytes, 8);
  if (form !== 'RMID') throw fail(`not a MIDI file: a RIFF file of type "${form}", not RMID`);
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = fourCc(bytes, pos);
    const size = u32le(bytes, pos + 4);
    if (id === 'data') return bytes.subarray(pos + 8, Math.min(bytes.length, pos + 8 + size));
    pos += 8 + size + (size & 1);
  }
  throw fail('RIFF RMID file without a "data" chunk');
}

function describeNonMidi(bytes: Uint8Array): string {
  const head = Array.from(bytes.subarray(0, 4));
  const printable = head.every((b) => b >= 0x20 && b <= 0x7e);
  const shown = printable ? `"${String.fromCharCode(...head)}"` : head.map(hex).join(' ');
  return `not a MIDI file: no "MThd" header (starts with ${shown})`;
}

function validMetaProblem(type: number, body: Uint8Array): string | null {
  const need = (names: string, ...lengths: number[]): string | null =>
    lengths.includes(body.length) ? null : `${names} event of length ${body.length}`;
  switch (type) {
    case 0x00:
      return need('sequence-number', 2);
    case 0x20:
      return need('channel-prefix', 1);
    case 0x21:
      return need('port', 1);
    case 0x51: {
      const problem = need('tempo', 3);
      if (problem) return problem;
      return (body[0]! << 16) + (body[1]! << 8) + body[2]! === 0
        ? 'tempo event of 0 microseconds per quarter'
        : null;
    }
    case 0x54:
      return need('SMPTE-offset', 5);
    case 0x58: {
      const problem = need('time-signature', 2, 4);
      if (problem) return problem;
      // A numerator of 0 or a denominator beyond 1/64 has no meaning and would become NaN bars later.
      if (body[0] === 0 || body[1]! > 6) return `time signature ${body[0]}/2^${body[1]}`;
      return null;
    }
    case 0x59:
      return need('key-signature', 2);
    default:
      return null;
  }
}

/**
 * Reads one MTrk's events. `base` is the data's offset in the file, so corruption is reported at a
 * byte offset the user can look up.
 */
function scanTrack(
  data: Uint8Array,
  base: number,
  trackNumber: number,
  messages: string[],
  fail: (reason: string) => MidiError,
): ScannedTrack {
  const events: ScannedEvent[] = [];
  // Events are views into one buffer: re-serialized, an event never outgrows its original bytes
  // (the delta time it loses is at least the one status byte running status may add back).
  const out = new Uint8Array(data.length + 16);
  let o = 0;
  const emit = (prefix: number[], body?: Uint8Array): Uint8Array => {
    const start = o;
    out.set(prefix, o);
    o += prefix.length;
    if (body) {
      out.set(body, o);
      o += body.length;
    }
    return out.subarray(start, o);
  };
  let p = 0;
  let tick = 0;
  let running = 0;
  const corrupt = (at: number, what: string): MidiError =>
    fail(`corrupt data in track ${trackNumber} at byte ${base + at}: ${what}`);

  // Returns null when the data ends inside the number.
  const readVlq = (): number | null => {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      if (p >= data.length) return null;
      const b = data[p++]!;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    throw corrupt(p - 4, 'variable-length number longer than 4 bytes');
  };

  let truncated = false;
  scan: while (p < data.length) {
    const eventStart = p;
    const delta = readVlq();
    if (delta === null || p >= data.length) {
      truncated = true;
      break;
    }
    let status = data[p]!;
    if (status < 0x80) {
      if (running === 0) throw corrupt(p, `data byte ${hex(status)} with no status byte before it`);
      status = running;
    } else {
      p++;
    }

    let bytes: Uint8Array;
    if (status === 0xff) {
      if (p >= data.length) {
        truncated = true;
        break;
      }
      const type = data[p++]!;
      const length = readVlq();
      if (length === null || p + length > data.length) {
        truncated = true;
        break;
      }
      const body = data.subarray(p, p + length);
      p += length;
      tick += delta;
      if (type === 0x2f) {
        if (p < data.length) {
          messages.push(`track ${trackNumber}: ${data.length - p} bytes after its End-of-Track ignored`);
        }
        break scan;
      }
      const problem = validMetaProblem(type, body);
      if (problem) {
        messages.push(`track ${trackNumber}: malformed ${problem} at byte ${base + eventStart} ignored`);
        continue;
      }
      bytes = emit([0xff, type, ...encodeVlq(length)], body);
    } else if (status === 0xf0 || status === 0xf7) {
      const length = readVlq();
      if (length === null || p + length > data.length) {
        truncated = true;
        break;
      }
      bytes = emit([status, ...encodeVlq(length)], data.subarray(p, p + length));
      p += length;
      tick += delta;
    } else if (status >= 0xf0) {
      throw corrupt(p - 1, `status byte ${hex(status)}, which a MIDI file cannot contain`);
    } else {
      const size = (status & 0xe0) === 0xc0 ? 1 : 2;
      if (p + size > data.length) {
        truncated = true;
        break;
      }
      for (let i = 0; i < size; i++) {
        if (data[p + i]! >= 0x80)
          throw corrupt(p + i, `status byte ${hex(data[p + i]!)} where a data byte belongs`);
      }
      const start = o;
      out[o++] = status;
      out[o++] = data[p]!;
      if (size === 2) out[o++] = data[p + 1]!;
      bytes = out.subarray(start, o);
      p += size;
      running = status;
      tick += delta;
    }
    events.push({ tick, bytes });
  }
  if (truncated) {
    messages.push(`track ${trackNumber} ends inside an event: the incomplete last event was dropped`);
  }
  return { events, endTick: tick };
}

export function prepass(input: Uint8Array, fileName: string): PrepassResult {
  const fail = (reason: string): MidiError => new MidiError(fileName, reason);
  const messages: string[] = [];
  if (input.length === 0) throw fail('empty file (0 bytes)');

  let bytes = input;
  if (bytes.length >= 4 && fourCc(bytes, 0) === 'RIFF') {
    bytes = unwrapRiff(bytes, fail);
    messages.push('RIFF RMID wrapper removed');
  }
  if (bytes.length < 4 || fourCc(bytes, 0) !== 'MThd') {
    // Some tools prepend a small wrapper (e.g. a MacBinary header); the SMF inside is intact.
    const at = indexOfTag(bytes, 'MThd', 1, Math.min(bytes.length, MAX_SEARCH_FOR_HEADER));
    if (at < 0) throw fail(describeNonMidi(bytes));
    messages.push(`${at} bytes before the MIDI header skipped`);
    bytes = bytes.subarray(at);
  }
  if (bytes.length < 14) throw fail(`file ends inside the MIDI header (${bytes.length} bytes)`);

  const headerLength = u32(bytes, 4);
  if (headerLength < 6) throw fail(`bad header: its length is ${headerLength} bytes, at least 6 expected`);
  let pos = 8 + headerLength;
  if (headerLength !== 6 && !isPlausibleChunk(bytes, pos) && fourCc(bytes, 14) === 'MTrk') {
    messages.push(
      `header length field says ${headerLength} bytes but the first track follows 6 bytes: read as 6`,
    );
    pos = 14;
  }
  const format = u16(bytes, 8);
  const declaredTracks = u16(bytes, 10);
  const divisionWord = u16(bytes, 12);
  if (format > 2) throw fail(`bad header: format ${format} (0, 1 or 2 expected)`);

  let division: Division;
  let ppq: number;
  if (divisionWord & 0x8000) {
    const framesPerSecond = 0x100 - (divisionWord >> 8);
    const ticksPerFrame = divisionWord & 0xff;
    if (!VALID_SMPTE_RATES.has(framesPerSecond)) {
      throw fail(
        `bad header: SMPTE timing with an invalid frame rate of ${framesPerSecond} fps (24, 25, 29.97 or 30 expected)`,
      );
    }
    if (ticksPerFrame === 0) throw fail('bad header: SMPTE timing with 0 ticks per frame');
    const realFps = framesPerSecond === 29 ? 30000 / 1001 : framesPerSecond;
    division = { kind: 'smpte', framesPerSecond, ticksPerFrame };
    ppq = (realFps * ticksPerFrame) / 2;
    messages.push(
      `SMPTE timing (${framesPerSecond === 29 ? '29.97' : framesPerSecond} fps × ${ticksPerFrame} ticks per frame) read as real time at 120 bpm`,
    );
  } else {
    if (divisionWord === 0) throw fail('bad header: 0 ticks per quarter note');
    division = { kind: 'ppq', ticksPerQuarter: divisionWord };
    ppq = divisionWord;
  }
  if (format === 2) messages.push('format 2 (independent sequences) read as simultaneous tracks');

  const tracks: ScannedTrack[] = [];
  while (pos < bytes.length) {
    const remaining = bytes.length - pos;
    if (remaining >= 8 && fourCc(bytes, pos) === 'MTrk') {
      const trackNumber = tracks.length + 1;
      const declared = u32(bytes, pos + 4);
      const start = pos + 8;
      let end = start + declared;
      if (end > bytes.length) {
        messages.push(
          `track ${trackNumber} claims ${declared} bytes but the file ends after ${bytes.length - start}: file truncated`,
        );
        end = bytes.length;
      }
      tracks.push(scanTrack(bytes.subarray(start, end), start, trackNumber, messages, fail));
      pos = end;
      continue;
    }
    if (isPlausibleChunk(bytes, pos)) {
      const length = u32(bytes, pos + 4);
      messages.push(`unknown chunk "${fourCc(bytes, pos)}" (${length} bytes) skipped`);
      pos += 8 + length;
      continue;
    }
    const next = indexOfTag(bytes, 'MTrk', pos + 1);
    if (next < 0) {
      messages.push(`${remaining} bytes of trailing data after the last track ignored`);
      break;
    }
    messages.push(`${next - pos} unreadable bytes skipped before track ${tracks.length + 1}`);
    pos = next;
  }

  if (tracks.length === 0) throw fail('no tracks: the file has a header but no MTrk chunk');
  if (tracks.length < declaredTracks) {
    messages.push(`header declares ${declaredTracks} tracks, the file has ${tracks.length}`);
  } else if (tracks.length > declaredTracks) {
    messages.push(`header declares ${declaredTracks} tracks, the file has ${tracks.length}: all read`);
  }
  return { format, division, ppq, tracks, messages };
}

function vlqLength(value: number): number {
  let length = 1;
  for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) length++;
  return length;
}

/** The clean file handed to @tonejs/midi: one fresh header, every track re-serialized. */
export function serializeClean(result: PrepassResult): Uint8Array {
  const END_OF_TRACK = [0xff, 0x2f, 0x00];
  const trackLengths = result.tracks.map((track) => {
    let length = 0;
    let last = 0;
    for (const event of track.events) {
      length += vlqLength(event.tick - last) + event.bytes.length;
      last = event.tick;
    }
    return length + vlqLength(track.endTick - last) + END_OF_TRACK.length;
  });
  const out = new Uint8Array(14 + trackLengths.reduce((sum, n) => sum + 8 + n, 0));
  let o = 0;
  const put = (bytes: ArrayLike<number>): void => {
    out.set(bytes, o);
    o += bytes.length;
  };
  const put32 = (v: number): void => put([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
  // The library's own timing is never used for SMPTE files; a positive ppq keeps it from making NaN.
  const division = Math.min(0x7fff, Math.max(1, Math.round(result.ppq)));
  const count = result.tracks.length;
  put([
    0x4d,
    0x54,
    0x68,
    0x64,
    0,
    0,
    0,
    6,
    0,
    result.format,
    (count >> 8) & 0xff,
    count & 0xff,
    division >> 8,
    division & 0xff,
  ]);
  result.tracks.forEach((track, i) => {
    put([0x4d, 0x54, 0x72, 0x6b]);
    put32(trackLengths[i]!);
    let last = 0;
    for (const event of track.events) {
      put(encodeVlq(event.tick - last));
      put(event.bytes);
      last = event.tick;
    }
    put(encodeVlq(track.endTick - last));
    put(END_OF_TRACK);
  });
  return out;
}
