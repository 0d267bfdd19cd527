/**
 * The extraction report in words a musician reads at a glance: what the melody is, then each thing
 * that was left out or changed, with counts. Pure, so the wording is tested directly.
 */
import type { ExtractionReport, TrackInfo } from '../../../app/contract/api';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A track name fit to show: files carry stray control characters (NUL padding, CR) in names. */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

export function trackLabel(track: TrackInfo | undefined, index: number): string {
  const name = track ? displayName(track.name) : '';
  return name ? `track ${index + 1} (${name})` : `track ${index + 1}`;
}

export function reportLines(report: ExtractionReport, tracks: TrackInfo[]): string[] {
  const lines: string[] = [];
  if (report.droppedChordNotes > 0) {
    lines.push(
      `${plural(report.droppedChordNotes, 'chord note', 'chord notes')} left out: where notes start together, only the top one is kept.`,
    );
  }
  if (report.mergedByQuantization > 0) {
    lines.push(
      `${plural(report.mergedByQuantization, 'note', 'notes')} merged into a neighbour: they began within the same 16th note.`,
    );
  }
  if (report.truncatedByNextOnset > 0) {
    lines.push(
      `${plural(report.truncatedByNextOnset, 'note', 'notes')} shortened to end where the next note begins.`,
    );
  }
  if (report.zeroLengthExtended > 0) {
    lines.push(
      `${plural(report.zeroLengthExtended, 'very short note', 'very short notes')} lengthened to one 16th note.`,
    );
  }
  for (const ignored of report.ignoredTracks) {
    const label = trackLabel(
      tracks.find((t) => t.index === ignored.index),
      ignored.index,
    );
    lines.push(
      `${label[0].toUpperCase()}${label.slice(1)} not used: ${ignored.reason}.`.replace(/\.\.$/, '.'),
    );
  }
  lines.push(...report.messages);
  return lines;
}

export function reportSummary(report: ExtractionReport, tracks: TrackInfo[]): string {
  const from = trackLabel(
    tracks.find((t) => t.index === report.trackIndex),
    report.trackIndex,
  );
  return `Melody from ${from}: ${plural(report.keptNotes, 'note', 'notes')} kept of ${report.rawNotes}.`;
}
