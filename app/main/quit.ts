/**
 * Quitting while a training runs asks first (issue 10): stop it (it keeps its last checkpoint and is
 * offered for resume at the next start) or keep training. Plain logic over the two Electron objects
 * it needs, so it is tested with fakes like the other setup modules.
 */
import type { App, BaseWindow, Dialog, MessageBoxOptions } from 'electron';

export interface QuitGuardOptions {
  app: Pick<App, 'on' | 'quit'>;
  dialog: Pick<Dialog, 'showMessageBox'>;
  getWindow: () => BaseWindow | null;
  /** Trainings running now (the trainer service's `running`). */
  runningTrainings: () => number;
  /** The user chose to keep training (e.g. show the window again if it was closed). */
  onKeepTraining?: () => void;
}

export const QUIT_BUTTONS = ['Keep training', 'Stop training and quit'] as const;

export function quitQuestion(running: number): MessageBoxOptions {
  return {
    type: 'question',
    title: 'Training in progress',
    message: running === 1 ? 'A model is still training.' : `${running} models are still training.`,
    detail:
      'Stopping keeps the last checkpoint: the next time Continuo starts, it offers to resume the training from there.',
    buttons: [...QUIT_BUTTONS],
    defaultId: 0,
    cancelId: 0,
  };
}

/** Holds a quit while trainings run until the user has chosen. */
export function setupQuitGuard({
  app,
  dialog,
  getWindow,
  runningTrainings,
  onKeepTraining,
}: QuitGuardOptions): void {
  let confirmed = false;
  let asking = false;
  app.on('before-quit', (event) => {
    const running = runningTrainings();
    if (confirmed || running === 0) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    const window = getWindow();
    const question = quitQuestion(running);
    void (window ? dialog.showMessageBox(window, question) : dialog.showMessageBox(question))
      .then(({ response }) => {
        if (response !== 1) {
          onKeepTraining?.();
          return;
        }
        confirmed = true;
        app.quit();
      })
      .finally(() => (asking = false));
  });
}
