/**
 * Quitting (or closing the window) while a training runs asks first: stop it now, keeping its last
 * checkpoint (the next start offers to resume it), or keep training. Plain Node with no Electron
 * import, so the decision is tested without Electron; index.ts only wires it to `before-quit`, the
 * window's `close` and a message box.
 *
 * Training jobs are known from the contract's own events (a `trainer.train` progress starts one,
 * its `job.done`/`job.failed`/`job.cancelled` ends it), not from the trainer's internals.
 */
import type { ApiEvents, EventName, JobId } from '../contract/api.js';

type Subscribe = <E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) => () => void;

export interface TrainingTracker {
  /** The training jobs running now. */
  running(): JobId[];
  dispose(): void;
}

export function trackTraining(on: Subscribe): TrainingTracker {
  const running = new Set<JobId>();
  const end = ({ job }: { job: JobId }) => void running.delete(job);
  const offs = [
    on('job.progress', (e) => {
      if (e.kind === 'trainer.train') running.add(e.job);
    }),
    on('job.done', end),
    on('job.failed', end),
    on('job.cancelled', end),
  ];
  return {
    running: () => [...running],
    dispose: () => offs.splice(0).forEach((off) => off()),
  };
}

export type QuitChoice = 'stop' | 'keep';

/** The question, as Electron's `dialog.showMessageBox` takes it; button 0 stops, 1 (the default) keeps training. */
export const QUIT_QUESTION = {
  type: 'question' as const,
  title: 'Training is running',
  message: 'A model is still training.',
  detail:
    'Stop it now and quit? Its last checkpoint is kept, and Continuo offers to resume it the next time it starts. Or keep training and quit later.',
  buttons: ['Stop training and quit', 'Keep training'],
  defaultId: 1,
  cancelId: 1,
};

export const choiceOf = (response: number): QuitChoice => (response === 0 ? 'stop' : 'keep');

export interface QuitGuardDeps {
  running: () => JobId[];
  /** Asks the user (a message box); resolves with the choice. */
  ask: () => Promise<QuitChoice>;
  /** Stops one training job; the trainer keeps its last checkpoint. */
  cancel: (job: JobId) => void;
  /** Quits again, now that nothing holds it. */
  quit: () => void;
}

export interface QuitGuard {
  /**
   * Whether a quit or a window close may go ahead now. When a training runs it may not: the user
   * is asked (once, however many closes come meanwhile), and on "stop" the trainings are stopped
   * and the app quits; on "keep" nothing happens and training goes on.
   */
  allow(): boolean;
}

export function createQuitGuard({ running, ask, cancel, quit }: QuitGuardDeps): QuitGuard {
  let asking = false;
  let stopping = false;
  return {
    allow() {
      if (stopping || running().length === 0) return true;
      if (asking) return false;
      asking = true;
      void ask()
        .catch((): QuitChoice => 'keep')
        .then((choice) => {
          asking = false;
          if (choice !== 'stop') return;
          stopping = true;
          for (const job of [...running()]) cancel(job);
          quit();
        });
      return false;
    },
  };
}
