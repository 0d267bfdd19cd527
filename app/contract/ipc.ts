/**
 * How `ContinuoApi` rides Electron's IPC: one invoke channel and one event channel. The preload runs
 * sandboxed and cannot import this module at run time, so it repeats the two strings typed as
 * `typeof INVOKE_CHANNEL` / `typeof EVENT_CHANNEL`: the compiler refuses any drift.
 */
import type { EventName } from './api.js';

export const INVOKE_CHANNEL = 'continuo:invoke';
export const EVENT_CHANNEL = 'continuo:event';

/**
 * What an invoke resolves with. Errors travel as data because Electron rewrites a rejected handler's
 * message ("Error invoking remote method ..."), which is not fit to show the user.
 */
export type IpcReply = { ok: true; result: unknown } | { ok: false; message: string };

/** Arguments of a message on EVENT_CHANNEL after the IPC event itself. */
export type IpcEventArgs = [event: EventName, payload: unknown];
