/**
 * Why a file could not be read. `reason` is one line fit to show a user next to the file name; it
 * never carries a stack trace or a library's internal message shape.
 */
export class MidiError extends Error {
  override readonly name = 'MidiError';
  readonly fileName: string;
  readonly reason: string;

  constructor(fileName: string, reason: string) {
    super(`${fileName}: ${reason}`);
    this.fileName = fileName;
    this.reason = reason;
  }
}

export function isMidiError(value: unknown): value is MidiError {
  return value instanceof MidiError;
}
