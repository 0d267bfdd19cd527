import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvents, EventName, ImportProgress } from '../../app/contract/api.js';
import { ServiceError } from '../../app/services/errors.js';
import { describeFailure } from '../../app/services/index.js';
import { createJobs, throttleProgress } from '../../app/services/jobs.js';

function setup() {
  const events: { event: EventName; payload: ApiEvents[EventName] }[] = [];
  const logged: string[] = [];
  const jobs = createJobs({
    emit: (event, payload) => events.push({ event, payload }),
    describeFailure,
    log: (message) => logged.push(message),
  });
  return { jobs, events, logged };
}

const progressOf = (done: number): ImportProgress => ({
  done,
  total: 2,
  fileName: `${done}.mid`,
  outcomes: [],
});

/** Resolves when `signal` aborts, rejecting as a unit of work that was stopped does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped'))));

describe('jobs', () => {
  it('returns the id before the work begins, then reports its progress and its result', async () => {
    const { jobs, events } = setup();
    let begun = false;
    const job = jobs.start('library.import', async ({ progress }) => {
      begun = true;
      progress(progressOf(1));
      return { imported: 1, failed: 0 };
    });
    expect(begun).toBe(false);
    expect(jobs.isActive(job)).toBe(true);
    await expect.poll(() => jobs.running).toBe(0);
    expect(events).toEqual([
      { event: 'job.progress', payload: { job, kind: 'library.import', progress: progressOf(1) } },
      { event: 'job.done', payload: { job, kind: 'library.import', result: { imported: 1, failed: 0 } } },
    ]);
  });

  it('gives every job its own id', () => {
    const { jobs } = setup();
    const work = async () => ({ imported: 0, failed: 0 });
    expect(jobs.start('library.import', work)).not.toBe(jobs.start('library.import', work));
  });

  it('ends a job whose work throws a ServiceError with that message, unlogged', async () => {
    const { jobs, events, logged } = setup();
    const job = jobs.start('library.import', async () => {
      throw new ServiceError('the disk is full');
    });
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toEqual({
      event: 'job.failed',
      payload: { job, message: 'the disk is full' },
    });
    expect(logged).toEqual([]);
  });

  it('reports a bug in the work as one line and logs it', async () => {
    const { jobs, events, logged } = setup();
    jobs.start('library.import', async () => {
      throw new TypeError('x is undefined\n    at somewhere (file.ts:1:1)');
    });
    await expect.poll(() => events.length).toBe(1);
    expect(events[0].payload).toMatchObject({ message: 'library.import failed: x is undefined' });
    expect(logged).toEqual(['continuo: library.import failed: x is undefined']);
  });

  it('cancels a running job through its signal and says so once', async () => {
    const { jobs, events } = setup();
    const job = jobs.start('library.import', async ({ signal }) => untilAborted(signal));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(jobs.cancel(job)).toBe(true);
    expect(jobs.isActive(job)).toBe(false);
    expect(jobs.cancel(job)).toBe(false);
    await expect.poll(() => jobs.running).toBe(0);
    expect(events).toEqual([{ event: 'job.cancelled', payload: { job } }]);
    expect(jobs.cancel(job)).toBe(false);
    expect(jobs.cancel('no-such-job')).toBe(false);
  });

  it('never begins the work of a job cancelled before it began', async () => {
    const { jobs, events } = setup();
    let begun = false;
    const job = jobs.start('library.import', async () => {
      begun = true;
      return { imported: 0, failed: 0 };
    });
    jobs.cancel(job);
    await expect.poll(() => jobs.running).toBe(0);
    expect(begun).toBe(false);
    expect(events).toEqual([{ event: 'job.cancelled', payload: { job } }]);
  });

  it('sends nothing a job reports after it has ended', async () => {
    const { jobs, events } = setup();
    let late: ((p: ImportProgress) => void) | null = null;
    jobs.start('library.import', async ({ progress }) => {
      late = progress;
      return { imported: 0, failed: 0 };
    });
    await expect.poll(() => jobs.running).toBe(0);
    late!(progressOf(2));
    expect(events.map((e) => e.event)).toEqual(['job.done']);
  });

  it('cancels every running job on dispose and resolves once they have ended', async () => {
    const { jobs, events } = setup();
    jobs.start('library.import', async ({ signal }) => untilAborted(signal));
    jobs.start('library.import', async ({ signal }) => untilAborted(signal));
    await jobs.dispose();
    expect(jobs.running).toBe(0);
    expect(events.map((e) => e.event)).toEqual(['job.cancelled', 'job.cancelled']);
  });
});

describe('throttled progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function throttled() {
    vi.useFakeTimers();
    const sent: number[][] = [];
    const merge = (older: number[], newer: number[]) => [...older, ...newer];
    return { sent, progress: throttleProgress<number[]>((p) => sent.push(p), merge, 100) };
  }

  it('sends the first progress at once and merges what follows within the interval', () => {
    const { sent, progress } = throttled();
    progress.push([1]);
    progress.push([2]);
    progress.push([3]);
    expect(sent).toEqual([[1]]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([[1], [2, 3]]);
  });

  it('sends at most one progress per interval however fast it comes', () => {
    const { sent, progress } = throttled();
    for (let i = 0; i < 1000; i++) {
      progress.push([i]);
      vi.advanceTimersByTime(1);
    }
    progress.flush();
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('sends what it holds on flush, and nothing when it holds nothing', () => {
    const { sent, progress } = throttled();
    progress.push([1]);
    progress.push([2]);
    progress.flush();
    progress.flush();
    expect(sent).toEqual([[1], [2]]);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([[1], [2]]);
  });
});
