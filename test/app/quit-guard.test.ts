/**
 * Electron main's quit guard (app/main/quit.ts) with fake app and dialog objects: quitting while a
 * training runs asks whether to stop it (keeping its last checkpoint) or keep training.
 */
import type { App, Dialog } from 'electron';
import { describe, expect, it } from 'vitest';
import { QUIT_BUTTONS, setupQuitGuard } from '../../app/main/quit.js';

function fakes(response: number, running: number) {
  let beforeQuit: (event: { preventDefault(): void }) => void = () => undefined;
  const quits: number[] = [];
  const asked: unknown[][] = [];
  let kept = 0;
  const app = {
    on: (name: string, handler: typeof beforeQuit) => {
      if (name === 'before-quit') beforeQuit = handler;
    },
    quit: () => quits.push(1),
  } as unknown as App;
  const dialog = {
    showMessageBox: async (...args: unknown[]) => (asked.push(args), { response, checkboxChecked: false }),
  } as unknown as Dialog;
  setupQuitGuard({
    app,
    dialog,
    getWindow: () => null,
    runningTrainings: () => running,
    onKeepTraining: () => kept++,
  });
  const quit = async () => {
    let prevented = false;
    beforeQuit({ preventDefault: () => (prevented = true) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    return prevented;
  };
  return { quit, quits, asked, kept: () => kept };
}

describe('quitting while a training runs', () => {
  it('quits at once when nothing trains', async () => {
    const f = fakes(1, 0);
    expect(await f.quit()).toBe(false);
    expect(f.asked).toEqual([]);
  });

  it('asks, and on "Stop training and quit" quits (the trainer keeps the last checkpoint)', async () => {
    const f = fakes(1, 1);
    expect(await f.quit()).toBe(true);
    expect(f.asked[0][0]).toMatchObject({
      message: 'A model is still training.',
      buttons: [...QUIT_BUTTONS],
    });
    expect(f.quits).toEqual([1]);
    // The quit it started goes through.
    expect(await f.quit()).toBe(false);
  });

  it('stays on "Keep training"', async () => {
    const f = fakes(0, 2);
    expect(await f.quit()).toBe(true);
    expect(f.quits).toEqual([]);
    expect(f.kept()).toBe(1);
  });
});
