/**
 * What every `continuo` verb module provides. A verb reads its own arguments and writes through
 * `io` (never process.stdout directly), so tests and other hosts can run it in-process too.
 */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface VerbModule {
  /** One line of synopsis after the verb, e.g. `FILE... [--track N]`, then any detail lines. */
  usage: string;
  /** Resolves to the process exit code. Throw UsageError for bad arguments. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Bad arguments: the dispatcher prints `continuo: <message>` and the verb's usage, and exits 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** node:util parseArgs reports bad options with these codes; they are the user's mistake, not ours. */
export function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_');
}
