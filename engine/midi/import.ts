import { firstLine } from '../errors/first-line.js';
import { MidiError } from './errors.js';
import { extractMelody } from './extract.js';
import { parseSong } from './parse.js';
import { pickMelodyTrack, trackInfos } from './tracks.js';
import type { ExtractionReport, Melody, Song, TrackInfo } from './types.js';

export interface ImportedMidi {
  fileName: string;
  song: Song;
  tracks: TrackInfo[];
  melodyTrack: number; // index into `tracks` (the same as report.trackIndex)
  melody: Melody;
  report: ExtractionReport;
}

/**
 * bytes → tracks, the melody track (chosen by `pickMelodyTrack` unless `trackIndex` is given), the
 * melody and its report. For bad input it throws a MidiError and nothing else: its `reason` is one
 * line naming the problem.
 */
export function importMidi(bytes: Uint8Array, fileName: string, trackIndex?: number): ImportedMidi {
  try {
    const song = parseSong(bytes, fileName);
    const tracks = trackInfos(song);
    const melodyTrack = trackIndex ?? pickMelodyTrack(song, tracks);
    const { melody, report } = extractMelody(song, melodyTrack);
    return { fileName, song, tracks, melodyTrack, melody, report };
  } catch (error) {
    if (error instanceof MidiError) throw error;
    // A bug of ours rather than the file's fault; the caller still gets one line, and it says so.
    throw new MidiError(fileName, `could not be read (internal error: ${firstLine(error)})`);
  }
}
