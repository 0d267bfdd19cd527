/**
 * Messages people read are one line: a file's reason, a failed call, a CLI error. A thrown value's
 * message can be several (parsers and Node add detail below the first line), so everything that
 * words an error takes its first line with this one function.
 */

/** The first line of an Error's message, or of any other value as a string. */
export function firstLine(value: unknown): string {
  const text = value instanceof Error ? value.message : String(value);
  return text.split('\n', 1)[0] ?? '';
}
