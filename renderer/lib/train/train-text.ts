/**
 * The Train panel's numbers in words: durations, the time each preset takes here, the training
 * data's statistics, a model's card. Plain functions, so the wording is tested without a page.
 */
import type {
  CheckpointInfo,
  ModelInfo,
  TrainingDataStats,
  TrainingEstimate,
  TrainingPresetInfo,
} from '../../../app/contract/api';

const NOTE_NAMES = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

export function pitchName(pitch: number): string {
  return `${NOTE_NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

/** "45 s", "3 min 5 s", "1 h 20 min": rounded to what a person reads. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest === 0 || s >= 600 ? `${Math.round(s / 60)} min` : `${Math.floor(s / 60)} min ${rest} s`;
  }
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/**
 * The training time of `preset` on this computer, from the estimate's measured seconds per step:
 * its step budget at that rate, cut by its time budget. The chosen preset's time is the
 * estimate's own (which also knows the advanced settings); null before anything was measured, and
 * for the other presets from scratch, where each builds a network of its own size (fine-tuning
 * keeps the start model's network, so one rate holds for every preset).
 */
export function presetSeconds(
  preset: TrainingPresetInfo,
  estimate: TrainingEstimate | null,
  chosen: boolean,
): number | null {
  if (!estimate) return null;
  if (chosen) return estimate.seconds;
  if (estimate.plan.start.kind === 'scratch') return null;
  return Math.min(preset.maxSteps * estimate.secondsPerStep, preset.seconds);
}

/** The preset menu's label: "Quick — about a minute (40 s here)". */
export function presetLabel(preset: TrainingPresetInfo, seconds: number | null): string {
  const name = preset.name[0].toUpperCase() + preset.name.slice(1);
  return `${name} — ${preset.summary}${seconds === null ? '' : ` (${durationText(seconds)} here)`}`;
}

/** The data's statistics as the lines the Library shows before training. */
export function statsLines(stats: TrainingDataStats): string[] {
  const lines = [
    `${plural(stats.melodies, 'melody', 'melodies')} from ${plural(stats.files, 'file')}, ${plural(stats.notes, 'note')}`,
  ];
  if (stats.pitchRange) {
    const { min, max } = stats.pitchRange;
    lines.push(`Pitch range ${pitchName(min)}–${pitchName(max)} (MIDI ${min}–${max})`);
  }
  if (stats.timeSignatures.length > 0) {
    lines.push(
      `Time signatures: ${stats.timeSignatures.map((t) => `${t.signature} (${t.melodies})`).join(', ')}`,
    );
  }
  return lines;
}

/** What extraction dropped or changed, in words; empty when it kept every note as it was. */
export function extractionLines(extraction: TrainingDataStats['extraction']): string[] {
  const lines: string[] = [];
  const e = extraction;
  if (e.rawNotes > 0) lines.push(`Kept ${plural(e.keptNotes, 'note')} of ${e.rawNotes.toLocaleString('en')}`);
  const counts: [number, string][] = [
    [e.droppedChordNotes, 'under a higher note (chords) dropped'],
    [e.mergedByQuantization, 'merged by the 16th-note grid'],
    [e.truncatedByNextOnset, 'shortened to end where the next begins'],
    [e.zeroLengthExtended, 'of zero length lengthened to a 16th'],
  ];
  for (const [n, what] of counts) if (n > 0) lines.push(`${plural(n, 'note')} ${what}`);
  if (e.ignoredTracks > 0) lines.push(`${plural(e.ignoredTracks, 'track')} ignored`);
  return [...lines, ...e.reasons];
}

/** "3.21 bits/note", or a dash where there is no score. */
export function bitsText(bits: number | null): string {
  return bits === null ? '–' : `${bits.toFixed(2)} bits/note`;
}

export function checkpointLabel(c: CheckpointInfo): string {
  const score = c.validationBitsPerNote === null ? 'no validation' : bitsText(c.validationBitsPerNote);
  return `Step ${c.step.toLocaleString('en')} · ${score} · after ${durationText(c.elapsedSec)}`;
}

/** A model's card in lines: where it came from, its data, its training time, its score. */
export function modelCard(model: ModelInfo): string[] {
  const lines: string[] = [];
  const t = model.training;
  const origin =
    model.origin === 'bundled'
      ? 'Comes with the app'
      : model.origin === 'imported'
        ? 'Imported'
        : `Trained here${model.trainedFrom ? ` from ${model.trainedFrom}` : ''}`;
  lines.push(model.addedAt ? `${origin}, ${new Date(model.addedAt).toLocaleString('en')}` : origin);
  const data = [
    t.trainTunes === null ? null : `${plural(t.trainTunes, 'melody', 'melodies')} to learn from`,
    t.validationTunes === null ? null : `${t.validationTunes} to validate`,
  ].filter((s) => s !== null);
  if (t.data.length > 0 || data.length > 0)
    lines.push(['Data:', t.data.join(', '), data.join(', ')].filter(Boolean).join(' '));
  const time = [
    model.trainingSeconds === null ? null : `${durationText(model.trainingSeconds)} of training`,
    t.steps === null ? null : plural(t.steps, 'step'),
    t.parameters === null ? null : `${plural(t.parameters, 'parameter')}`,
  ].filter((s) => s !== null);
  if (time.length > 0) lines.push(time.join(', '));
  lines.push(
    `Validation: ${bitsText(model.bitsPerNote)}${model.bitsPerNoteLstm === null ? '' : ` (LSTM alone ${bitsText(model.bitsPerNoteLstm)})`}`,
  );
  if (model.problem) lines.push(`Cannot be used: ${model.problem}`);
  return lines;
}
