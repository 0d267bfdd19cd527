import { describe, expect, it } from 'vitest';
import type { ApiEvents, EventName } from '../../app/contract/api.js';
import { choiceOf, createQuitGuard, trackTraining, type QuitChoice } from '../../app/main/quit-guard.js';

/** A tiny event source with the services' `on` signature. */
function events() {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => void set.delete(listener as (payload: never) => void);
    },
    emit<E extends EventName>(event: E, payload: ApiEvents[E]) {
      for (const l of listeners.get(event) ?? []) (l as (p: ApiEvents[E]) => void)(payload);
    },
    count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

const trainProgress = (job: string) =>
  ({
    job,
    kind: 'trainer.train',
    progress: {
      run: 'run-1',
      phase: 'training',
      step: 1,
      totalSteps: 10,
      elapsedSec: 1,
      etaSec: 9,
      tokensPerSec: 100,
      plan: null,
      train: [],
      validation: [],
      gradNorm: [],
      tokensPerSecCurve: [],
      checkpoints: [],
      lines: [],
    },
  }) satisfies ApiEvents['job.progress'];

/** A guard whose question is answered by the test. */
function guarded(running: string[]) {
  const log: string[] = [];
  let answer: (choice: QuitChoice) => void = () => undefined;
  const guard = createQuitGuard({
    running: () => running,
    ask: () => {
      log.push('ask');
      return new Promise((resolve) => (answer = resolve));
    },
    cancel: (job) => {
      log.push(`cancel ${job}`);
      running.splice(running.indexOf(job), 1);
    },
    quit: () => log.push('quit'),
  });
  return { guard, log, answer: (choice: QuitChoice) => answer(choice) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('quitting while a training runs', () => {
  it('lets the app quit at once when no training runs', () => {
    const { guard, log } = guarded([]);
    expect([guard.allow(), log]).toEqual([true, []]);
  });

  it('holds the quit and asks once, however many closes come meanwhile', () => {
    const { guard, log } = guarded(['job-1']);
    expect([guard.allow(), guard.allow()]).toEqual([false, false]);
    expect(log).toEqual(['ask']);
  });

  it('on "stop" stops every training (the trainer keeps its checkpoint) and quits', async () => {
    const { guard, log, answer } = guarded(['job-1', 'job-2']);
    guard.allow();
    answer('stop');
    await settle();
    expect(log).toEqual(['ask', 'cancel job-1', 'cancel job-2', 'quit']);
    expect(guard.allow()).toBe(true);
  });

  it('on "keep" keeps training, and asks again at the next quit', async () => {
    const { guard, log, answer } = guarded(['job-1']);
    guard.allow();
    answer('keep');
    await settle();
    expect(log).toEqual(['ask']);
    expect(guard.allow()).toBe(false);
    expect(log).toEqual(['ask', 'ask']);
  });

  it('reads the message box: the first button stops, anything else keeps training', () => {
    expect([choiceOf(0), choiceOf(1), choiceOf(-1)]).toEqual(['stop', 'keep', 'keep']);
  });
});

describe('which trainings run, from the job events', () => {
  it('counts a training from its first progress until it ends, and ignores other jobs', () => {
    const source = events();
    const tracker = trackTraining(source.on);
    source.emit('job.progress', trainProgress('t1'));
    source.emit('job.progress', trainProgress('t2'));
    source.emit('job.progress', {
      job: 'i1',
      kind: 'library.import',
      progress: { done: 1, total: 2, fileName: 'a.mid', outcomes: [] },
    });
    expect(tracker.running()).toEqual(['t1', 't2']);
    source.emit('job.cancelled', { job: 't1' });
    source.emit('job.failed', { job: 't2', message: 'the worker died' });
    expect(tracker.running()).toEqual([]);
  });

  it('lets go of its listeners when disposed', () => {
    const source = events();
    const tracker = trackTraining(source.on);
    expect(source.count()).toBe(4);
    tracker.dispose();
    expect(source.count()).toBe(0);
  });
});
