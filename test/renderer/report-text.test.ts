import { describe, expect, it } from 'vitest';
import type { ExtractionReport, TrackInfo } from '../../app/contract/api';
import { displayName, reportLines, reportSummary } from '../../renderer/lib/state/report-text';

const track = (index: number, name: string, isDrum = false): TrackInfo => ({
  index,
  name,
  channel: isDrum ? 9 : index,
  instrument: isDrum ? 'drums' : 'flute',
  noteCount: 10,
  isDrum,
  polyphony: 0,
  meanPitch: 70,
});
const clean: ExtractionReport = {
  trackIndex: 0,
  rawNotes: 40,
  keptNotes: 40,
  droppedChordNotes: 0,
  mergedByQuantization: 0,
  truncatedByNextOnset: 0,
  zeroLengthExtended: 0,
  ignoredTracks: [],
  messages: [],
};

describe('the import report in words', () => {
  it('says where the melody came from and how much of it was kept', () => {
    expect(reportSummary({ ...clean, keptNotes: 38 }, [track(0, 'Melody')])).toBe(
      'Melody from track 1 (Melody): 38 notes kept of 40.',
    );
  });
  it('has nothing to say about a file taken as it was', () => {
    expect(reportLines(clean, [track(0, '')])).toEqual([]);
  });
  it('explains each alteration with its count, singular or plural', () => {
    const lines = reportLines(
      {
        ...clean,
        droppedChordNotes: 3,
        mergedByQuantization: 1,
        truncatedByNextOnset: 2,
        zeroLengthExtended: 1,
      },
      [track(0, '')],
    );
    expect(lines).toEqual([
      '3 chord notes left out: where notes start together, only the top one is kept.',
      '1 note merged into a neighbour: they began within the same 16th note.',
      '2 notes shortened to end where the next note begins.',
      '1 very short note lengthened to one 16th note.',
    ]);
  });
  it('names ignored tracks and why, then passes on the file’s own messages', () => {
    const lines = reportLines(
      {
        ...clean,
        ignoredTracks: [{ index: 2, reason: 'drum track' }],
        messages: ['skipped an unknown chunk "XFIH"'],
      },
      [track(0, ''), track(2, 'Kit', true)],
    );
    expect(lines).toEqual(['Track 3 (Kit) not used: drum track.', 'skipped an unknown chunk "XFIH"']);
  });
});

describe('track names', () => {
  it('drops the control characters some files pad names with', () => {
    expect(displayName('Flute\u0000\u0000')).toBe('Flute');
    expect(displayName(' Lead\r')).toBe('Lead');
  });
});
