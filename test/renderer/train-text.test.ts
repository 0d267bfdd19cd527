import { describe, expect, it } from 'vitest';
import { AlignedCurves } from '../../renderer/lib/train/curves';
import {
  durationText,
  extractionLines,
  modelCard,
  pitchName,
  presetLabel,
  presetSeconds,
  statsLines,
} from '../../renderer/lib/train/train-text';
import { model, OPTIONS, PLAN } from './fake-trainer';

describe('chart data', () => {
  it('keeps one row per step, a series without a point there holding null', () => {
    const curves = new AlignedCurves(2);
    curves.add(0, [
      { step: 1, value: 4 },
      { step: 2, value: 3.5 },
    ]);
    curves.add(1, [{ step: 2, value: 3.8 }]);
    curves.add(0, [{ step: 3, value: 3.2 }]);
    expect(curves.data).toEqual([
      [1, 2, 3],
      [4, 3.5, 3.2],
      [null, 3.8, null],
    ]);
  });

  it('merges points of earlier steps (a resumed run repeats its validations) into their rows', () => {
    const curves = new AlignedCurves(1);
    curves.add(0, [
      { step: 10, value: 3 },
      { step: 30, value: 2.8 },
    ]);
    curves.add(0, [
      { step: 10, value: 3 },
      { step: 20, value: 2.9 },
    ]);
    expect(curves.data).toEqual([
      [10, 20, 30],
      [3, 2.9, 2.8],
    ]);
  });

  it('draws reference lines as constant series over every step, set before or after the points', () => {
    const curves = new AlignedCurves(1, [null]);
    curves.add(0, [{ step: 1, value: 4 }]);
    curves.setConstant(0, 3.35);
    curves.add(0, [{ step: 2, value: 3.9 }]);
    expect(curves.data).toEqual([
      [1, 2],
      [4, 3.9],
      [3.35, 3.35],
    ]);
  });

  it('says when a progress brought nothing to redraw', () => {
    expect(new AlignedCurves(1).add(0, [])).toBe(false);
  });
});

describe('the Train panel in words', () => {
  it('rounds durations to what a person reads', () => {
    expect([
      durationText(4.4),
      durationText(75),
      durationText(120),
      durationText(725),
      durationText(4000),
    ]).toEqual(['4 s', '1 min 15 s', '2 min', '12 min', '1 h 7 min']);
  });

  it('gives each preset the time it takes here: its steps at the measured rate, cut by its time budget', () => {
    const [quick, standard] = OPTIONS.presets;
    const estimate = { secondsPerStep: 0.05, seconds: 20, plan: PLAN } as Parameters<typeof presetSeconds>[1];
    const scratch = {
      ...estimate!,
      plan: { ...PLAN, start: { kind: 'scratch', name: 'scratch' } },
    } as typeof estimate;
    expect([
      presetSeconds(quick, estimate, true),
      presetSeconds(standard, estimate, false),
      presetSeconds(quick, null, true),
      // From scratch each preset builds its own network: only the chosen one was measured.
      presetSeconds(standard, scratch, false),
      presetSeconds(quick, scratch, true),
    ]).toEqual([20, 150, null, null, 20]);
    expect(presetLabel(quick, 20)).toBe('Quick — about a minute (20 s here)');
    expect(presetLabel(standard, null)).toBe('Standard — about five minutes');
  });

  it('names pitches as musicians do', () => {
    expect([pitchName(60), pitchName(61), pitchName(21)]).toEqual(['C4', 'C♯4', 'A0']);
  });

  it('describes the training data', () => {
    const lines = statsLines({
      files: 3,
      melodies: 2,
      notes: 1234,
      pitchRange: { min: 55, max: 81 },
      timeSignatures: [
        { signature: '6/8', melodies: 1 },
        { signature: '4/4', melodies: 1 },
      ],
      extraction: {
        rawNotes: 0,
        keptNotes: 0,
        droppedChordNotes: 0,
        mergedByQuantization: 0,
        truncatedByNextOnset: 0,
        zeroLengthExtended: 0,
        ignoredTracks: 0,
        reasons: [],
      },
      excluded: [],
    });
    expect(lines).toEqual([
      '2 melodies from 3 files, 1,234 notes',
      'Pitch range G3–A5 (MIDI 55–81)',
      'Time signatures: 6/8 (1), 4/4 (1)',
    ]);
  });

  it('says what extraction dropped and why', () => {
    expect(
      extractionLines({
        rawNotes: 500,
        keptNotes: 450,
        droppedChordNotes: 40,
        mergedByQuantization: 10,
        truncatedByNextOnset: 0,
        zeroLengthExtended: 1,
        ignoredTracks: 2,
        reasons: ['2 files: drum track ignored'],
      }),
    ).toEqual([
      'Kept 450 notes of 500',
      '40 notes under a higher note (chords) dropped',
      '10 notes merged by the 16th-note grid',
      '1 note of zero length lengthened to a 16th',
      '2 tracks ignored',
      '2 files: drum track ignored',
    ]);
  });

  it('writes a model’s card: origin, data, time, score', () => {
    expect(modelCard(model('default', 'Default'))).toEqual([
      'Comes with the app',
      'Data: nottingham 25 melodies to learn from, 5 to validate',
      '10 min of training, 300 steps, 120,000 parameters',
      'Validation: 3.35 bits/note (LSTM alone 3.50 bits/note)',
    ]);
    expect(modelCard(model('m', 'Broken', { problem: 'the file is damaged' })).at(-1)).toBe(
      'Cannot be used: the file is damaged',
    );
  });
});
