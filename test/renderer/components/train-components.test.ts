// @vitest-environment jsdom
/**
 * The Library & Train components: every control reachable by its accessible name, and what each
 * click asks for. (The uPlot charts draw on a canvas jsdom lacks: test/e2e/train.spec.ts sees them.)
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportedFile } from '../../../app/contract/api';
import CheckpointList from '../../../renderer/lib/components/train/CheckpointList.svelte';
import InterruptedRuns from '../../../renderer/lib/components/train/InterruptedRuns.svelte';
import ModelsList from '../../../renderer/lib/components/train/ModelsList.svelte';
import TrainingSet from '../../../renderer/lib/components/train/TrainingSet.svelte';
import TrainPanel from '../../../renderer/lib/components/train/TrainPanel.svelte';
import { EMPTY_ADVANCED, type RunView } from '../../../renderer/lib/state/training.svelte';
import { checkpoint, model, OPTIONS } from '../fake-trainer';

afterEach(() => cleanup());

const file = (id: string, fileName: string): ImportedFile => ({
  id,
  fileName,
  tracks: [],
  melodyTrack: 0,
  melody: { notes: [{ pitch: 60, start: 0, duration: 4, velocity: 80 }], bpm: 120, timeSignature: [6, 8] },
  report: {} as ImportedFile['report'],
});

const RUN: RunView = {
  job: 'j',
  run: 'r',
  phase: 'training',
  step: 120,
  totalSteps: 600,
  elapsedSec: 6,
  etaSec: 24,
  tokensPerSec: 4000,
  lines: [],
};

function panel(overrides: Record<string, unknown> = {}) {
  const log: string[] = [];
  render(TrainPanel, {
    options: OPTIONS,
    models: [model('default', 'Default'), model('m1', 'Reels')],
    from: 'default',
    preset: 'quick',
    advanced: EMPTY_ADVANCED,
    estimate: null,
    running: null,
    runLabel: '',
    pending: null,
    blocked: null,
    listening: false,
    onFrom: (from: string) => log.push(`from ${from}`),
    onPreset: (p: string) => log.push(`preset ${p}`),
    onAdvanced: (key: string, value: unknown) => log.push(`${key} ${String(value)}`),
    onStart: () => log.push('start'),
    onPause: () => log.push('pause'),
    onResume: () => log.push('resume'),
    onCancel: () => log.push('cancel'),
    onListen: () => log.push('listen'),
    ...overrides,
  });
  return log;
}

describe('the Train panel', () => {
  it('offers the default model, the others and scratch to start from, and the presets', () => {
    panel();
    const from = screen.getByRole('combobox', { name: 'Start from' });
    expect(
      within(from)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Default (default)', 'Reels', 'Scratch (random weights)']);
    const preset = screen.getByRole('combobox', { name: 'Preset' });
    expect(
      within(preset)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Quick — about a minute', 'Standard — about five minutes', 'Large — about half an hour']);
  });

  it('keeps the advanced settings behind a disclosure, each field named', () => {
    const log = panel();
    const details = screen.getByText('Advanced settings').closest('details')!;
    expect(details.open).toBe(false);
    const steps = within(details).getByRole('spinbutton', { name: 'Steps (budget)' });
    fireEvent.change(steps, { target: { value: '250' } });
    expect(within(details).getByRole('textbox', { name: 'Name of the new model' })).toBeTruthy();
    expect(within(details).getAllByRole('spinbutton')).toHaveLength(7);
    expect(log).toEqual(['steps 250']);
  });

  it('starts, and before a run has nothing to pause, cancel or listen to', async () => {
    const log = panel();
    const controls = within(screen.getByRole('group', { name: 'Training controls' }));
    await fireEvent.click(controls.getByRole('button', { name: 'Start training' }));
    for (const name of ['Pause', 'Cancel', 'Listen to the seed continued'])
      expect((controls.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    expect(log).toEqual(['start']);
  });

  it('says why it cannot start', () => {
    panel({ blocked: 'Choose at least one file to train on.' });
    const start = screen.getByRole('button', { name: 'Start training' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    expect(screen.getByText('Choose at least one file to train on.').tagName).toBe('P');
  });

  it('while a run goes: progress, pause, cancel and listen', async () => {
    const log = panel({ running: RUN, runLabel: 'Training · step 120 of 600 · about 24 s left' });
    const bar = screen.getByRole('progressbar', { name: 'Training progress' }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([120, 600]);
    expect(screen.getByTestId('run-label').textContent).toBe('Training · step 120 of 600 · about 24 s left');
    for (const name of ['Pause', 'Cancel', 'Listen to the seed continued'])
      await fireEvent.click(screen.getByRole('button', { name }));
    expect(log).toEqual(['pause', 'cancel', 'listen']);
    expect((screen.getByRole('combobox', { name: 'Start from' }) as HTMLSelectElement).disabled).toBe(true);
  });

  it('offers Resume in place of Pause while paused', async () => {
    const log = panel({ running: { ...RUN, phase: 'paused' } });
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(log).toEqual(['resume']);
  });
});

describe('the training set', () => {
  it('has a checkbox per file named by the file, and select all / none', async () => {
    const log: string[] = [];
    render(TrainingSet, {
      files: [file('a', 'reel.mid'), file('b', 'jig.mid')],
      chosenIds: ['a'],
      disabled: false,
      onChoose: (id: string, chosen: boolean) => log.push(`${id} ${chosen}`),
      onChooseAll: (chosen: boolean) => log.push(`all ${chosen}`),
    });
    const list = within(screen.getByRole('list', { name: 'Files to train on' }));
    const reel = list.getByRole('checkbox', { name: /^reel\.mid/ }) as HTMLInputElement;
    const jig = list.getByRole('checkbox', { name: /^jig\.mid/ }) as HTMLInputElement;
    expect([reel.checked, jig.checked]).toEqual([true, false]);
    await fireEvent.click(jig);
    await fireEvent.click(screen.getByRole('button', { name: 'Select all' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Select none' }));
    expect(log).toEqual(['b true', 'all true', 'all false']);
    expect(screen.getByText('1 of 2 files chosen')).toBeTruthy();
  });
});

describe('checkpoints', () => {
  it('each has “Use this model”, named by its step, the best one marked', async () => {
    const used: number[] = [];
    render(CheckpointList, {
      checkpoints: [checkpoint('r', 20, 3.4), checkpoint('r', 40, 3.2)],
      busy: false,
      onUse: (step: number) => used.push(step),
    });
    expect(screen.getByText(/^Step 40 · 3\.20 bits\/note · after 2 s · best$/)).toBeTruthy();
    await fireEvent.click(
      screen.getByRole('button', { name: 'Use the checkpoint of step 20 as the model for generation' }),
    );
    expect(used).toEqual([20]);
  });
});

describe('the Models list', () => {
  function models() {
    const log: string[] = [];
    render(ModelsList, {
      models: [model('default', 'Default'), model('m1', 'Reels')],
      active: 'default',
      busy: null,
      message: null,
      onUse: (id: string) => log.push(`use ${id}`),
      onRename: (id: string, name: string) => log.push(`rename ${id} ${name}`),
      onExport: (id: string) => log.push(`export ${id}`),
      onDelete: (id: string) => log.push(`delete ${id}`),
      onImport: (f: File) => log.push(`import ${f.name}`),
    });
    return log;
  }

  it('shows each model’s card', () => {
    models();
    const card = screen.getByRole('list', { name: 'Card of Reels' });
    expect(within(card).getByText('Validation: 3.10 bits/note (LSTM alone 3.20 bits/note)')).toBeTruthy();
  });

  it('has no Delete or Rename for the bundled model, and says why', () => {
    models();
    const actions = within(screen.getByRole('group', { name: 'Actions on Default' }));
    expect(actions.queryByRole('button', { name: /Delete|Rename/ })).toBeNull();
    expect(actions.getByText(/cannot be renamed or deleted/)).toBeTruthy();
    expect(
      (actions.getByRole('button', { name: 'Use Default for generation' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });

  it('uses, exports, renames and (after asking) deletes a trained model', async () => {
    const log = models();
    await fireEvent.click(screen.getByRole('button', { name: 'Use Reels for generation' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Export Reels' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Rename Reels' }));
    const field = screen.getByRole('textbox', { name: 'New name for Reels' });
    await fireEvent.input(field, { target: { value: 'Reels 2' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Delete Reels' }));
    expect(log).toEqual(['use m1', 'export m1', 'rename m1 Reels 2']);
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, delete it' }));
    expect(log.at(-1)).toBe('delete m1');
  });

  it('imports a model file picked with a named file field', async () => {
    const log = models();
    const input = screen.getByLabelText('Model file to import') as HTMLInputElement;
    const picked = new File([new Uint8Array([1, 2])], 'Hornpipes.continuo');
    await fireEvent.change(input, { target: { files: [picked] } });
    expect(log).toEqual(['import Hornpipes.continuo']);
    expect(screen.getByRole('button', { name: 'Import a model…' })).toBeTruthy();
  });
});

describe('unfinished trainings', () => {
  it('offer Resume and Discard, each named by the run', async () => {
    const log: string[] = [];
    render(InterruptedRuns, {
      runs: [
        {
          run: 'r1',
          name: 'Reels, quick',
          reason: 'interrupted',
          message: null,
          from: 'Default',
          preset: 'quick',
          files: 30,
          startedAt: '2026-12-02T04:00:00.000Z',
          step: 120,
          totalSteps: 600,
          bestBitsPerNote: 3.3,
          checkpoints: [],
        },
      ],
      busy: false,
      onResume: (run: string) => log.push(`resume ${run}`),
      onDiscard: (run: string) => log.push(`discard ${run}`),
    });
    expect(screen.getByText(/stopped when the app closed/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Resume Reels, quick from step 120' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Discard Reels, quick and its checkpoints' }));
    expect(log).toEqual(['resume r1', 'discard r1']);
  });
});
