/**
 * `continuo extract FILE|DIR... [--track N]`: one JSON line per readable file on stdout,
 *   {"file", "stepsPerQuarter": 4, "timeSignature": [n, d], "notes": [{"pitch", "start", "end"}], "report"}
 * with start/end in steps (end exclusive), notes sorted and non-overlapping; one line
 * `continuo: FILE: reason` on stderr per unreadable file; exit status 1 if any file failed.
 * Directories are walked (recursively, in name order) for MIDI files (engine/midi/file-names.ts).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { MidiError, STEPS_PER_QUARTER, importMidi } from '../midi/index.js';
import { listMidiFiles, systemReason } from '../train/node-io.js';
import { UsageError, type CliIo } from './verb.js';

export const usage = `FILE|DIR... [--track N]
  Prints each file's melody as one JSON line (start/end in 16th-note steps) and its extraction report.
  --track N  take the melody from track N (as listed by the app) instead of the one the heuristic picks`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { track: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  let track: number | undefined;
  if (values.track !== undefined) {
    if (!/^\d+$/.test(values.track))
      throw new UsageError(`--track needs a track number ≥ 0, got "${values.track}"`);
    track = Number(values.track);
  }
  if (positionals.length === 0) throw new UsageError('no files given');

  let failed = 0;
  const fail = (file: string, reason: string): void => {
    failed++;
    io.stderr.write(`continuo: ${file}: ${reason}\n`);
  };

  const { files, problems } = await listMidiFiles(positionals);
  for (const problem of problems) {
    failed++;
    io.stderr.write(`continuo: ${problem}\n`);
  }

  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      fail(file, systemReason(error));
      continue;
    }
    try {
      const { melody, report } = importMidi(bytes, file, track);
      const record = {
        file,
        stepsPerQuarter: STEPS_PER_QUARTER,
        timeSignature: melody.timeSignature,
        notes: melody.notes.map((n) => ({ pitch: n.pitch, start: n.start, end: n.start + n.duration })),
        report,
      };
      io.stdout.write(JSON.stringify(record) + '\n');
    } catch (error) {
      if (!(error instanceof MidiError)) throw error;
      fail(file, error.reason);
    }
  }
  return failed > 0 ? 1 : 0;
}
