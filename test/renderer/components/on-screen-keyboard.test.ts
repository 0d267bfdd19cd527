// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import OnScreenKeyboard from '../../../renderer/lib/components/OnScreenKeyboard.svelte';

afterEach(() => cleanup());

function show(sounding: number[] = [], octave = 4) {
  const log: string[] = [];
  render(OnScreenKeyboard, {
    low: 48,
    high: 72,
    sounding,
    octave,
    onPress: (p: number) => log.push(`press ${p}`),
    onRelease: (p: number) => log.push(`release ${p}`),
  });
  const keys = within(screen.getByRole('group', { name: 'On-screen keyboard' }));
  return { log, keys };
}

describe('the on-screen keyboard', () => {
  it('has one button per key, named by its pitch', () => {
    const { keys } = show();
    const names = keys.getAllByRole('button').map((b) => b.getAttribute('aria-label'));
    expect([names.length, names[0], names[1], names.at(-1)]).toEqual([25, 'C3', 'C♯3', 'C5']);
  });

  it('shows the sounding notes pressed', () => {
    const { keys } = show([60, 64]);
    const pressed = keys.getAllByRole('button', { pressed: true }).map((b) => b.getAttribute('aria-label'));
    expect(pressed).toEqual(['C4', 'E4']);
  });

  it('plays a key from the press of the pointer to its release', async () => {
    const { log, keys } = show();
    const e4 = keys.getByRole('button', { name: 'E4' });
    await fireEvent.pointerDown(e4, { button: 0, pointerId: 1 });
    await fireEvent.pointerUp(e4, { button: 0, pointerId: 1 });
    expect(log).toEqual(['press 64', 'release 64']);
  });

  it('plays a short note for Enter or Space on a focused key', async () => {
    const { log, keys } = show();
    await fireEvent.click(keys.getByRole('button', { name: 'G4' }), { detail: 0 });
    expect(log).toEqual(['press 67', 'release 67']);
  });

  it('prints the computer key that plays each key of the octave shown', () => {
    const { keys } = show([], 3);
    const text = (name: string) =>
      keys.getByRole('button', { name }).textContent?.replace(/\s+/g, ' ').trim();
    expect([text('C3'), text('C♯3'), text('C4'), text('F4')]).toEqual(['A C3', 'W', 'K C4', '']);
  });
});
