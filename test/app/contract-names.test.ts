import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, isEventName } from '../../app/contract/events.js';
import { isJobName } from '../../app/contract/worker.js';

describe('the contract’s name lists', () => {
  it('lists every event of ApiEvents for the hosts to forward', () => {
    expect(EVENT_NAMES).toEqual(['library.progress']);
  });

  it('knows event names by own key only, not by anything an object inherits', () => {
    expect(isEventName('library.progress')).toBe(true);
    expect(isEventName('toString')).toBe(false);
    expect(isEventName(42)).toBe(false);
  });

  it('knows the worker’s job names by own key only', () => {
    expect(isJobName('midi.parse')).toBe(true);
    expect(isJobName('constructor')).toBe(false);
    expect(isJobName(undefined)).toBe(false);
  });
});
