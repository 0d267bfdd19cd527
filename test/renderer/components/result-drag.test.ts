// @vitest-environment jsdom
/**
 * A result leaves the window as a MIDI file: its ".mid" button exports it on click everywhere, and
 * where the host can drag files (Electron) dragging it cancels the page's drag and asks main, through
 * the contract, to drag the seed-and-result melody as a file.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContinuoApi, MethodArgs, MethodName } from '../../../app/contract/api';
import { validateArgs } from '../../../app/contract/schemas';
import ResultList from '../../../renderer/lib/components/ResultList.svelte';
import { ExportState } from '../../../renderer/lib/state/export.svelte';
import type { GenerationResult } from '../../../renderer/lib/state/generation.svelte';

afterEach(() => cleanup());

const result = (label: string, pitches: number[]): GenerationResult => ({
  key: `k${label}`,
  label,
  melody: {
    bpm: 100,
    timeSignature: [4, 4],
    notes: pitches.map((pitch, i) => ({ pitch, start: i * 4, duration: 4, velocity: 90 })),
  },
  seedNotes: 2,
  memorisation: { longestRun: 0, warning: false },
  made: null,
  regenerated: null,
});

const results = [result('1', [60, 62, 64, 65]), result('2', [60, 62, 67, 69, 71])];

/** A host that checks every call against the contract and records it; `files.dragOut` may refuse. */
function recordingApi(refuse: string | null = null) {
  const calls: { method: MethodName; args: unknown }[] = [];
  const api = {
    async invoke<M extends MethodName>(method: M, args: MethodArgs<M>) {
      calls.push({ method, args: validateArgs(method, args) });
      if (method !== 'files.dragOut') throw new Error(`unexpected ${method}`);
      if (refuse) throw new Error(refuse);
      return { started: true } as never;
    },
    on: () => () => undefined,
  } satisfies ContinuoApi;
  return { api, calls };
}

function show(canDrag: boolean, refuse: string | null = null) {
  const { api, calls } = recordingApi(refuse);
  const exports = new ExportState(api, () => true);
  const exported: string[] = [];
  render(ResultList, {
    results,
    current: null,
    other: null,
    onAudition: () => undefined,
    onKeep: () => undefined,
    onExport: (r: GenerationResult) => exported.push(r.key),
    onDragOut: canDrag
      ? (r: GenerationResult) => void exports.dragOut(`Seed + variation ${r.label}`, r.melody)
      : null,
  });
  return { calls, exports, exported };
}

describe('dragging a result out', () => {
  it('in Electron: dragstart on the .mid handle is cancelled and asks main for that result, seed included', async () => {
    const { calls, exported } = show(true);
    const handle = screen.getByRole('button', { name: 'Export or drag out variation 2 as MIDI' });
    expect(handle.getAttribute('draggable')).toBe('true');
    const dragStarted = await fireEvent.dragStart(handle);
    expect(dragStarted).toBe(false); // preventDefault: the page drags nothing of its own
    await Promise.resolve();
    expect(calls).toEqual([
      { method: 'files.dragOut', args: { melody: results[1].melody, name: 'Seed + variation 2' } },
    ]);
    expect(exported).toEqual([]);
  });

  it('a click on the handle still exports the result', async () => {
    const { calls, exported } = show(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Export or drag out variation 1 as MIDI' }));
    expect(exported).toEqual(['k1']);
    expect(calls).toEqual([]);
  });

  it("shows main's refusal in words", async () => {
    const { exports } = show(
      true,
      'dragging a file out of the window needs the desktop app; use Export instead',
    );
    await fireEvent.dragStart(screen.getByRole('button', { name: 'Export or drag out variation 1 as MIDI' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(exports.message).toEqual({
      text: 'Dragging out failed: dragging a file out of the window needs the desktop app; use Export instead',
      error: true,
    });
  });

  it('in the browser: the handle is an Export button only, not draggable, and a drag asks nothing', async () => {
    const { calls, exported } = show(false);
    const button = screen.getByRole('button', { name: 'Export variation 1 as MIDI' });
    expect(button.getAttribute('draggable')).toBe('false');
    expect(await fireEvent.dragStart(button)).toBe(true);
    await fireEvent.click(button);
    expect(calls).toEqual([]);
    expect(exported).toEqual(['k1']);
  });
});
