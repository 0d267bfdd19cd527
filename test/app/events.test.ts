import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, endsJob, isEventName } from '../../app/contract/events.js';

describe('the contract’s event names', () => {
  it('lists every event of ApiEvents for the hosts to forward', () => {
    expect(EVENT_NAMES).toEqual(['job.progress', 'job.done', 'job.failed', 'job.cancelled', 'menu.command']);
  });

  it('knows event names by own key only, not by anything an object inherits', () => {
    expect(isEventName('job.progress')).toBe(true);
    expect(isEventName('library.progress')).toBe(false);
    expect(isEventName('toString')).toBe(false);
    expect(isEventName(42)).toBe(false);
  });

  it('knows which events end the job they name', () => {
    expect(EVENT_NAMES.filter(endsJob)).toEqual(['job.done', 'job.failed', 'job.cancelled']);
  });
});
