/**
 * bytes → Song. The pre-pass repairs the file; @tonejs/midi reads the clean copy for its structure
 * (how tracks split by channel and program, names, instruments, tempo map, time signatures).
 *
 * Notes are paired by our own pass over the same clean events, because @tonejs/midi silently drops
 * every note-on it cannot match with a later note-off (overlapping same-pitch notes, notes never
 * released). Our pairing is the library's rule exactly (each note-on, in file order, takes the first
 * unused note-off of its pitch at or after it), so files the library reads fully give identical
 * notes; a note-on the rule leaves unmatched is kept, ended at the next note-on of the same pitch in
 * its track, on or off (or at the track's end), and counted in `messages`.
 */
import tonejsMidi from '@tonejs/midi';
import { firstLine } from '../errors/first-line.js';
import { MidiError } from './errors.js';
import { prepass, serializeClean, type ScannedEvent, type ScannedTrack } from './prepass.js';
import type { Song, SongNote, SongTrack } from './types.js';

const { Midi } = tonejsMidi;

const DRUM_CHANNEL = 9;

interface EventGroup {
  channel: number | null;
  events: ScannedEvent[];
  endTick: number;
}

/**
 * The library's `splitTracks`, replayed on our events so that group i is the library's track i:
 * channel events go to one group per (channel, current program) of their MTrk, other events to the
 * MTrk's first group, and an MTrk with no events yields no group.
 */
function splitLikeTonejs(tracks: ScannedTrack[]): EventGroup[] {
  const groups: EventGroup[] = [];
  for (const track of tracks) {
    const first = groups.length;
    const keyToGroup = new Map<string, number>();
    const program = new Array<number>(16).fill(0);
    for (const event of track.events) {
      const status = event.bytes[0]!;
      let target = first;
      if (status < 0xf0) {
        const channel = status & 0x0f;
        if ((status & 0xf0) === 0xc0) program[channel] = event.bytes[1]!;
        const key = `${program[channel]} ${channel}`;
        const known = keyToGroup.get(key);
        if (known === undefined) {
          target = first + keyToGroup.size;
          keyToGroup.set(key, target);
        } else {
          target = known;
        }
      }
      if (!groups[target]) groups.push({ channel: null, events: [], endTick: track.endTick });
      const group = groups[target]!;
      if (status < 0xf0 && group.channel === null) group.channel = status & 0x0f;
      group.events.push(event);
    }
  }
  return groups;
}

function pairNotes(group: EventGroup): { notes: SongNote[]; recovered: number } {
  const ons: { tick: number; pitch: number; velocity: number }[] = [];
  const offTicks = new Map<number, number[]>();
  const anyTicks = new Map<number, number[]>();
  for (const { tick, bytes } of group.events) {
    const kind = bytes[0]! & 0xf0;
    if (kind !== 0x80 && kind !== 0x90) continue;
    const pitch = bytes[1]!;
    const any = anyTicks.get(pitch) ?? [];
    any.push(tick);
    anyTicks.set(pitch, any);
    if (kind === 0x90 && bytes[2]! > 0) {
      ons.push({ tick, pitch, velocity: bytes[2]! });
    } else {
      const offs = offTicks.get(pitch) ?? [];
      offs.push(tick);
      offTicks.set(pitch, offs);
    }
  }
  // Note-ons come in tick order, so a note-off earlier than the current note-on can never be used
  // again: one cursor per pitch replaces the library's quadratic search with the same outcome.
  const offCursor = new Map<number, number>();
  const anyCursor = new Map<number, number>();
  const notes: SongNote[] = [];
  let recovered = 0;
  for (const on of ons) {
    const offs = offTicks.get(on.pitch) ?? [];
    let i = offCursor.get(on.pitch) ?? 0;
    while (i < offs.length && offs[i]! < on.tick) i++;
    let end: number;
    if (i < offs.length) {
      end = offs[i]!;
      offCursor.set(on.pitch, i + 1);
    } else {
      offCursor.set(on.pitch, i);
      const samePitch = anyTicks.get(on.pitch)!;
      let j = anyCursor.get(on.pitch) ?? 0;
      while (j < samePitch.length && samePitch[j]! <= on.tick) j++;
      anyCursor.set(on.pitch, j);
      end = j < samePitch.length ? samePitch[j]! : Math.max(on.tick, group.endTick);
      recovered++;
    }
    notes.push({ pitch: on.pitch, ticks: on.tick, durationTicks: end - on.tick, velocity: on.velocity });
  }
  notes.sort((a, b) => a.ticks - b.ticks || b.pitch - a.pitch || b.durationTicks - a.durationTicks);
  return { notes, recovered };
}

export function parseSong(bytes: Uint8Array, fileName: string): Song {
  const pre = prepass(bytes, fileName);
  const messages = [...pre.messages];
  let groups = splitLikeTonejs(pre.tracks);
  if (groups.length === 0) throw new MidiError(fileName, 'no notes: every track is empty');

  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(serializeClean(pre));
  } catch (error) {
    // The pre-pass hands over only events it validated, so this is a gap in the pre-pass; still one line.
    throw new MidiError(fileName, `unreadable: ${firstLine(error)}`);
  }
  // The library drops a format-1 file's first track when it holds no sounding notes.
  if (midi.tracks.length === groups.length - 1) groups = groups.slice(1);
  if (midi.tracks.length !== groups.length) {
    throw new MidiError(fileName, `unreadable: ${midi.tracks.length} tracks read, ${groups.length} expected`);
  }

  const tracks: SongTrack[] = midi.tracks.map((track, index) => {
    const group = groups[index]!;
    const { notes, recovered } = pairNotes(group);
    if (recovered > 0) {
      messages.push(
        `track ${index}: ${recovered} note-on${recovered === 1 ? '' : 's'} without a matching note-off kept ` +
          '(ended at the next event of the same pitch or the end of the track)',
      );
    }
    const channel = group.channel ?? track.channel;
    const isDrum = channel === DRUM_CHANNEL;
    return { name: track.name, channel, instrument: isDrum ? 'drums' : track.instrument.name, isDrum, notes };
  });

  const smpte = pre.division.kind === 'smpte';
  const tempos = smpte
    ? []
    : midi.header.tempos.map((t) => ({ ticks: t.ticks, bpm: t.bpm })).sort((a, b) => a.ticks - b.ticks);
  if (smpte && midi.header.tempos.length > 0) {
    messages.push(`${midi.header.tempos.length} tempo events ignored: SMPTE time does not follow tempo`);
  }
  const timeSignatures: Song['timeSignatures'] = [];
  for (const ts of [...midi.header.timeSignatures].sort((a, b) => a.ticks - b.ticks)) {
    const [numerator, denominator] = ts.timeSignature as [number, number];
    const last = timeSignatures[timeSignatures.length - 1];
    if (last && last.ticks === ts.ticks) timeSignatures.pop();
    else if (last && last.timeSignature[0] === numerator && last.timeSignature[1] === denominator) continue;
    timeSignatures.push({ ticks: ts.ticks, timeSignature: [numerator, denominator] });
  }

  return {
    fileName,
    format: pre.format,
    ppq: pre.ppq,
    timing: smpte ? 'smpte' : 'ppq',
    tempos,
    timeSignatures,
    tracks,
    messages,
  };
}
