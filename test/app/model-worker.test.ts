import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importMidi } from '../../engine/midi/index.js';
import type { JobArgs, ParsedFile } from '../../app/contract/worker.js';
import { ModelWorker } from '../../app/services/model-worker.js';
import { fixture, requireBuiltWorker, tempDir } from './helpers.js';

let scriptPath: string;
const owned: ModelWorker[] = [];
const start = (p = scriptPath) => {
  const worker = new ModelWorker(p);
  owned.push(worker);
  return worker;
};

/** Runs midi.parse and gathers each file's answer from its progress message. */
async function parse(worker: ModelWorker, files: JobArgs<'midi.parse'>['files']): Promise<ParsedFile[]> {
  const parsed: ParsedFile[] = [];
  const result = await worker.run('midi.parse', { files }, { onProgress: (p) => parsed.push(p.file) });
  expect(result).toEqual({ parsed: files.length });
  return parsed;
}

beforeAll(() => {
  scriptPath = requireBuiltWorker();
});
afterEach(async () => {
  await Promise.all(owned.splice(0).map((w) => w.dispose()));
});

describe('model worker (a real worker thread)', () => {
  it('does not start a thread until the first job', () => {
    const worker = start();
    expect(worker.isRunning).toBe(false);
    expect(worker.threadCounts).toEqual({ started: 0, exited: 0 });
  });

  it('parses a MIDI file off the main thread with the same result as the engine in-process', async () => {
    const worker = start();
    const upload = fixture('nottingham-ashover1.mid');
    const [parsed] = await parse(worker, [upload]);
    const direct = importMidi(upload.bytes, upload.name);
    expect(parsed).toEqual({
      ok: true,
      fileName: 'nottingham-ashover1.mid',
      tracks: direct.tracks,
      melodyTrack: direct.melodyTrack,
      melody: direct.melody,
      report: direct.report,
    });
    expect(worker.isRunning).toBe(true);
  });

  it('reports one progress message per file, in order, each with that file', async () => {
    const worker = start();
    const files = [
      fixture('nottingham-ashover1.mid'),
      fixture('nottingham-waltzes1.mid'),
      fixture('midi-awkward/CORRUPT_empty_zero_bytes.mid'),
    ];
    const progress: unknown[] = [];
    await worker.run(
      'midi.parse',
      { files },
      { onProgress: (p) => progress.push([p.done, p.total, p.file.fileName]) },
    );
    expect(progress).toEqual([
      [1, 3, 'nottingham-ashover1.mid'],
      [2, 3, 'nottingham-waltzes1.mid'],
      [3, 3, 'CORRUPT_empty_zero_bytes.mid'],
    ]);
  });

  it('turns an unreadable file into a one-line reason without failing the job', async () => {
    const worker = start();
    const [good, bad] = await parse(worker, [
      fixture('nottingham-ashover1.mid'),
      fixture('midi-awkward/CORRUPT_random_bytes_4096.mid'),
    ]);
    expect(good.ok).toBe(true);
    expect(bad).toMatchObject({ ok: false, fileName: 'CORRUPT_random_bytes_4096.mid' });
    expect(bad.ok ? '' : bad.error).toMatch(/^[^\n]+$/);
  });

  it('extracts from the track it is told to use', async () => {
    const worker = start();
    const upload = fixture('midi-awkward/openmsx_no_work_song_redfarn.mid');
    const [parsed] = await parse(worker, [{ ...upload, trackIndex: 1 }]);
    expect(parsed.ok && parsed.melodyTrack).toBe(1);
    expect(parsed.ok && parsed.report.trackIndex).toBe(1);
  });

  it('stops a running job when its AbortSignal fires, and keeps serving later jobs', async () => {
    const worker = start();
    const files = Array.from({ length: 400 }, () => fixture('nottingham-waltzes1.mid'));
    const controller = new AbortController();
    let progressSeen = 0;
    const run = worker.run(
      'midi.parse',
      { files },
      {
        signal: controller.signal,
        onProgress: () => {
          progressSeen++;
          controller.abort();
        },
      },
    );
    await expect(run).rejects.toThrow('midi.parse was cancelled');
    expect(progressSeen).toBeLessThan(files.length);
    const [after] = await parse(worker, [fixture('nottingham-ashover1.mid')]);
    expect(after.ok).toBe(true);
  });

  it('terminates its thread on dispose and rejects jobs afterwards', async () => {
    const worker = start();
    await worker.run('midi.parse', { files: [fixture('nottingham-ashover1.mid')] });
    expect(worker.threadCounts).toEqual({ started: 1, exited: 0 });
    await worker.dispose();
    expect(worker.isRunning).toBe(false);
    expect(worker.threadCounts).toEqual({ started: 1, exited: 1 });
    await expect(worker.run('midi.parse', { files: [] })).rejects.toThrow('shut down');
  });

  it('rejects the jobs still running when it is disposed', async () => {
    const worker = start();
    const files = Array.from({ length: 400 }, () => fixture('nottingham-waltzes1.mid'));
    const outcome = worker.run('midi.parse', { files }).catch((error: unknown) => error);
    await worker.dispose();
    expect(await outcome).toMatchObject({ message: 'the model worker was shut down' });
    expect(worker.threadCounts).toEqual({ started: 1, exited: 1 });
  });

  it('rejects the running job in one line when the thread crashes, and starts a fresh thread for the next job', async () => {
    // A stand-in worker script that dies on its first message, as an engine bug would.
    const crashing = path.join(tempDir(), 'crashing-worker.mjs');
    fs.writeFileSync(
      crashing,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('out of cheese\\nat somewhere'); });\n",
    );
    const worker = start(crashing);
    await expect(worker.run('midi.parse', { files: [] })).rejects.toThrow(
      /^the model worker crashed: out of cheese$/,
    );
    await expect.poll(() => worker.threadCounts).toEqual({ started: 1, exited: 1 });
    expect(worker.isRunning).toBe(false);
    await expect(worker.run('midi.parse', { files: [] })).rejects.toThrow('the model worker crashed');
    expect(worker.threadCounts.started).toBe(2);
  });

  it('fails a job whose reply it cannot read instead of leaving it waiting', async () => {
    // A stand-in worker that answers every job with a reply tagged for a job that does not exist.
    const confused = path.join(tempDir(), 'confused-worker.mjs');
    fs.writeFileSync(
      confused,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => parentPort.postMessage({ type: 'result', id: m.id, job: 'midi.render', result: { parsed: 0 } }));\n",
    );
    await expect(start(confused).run('midi.parse', { files: [] })).rejects.toThrow(
      'the model worker sent a malformed reply to midi.parse',
    );
  });

  it('says to build first when the compiled worker is missing', async () => {
    const missing = path.join(tempDir(), 'dist/app/worker/index.js');
    expect(fs.existsSync(missing)).toBe(false);
    await expect(start(missing).run('midi.parse', { files: [] })).rejects.toThrow(
      /the model worker is not built .* is missing\): run "npm run build" first/,
    );
  });
});
