/**
 * A failure the user caused or can act on (unknown file id, no dialogs in the browser, ...). Its
 * message is one line and is shown as it is; anything else reaching a host is a bug and is reported
 * as "METHOD failed: first line" with the stack kept in the host's log.
 */
export class ServiceError extends Error {
  override name = 'ServiceError';
}
