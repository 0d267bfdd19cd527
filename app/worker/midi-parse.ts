/**
 * The `midi.parse` job: bytes → tracks + melody + report for each file, through the engine's
 * importer. A bad file becomes `{ok: false, error}` with the engine's one-line reason; nothing a
 * file contains can make the job itself fail.
 */
import { firstLine } from '../../engine/errors/first-line.js';
import { importMidi, isMidiError } from '../../engine/midi/index.js';
import type { JobArgs, JobProgress, JobResult, ParseInput, ParsedFile } from '../contract/worker.js';

function parseOne(input: ParseInput): ParsedFile {
  try {
    const imported = importMidi(input.bytes, input.name, input.trackIndex);
    return {
      ok: true,
      fileName: input.name,
      tracks: imported.tracks,
      melodyTrack: imported.melodyTrack,
      melody: imported.melody,
      report: imported.report,
    };
  } catch (error) {
    if (isMidiError(error)) return { ok: false, fileName: input.name, error: error.reason };
    // An engine bug must not take the whole import down; the message still names the file.
    return {
      ok: false,
      fileName: input.name,
      error: `could not be read (unexpected error: ${firstLine(error)})`,
    };
  }
}

/** Yields to the event loop so a `cancel` message queued behind this job can be seen. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function parseFiles(
  args: JobArgs<'midi.parse'>,
  signal: AbortSignal,
  onProgress: (progress: JobProgress<'midi.parse'>) => void,
): Promise<JobResult<'midi.parse'>> {
  const total = args.files.length;
  let done = 0;
  for (const input of args.files) {
    await nextTurn();
    signal.throwIfAborted();
    const file = parseOne(input);
    onProgress({ done: ++done, total, file });
  }
  return { parsed: done };
}
