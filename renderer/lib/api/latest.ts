/**
 * A stream of requests of which only the newest matters (what the model thinks at the cursor, while
 * the user keeps editing): each `request` waits `delayMs` for a newer one (debounce), at most one is
 * in flight at a time (so a fast typist never queues work in the model worker), and an answer is
 * delivered only when no newer request was made meanwhile (a stale answer is dropped). Nothing here
 * blocks the caller: `request` returns at once.
 *
 * Written by hand: a debounce alone (lodash's) would still deliver stale answers and let requests
 * pile up behind a slow one; the three rules together are a dozen lines.
 */

export interface LatestOptions<A, R> {
  /** Does the work; its rejection is reported through `onError`. */
  fetch: (args: A) => Promise<R>;
  /** The answer to the newest request. */
  onResult: (result: R, args: A) => void;
  onError: (error: unknown, args: A) => void;
  delayMs: number;
  /** Runs `fn` after `ms`; returns a function that cancels it (setTimeout by default). */
  later?: (fn: () => void, ms: number) => () => void;
}

export class Latest<A, R> {
  readonly #options: LatestOptions<A, R>;
  readonly #later: (fn: () => void, ms: number) => () => void;
  /** Counts requests: an answer is delivered only if its request is still the newest. */
  #serial = 0;
  #pending: { args: A; serial: number } | null = null;
  #cancelTimer: (() => void) | null = null;
  #inFlight = false;
  #disposed = false;

  constructor(options: LatestOptions<A, R>) {
    this.#options = options;
    this.#later =
      options.later ??
      ((fn, ms) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      });
  }

  /** Asks for `args`; supersedes every earlier request. */
  request(args: A): void {
    if (this.#disposed) return;
    this.#pending = { args, serial: ++this.#serial };
    this.#cancelTimer?.();
    this.#cancelTimer = this.#later(() => {
      this.#cancelTimer = null;
      this.#send();
    }, this.#options.delayMs);
  }

  /** Drops the pending request and any answer still to come. */
  cancel(): void {
    this.#serial++;
    this.#pending = null;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
  }

  dispose(): void {
    this.cancel();
    this.#disposed = true;
  }

  /** True while a request is waiting or being answered. */
  get busy(): boolean {
    return this.#pending !== null || this.#inFlight;
  }

  #send(): void {
    const next = this.#pending;
    // One at a time: the one in flight sends the newest pending request when it settles.
    if (!next || this.#inFlight) return;
    this.#pending = null;
    this.#inFlight = true;
    const current = () => next.serial === this.#serial && !this.#disposed;
    this.#options
      .fetch(next.args)
      .then(
        (result) => {
          if (current()) this.#options.onResult(result, next.args);
        },
        (error: unknown) => {
          if (current()) this.#options.onError(error, next.args);
        },
      )
      .finally(() => {
        this.#inFlight = false;
        if (this.#cancelTimer === null) this.#send();
      });
  }
}
