/**
 * The events of `ApiEvents` as a value, for the code that must list them: hosts subscribe to each
 * one to forward it, the page's wire decoder refuses names it does not know, and the browser client
 * needs to know which events end the job they name. Written as one record that `satisfies
 * Record<EventName, ...>`, so an event added to the contract and forgotten here (or a name here the
 * contract lacks) is a compile error, not a host that silently drops it.
 *
 * Pure and dependency-free: the wire codec, which the renderer may import, uses it.
 */
import type { EventName } from './api.js';

const EVENTS = {
  'job.progress': { endsJob: false },
  'job.done': { endsJob: true },
  'job.failed': { endsJob: true },
  'job.cancelled': { endsJob: true },
  'menu.command': { endsJob: false },
} as const satisfies Record<EventName, { endsJob: boolean }>;

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(EVENTS, value);
}

export const EVENT_NAMES: readonly EventName[] = Object.keys(EVENTS).filter(isEventName);

/** True for the events after which the job they name sends nothing more. */
export function endsJob(event: EventName): boolean {
  return EVENTS[event].endsJob;
}
