import { describe, expect, it } from 'vitest';
import { Latest } from '../../renderer/lib/api/latest';

/** Timers run by hand, and fetches answered by hand, so each rule can be seen one step at a time. */
function harness(delayMs = 50) {
  let now = 0;
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const asked: { args: number; resolve: (r: string) => void; reject: (e: Error) => void }[] = [];
  const results: [string, number][] = [];
  const errors: [string, number][] = [];
  const latest = new Latest<number, string>({
    delayMs,
    later: (fn, ms) => {
      const timer = { at: now + ms, fn, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
    fetch: (args) => new Promise((resolve, reject) => asked.push({ args, resolve, reject })),
    onResult: (result, args) => results.push([result, args]),
    onError: (error, args) => errors.push([(error as Error).message, args]),
  });
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((t) => !t.cancelled && t.at <= now)) {
      t.cancelled = true;
      t.fn();
    }
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { latest, asked, results, errors, advance, settle };
}

describe('Latest: only the newest request matters', () => {
  it('waits for a quiet moment: a run of requests becomes one, the last', async () => {
    const h = harness();
    h.latest.request(1);
    h.advance(30);
    h.latest.request(2);
    h.advance(30);
    h.latest.request(3);
    expect(h.asked).toEqual([]);
    h.advance(50);
    expect(h.asked.map((a) => a.args)).toEqual([3]);
    h.asked[0].resolve('three');
    await h.settle();
    expect(h.results).toEqual([['three', 3]]);
  });

  it('drops the answer of a request superseded while it was being answered', async () => {
    const h = harness();
    h.latest.request(1);
    h.advance(50);
    h.latest.request(2);
    h.asked[0].resolve('one, too late');
    await h.settle();
    expect(h.results).toEqual([]);
    h.advance(50);
    expect(h.asked.map((a) => a.args)).toEqual([1, 2]);
    h.asked[1].resolve('two');
    await h.settle();
    expect(h.results).toEqual([['two', 2]]);
  });

  it('keeps one request in flight: the newest waiting one goes when it settles, the others never', async () => {
    const h = harness();
    h.latest.request(1);
    h.advance(50);
    h.latest.request(2);
    h.advance(50);
    h.latest.request(3);
    h.advance(50);
    expect(h.asked.map((a) => a.args)).toEqual([1]);
    expect(h.latest.busy).toBe(true);
    h.asked[0].resolve('one');
    await h.settle();
    expect(h.asked.map((a) => a.args)).toEqual([1, 3]);
    h.asked[1].resolve('three');
    await h.settle();
    expect(h.results).toEqual([['three', 3]]);
    expect(h.latest.busy).toBe(false);
  });

  it('reports the newest request’s failure, and not a superseded one’s', async () => {
    const h = harness();
    h.latest.request(1);
    h.advance(50);
    h.latest.request(2);
    h.asked[0].reject(new Error('old'));
    await h.settle();
    h.advance(50);
    h.asked[1].reject(new Error('the model file is damaged'));
    await h.settle();
    expect(h.errors).toEqual([['the model file is damaged', 2]]);
  });

  it('after cancel or dispose, delivers nothing and asks nothing more', async () => {
    const h = harness();
    h.latest.request(1);
    h.advance(50);
    h.latest.cancel();
    h.asked[0].resolve('one');
    await h.settle();
    h.latest.request(2);
    h.latest.dispose();
    h.advance(100);
    h.latest.request(3);
    h.advance(100);
    expect(h.asked.map((a) => a.args)).toEqual([1]);
    expect(h.results).toEqual([]);
  });
});
