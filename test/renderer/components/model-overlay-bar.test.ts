// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../../app/contract/api';
import ModelOverlayBar from '../../../renderer/lib/components/ModelOverlayBar.svelte';
import { ghostNotes } from '../../../renderer/lib/piano-roll/ghosts';

afterEach(() => cleanup());

const model = (id: string, name: string, problem: string | null = null): ModelInfo => ({
  id,
  name,
  builtIn: id === 'default',
  origin: id === 'default' ? 'bundled' : 'trained',
  addedAt: null,
  trainingSeconds: null,
  trainedFrom: null,
  bitsPerNote: null,
  bitsPerNoteLstm: null,
  training: {
    data: [],
    trainTunes: null,
    validationTunes: null,
    epochs: null,
    steps: null,
    parameters: null,
  },
  novelty: 0.5,
  pitchRange: null,
  memorisationIndex: false,
  problem,
});

const pitches = new Array<number>(128).fill(0);
Object.assign(pitches, { 64: 0.5, 62: 0.25, 67: 0.15, 65: 0.1 });

function show(over: Record<string, unknown> = {}) {
  const log: string[] = [];
  render(ModelOverlayBar, {
    ghostsOn: true,
    surpriseOn: false,
    models: [model('default', 'Default model (folk tunes)'), model('broken', 'Broken', 'bad checksum')],
    modelId: 'default',
    ghosts: ghostNotes(pitches, 32, 4),
    surpriseBits: null,
    notes: [{ pitch: 60 }, { pitch: 72 }],
    error: null,
    onGhostsOn: (on: boolean) => log.push(`ghosts ${on}`),
    onSurpriseOn: (on: boolean) => log.push(`surprise ${on}`),
    onModel: (id: string) => log.push(`model ${id}`),
    onEnter: (g: { pitch: number }) => log.push(`enter ${g.pitch}`),
    ...over,
  });
  return { log, bar: within(screen.getByRole('group', { name: 'What the model thinks' })) };
}

describe('the overlay bar', () => {
  it('lists the three most likely next notes with their percentages, and enters the one chosen', async () => {
    const { log, bar } = show();
    const list = within(bar.getByRole('list', { name: 'Most likely next notes' }));
    const names = list.getAllByRole('button').map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual(['Enter E4 (50%)', 'Enter D4 (25%)', 'Enter G4 (15%)']);
    await fireEvent.click(list.getByRole('button', { name: 'Enter D4 (25%)' }));
    expect(log).toEqual(['enter 62']);
  });

  it('offers the models, a model that cannot be used disabled', () => {
    const { bar } = show();
    const options = within(bar.getByRole('combobox', { name: 'Overlay model' })).getAllByRole('option');
    expect(options.map((o) => [o.textContent, (o as HTMLOptionElement).disabled])).toEqual([
      ['Default model (folk tunes)', false],
      ['Broken', true],
    ]);
  });

  it('turns the ghosts and the surprise colours on and off', async () => {
    const { log, bar } = show();
    await fireEvent.click(bar.getByRole('checkbox', { name: 'Show what the model expects' }));
    await fireEvent.click(bar.getByRole('checkbox', { name: 'Colour by surprise' }));
    expect(log).toEqual(['ghosts false', 'surprise true']);
  });

  it('lists nothing while the ghosts are hidden', () => {
    const { bar } = show({ ghostsOn: false });
    expect(bar.queryByRole('list', { name: 'Most likely next notes' })).toBeNull();
  });

  it('with surprise shown, has a legend and names the most surprising note with its bits', () => {
    const { bar } = show({ surpriseOn: true, surpriseBits: [1.25, 6.04] });
    expect(
      bar.getByRole('img', { name: /^Surprise colours: blue 0 bits \(expected\) to red 8 bits/ }),
    ).toBeTruthy();
    expect(bar.getByTestId('surprise-peak').textContent).toBe('Most surprising: note 2 (C5), 6.0 bits');
  });

  it('says what went wrong asking the model', () => {
    const { bar } = show({ error: 'generator.analyse: the model file is damaged' });
    expect(bar.getByRole('alert').textContent).toBe('generator.analyse: the model file is damaged');
  });
});
