/**
 * The event names of `ApiEvents` as a value, for the code that must list them: hosts subscribe to
 * each one to forward it, and the page's wire decoder refuses names it does not know. Written as a
 * record that `satisfies Record<EventName, true>`, so an event added to the contract and forgotten
 * here (or a name here the contract lacks) is a compile error, not a host that silently drops it.
 *
 * Pure and dependency-free: the wire codec, which the renderer may import, uses it.
 */
import type { EventName } from './api.js';

const EVENTS = {
  'job.progress': true,
  'job.done': true,
  'job.failed': true,
  'job.cancelled': true,
} as const satisfies Record<EventName, true>;

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(EVENTS, value);
}

export const EVENT_NAMES: readonly EventName[] = Object.keys(EVENTS).filter(isEventName);
