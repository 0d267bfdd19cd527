import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvents, EventName, FileUpload, ImportOutcome } from '../../app/contract/api.js';
import { LIMITS } from '../../app/contract/schemas.js';
import {
  createServices,
  describeFailure,
  type NativeDialogs,
  type Services,
} from '../../app/services/index.js';
import { createJobs } from '../../app/services/jobs.js';
import { createLibrary } from '../../app/services/library.js';
import { ModelWorker } from '../../app/services/model-worker.js';
import { importMidi } from '../../engine/midi/index.js';
import { SKIP_NOTE, awkwardDir, hasShared, repoRoot } from '../helpers/shared.js';
import { expectOneLine, fixture, followJob, rejection, requireBuiltWorker, tempDir } from './helpers.js';

let workerPath: string;
const owned: Services[] = [];

function services(dialogs?: NativeDialogs, userDataDir = tempDir()): Services {
  const s = createServices({ host: dialogs ? 'electron' : 'web', userDataDir, workerPath, dialogs });
  owned.push(s);
  return s;
}

function okFile(outcome: ImportOutcome | undefined) {
  if (!outcome?.ok) throw new Error(`expected an imported file, got ${JSON.stringify(outcome)}`);
  return outcome.file;
}

beforeAll(() => {
  workerPath = requireBuiltWorker();
});
afterEach(async () => {
  await Promise.all(owned.splice(0).map((s) => s.dispose()));
});

describe('app.info', () => {
  it('reports the browser host without native dialogs, the package version and the required credits', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const info = await services().invoke('app.info', {});
    expect(info).toMatchObject({ host: 'web', nativeDialogs: false, version: pkg.version });
    const credits = (info as { credits: { who: string; license: string }[] }).credits;
    expect(credits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ who: expect.stringContaining('Alexander Holm'), license: 'CC BY 3.0' }),
        expect.objectContaining({ who: '@tonejs/midi', license: 'MIT' }),
        expect.objectContaining({ who: 'Tone.js', license: 'MIT' }),
        expect.objectContaining({ who: expect.stringContaining('Nottingham'), license: 'GPL-3.0' }),
      ]),
    );
  });

  it('reports native dialogs where main provides them', async () => {
    const dialogs: NativeDialogs = {
      chooseImport: async () => [],
      chooseSaveTarget: async () => null,
      chooseDocument: async () => null,
    };
    expect(await services(dialogs).invoke('app.info', {})).toMatchObject({
      host: 'electron',
      nativeDialogs: true,
    });
  });
});

describe('invoke checks every call before a service sees it', () => {
  it('refuses an unknown method', async () => {
    const message = await rejection(services().invoke('library.format', {}));
    expect(message).toBe('unknown method "library.format"');
  });

  it('refuses bad arguments without starting the worker', async () => {
    const s = services();
    const message = await rejection(
      s.invoke('library.importFiles', { files: [{ name: 'a.mid', bytes: 'not bytes' }] }),
    );
    expect(message).toBe(
      'library.importFiles: invalid arguments: files[0].bytes: expected bytes, got a string',
    );
    expect(s.worker.isRunning).toBe(false);
  });
});

/** Imports files in one call and follows the job to its end. */
function importAll(s: Services, files: FileUpload[]) {
  return followJob(s, () => s.invoke('library.importFiles', { files }));
}

async function importOne(s: Services, upload: FileUpload) {
  const { outcomes } = await importAll(s, [upload]);
  return okFile(outcomes[0]);
}

describe('library', () => {
  it('imports many files at once as a job, one outcome per file in order, bad files with a one-line reason', async () => {
    const s = services();
    const { outcomes, end } = await importAll(s, [
      fixture('nottingham-ashover1.mid'),
      fixture('midi-awkward/CORRUPT_truncated_60pct_keep_on_rolling.mid'),
      fixture('midi-awkward/CORRUPT_empty_zero_bytes.mid'),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    const file = okFile(outcomes[0]);
    expect(file.fileName).toBe('nottingham-ashover1.mid');
    expect(file.melody).toEqual(importMidi(fixture('nottingham-ashover1.mid').bytes, 'x').melody);
    const failed = outcomes[2];
    expect(failed).toMatchObject({ ok: false, fileName: 'CORRUPT_empty_zero_bytes.mid' });
    expectOneLine(failed.ok ? '' : failed.error);
    expect(end).toMatchObject({ event: 'job.done', payload: { result: { imported: 2, failed: 1 } } });
    expect(s.library.size).toBe(2);
  });

  it('answers the call with the job id before the job reports anything', async () => {
    const s = services();
    const events: string[] = [];
    const off = s.on('job.progress', () => events.push('progress'));
    const started = await s.invoke('library.importFiles', { files: [fixture('nottingham-ashover1.mid')] });
    events.push('reply');
    off();
    expect(started).toEqual({ job: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(events[0]).toBe('reply');
  });

  it('counts progress from 0 to the total, naming the last file settled, and ends with the counts', async () => {
    const s = services();
    const { progress, end } = await importAll(s, [
      fixture('nottingham-ashover1.mid'),
      fixture('nottingham-waltzes1.mid'),
    ]);
    expect(progress[0]).toMatchObject({ done: 0, total: 2, fileName: '' });
    expect(progress.at(-1)).toMatchObject({ done: 2, total: 2, fileName: 'nottingham-waltzes1.mid' });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(end.payload).toMatchObject({ kind: 'library.import', result: { imported: 2, failed: 0 } });
  });

  it("reports a file over the size limit as that file's failure, in its place, importing the others", async () => {
    const s = services();
    const huge = { name: 'huge.mid', bytes: new Uint8Array(LIMITS.bytesPerMidiFile + 1) };
    const { outcomes } = await importAll(s, [
      fixture('nottingham-ashover1.mid'),
      huge,
      fixture('nottingham-waltzes1.mid'),
    ]);
    expect(outcomes.map((o) => (o.ok ? o.file.fileName : o.fileName))).toEqual([
      'nottingham-ashover1.mid',
      'huge.mid',
      'nottingham-waltzes1.mid',
    ]);
    expect(outcomes[1]).toEqual({
      ok: false,
      fileName: 'huge.mid',
      error: `is ${LIMITS.bytesPerMidiFile + 1} bytes, more than the ${LIMITS.bytesPerMidiFile}-byte limit for a MIDI file`,
    });
  });

  it('takes an import in parts: the first call announces the total, importMore brings the rest', async () => {
    const s = services();
    const accepted: unknown[] = [];
    const record = await followJob(s, async () => {
      const started = await s.invoke('library.importFiles', {
        files: [fixture('nottingham-ashover1.mid')],
        total: 3,
      });
      const { job } = started as { job: string };
      accepted.push(
        await s.invoke('library.importMore', { job, files: [fixture('nottingham-waltzes1.mid')] }),
      );
      accepted.push(
        await s.invoke('library.importMore', { job, files: [fixture('nottingham-reelsa-c29.mid')] }),
      );
      return started;
    });
    expect(accepted).toEqual([{ accepted: true }, { accepted: true }]);
    expect(record.outcomes.map((o) => o.ok && o.file.fileName)).toEqual([
      'nottingham-ashover1.mid',
      'nottingham-waltzes1.mid',
      'nottingham-reelsa-c29.mid',
    ]);
    expect(record.progress.every((p) => p.total === 3)).toBe(true);
    expect(record.end.event).toBe('job.done');
  });

  it('refuses a part that would bring more files than the import announced', async () => {
    const s = services();
    const { job } = (await s.invoke('library.importFiles', {
      files: [fixture('nottingham-ashover1.mid')],
      total: 2,
    })) as { job: string };
    const upload = fixture('nottingham-waltzes1.mid');
    const message = await rejection(s.invoke('library.importMore', { job, files: [upload, upload] }));
    expect(message).toBe('this import announced 2 files; 3 would be more');
    await s.invoke('jobs.cancel', { job });
  });

  it('answers accepted: false to a part for an import that has ended or never existed', async () => {
    const s = services();
    const { job } = await importAll(s, [fixture('nottingham-ashover1.mid')]);
    const more = { files: [fixture('nottingham-waltzes1.mid')] };
    expect(await s.invoke('library.importMore', { job, ...more })).toEqual({ accepted: false });
    expect(await s.invoke('library.importMore', { job: 'no-such-job', ...more })).toEqual({
      accepted: false,
    });
  });

  it('cancels an import in the worker, keeping the files already imported', async () => {
    const s = services();
    const files = Array.from({ length: 400 }, () => fixture('nottingham-waltzes1.mid'));
    const cancels: unknown[] = [];
    const record = await followJob(
      s,
      () => s.invoke('library.importFiles', { files }),
      (progress, job) => {
        if (progress.done > 0 && cancels.length === 0) cancels.push(s.invoke('jobs.cancel', { job }));
      },
    );
    expect(await Promise.all(cancels)).toEqual([{ cancelled: true }]);
    expect(record.end).toEqual({
      event: 'job.cancelled',
      payload: { job: record.job },
    });
    // The worker stopped between files: not all 400 were read, and every one read is kept.
    expect(record.outcomes.length).toBeGreaterThan(0);
    expect(record.outcomes.length).toBeLessThan(files.length);
    expect(s.library.size).toBe(record.outcomes.length);
    expect(s.worker.pendingJobs).toBe(0);
    expect(await s.invoke('jobs.cancel', { job: record.job })).toEqual({ cancelled: false });
  });

  it('re-extracts the melody from another track, keeping the file id', async () => {
    const s = services();
    const file = await importOne(s, fixture('midi-awkward/openmsx_no_work_song_redfarn.mid'));
    const other = file.tracks.find((t) => t.index !== file.melodyTrack && t.noteCount > 0 && !t.isDrum);
    expect(other).toBeDefined();
    const changed = await s.invoke('library.selectTrack', { fileId: file.id, trackIndex: other!.index });
    const upload = fixture('midi-awkward/openmsx_no_work_song_redfarn.mid');
    expect(changed).toMatchObject({
      id: file.id,
      melodyTrack: other!.index,
      melody: importMidi(upload.bytes, upload.name, other!.index).melody,
    });
    expect(s.library.get(file.id)?.melodyTrack).toBe(other!.index);
  });

  it('says which track does not exist', async () => {
    const s = services();
    const file = await importOne(s, fixture('nottingham-ashover1.mid'));
    const message = await rejection(s.invoke('library.selectTrack', { fileId: file.id, trackIndex: 9 }));
    expect(message).toBe(`nottingham-ashover1.mid has ${file.tracks.length} tracks; there is no track 9`);
  });

  it('forgets a removed file', async () => {
    const s = services();
    const file = await importOne(s, fixture('nottingham-ashover1.mid'));
    expect(await s.invoke('library.remove', { fileId: file.id })).toEqual({ removed: true });
    expect(await s.invoke('library.remove', { fileId: file.id })).toEqual({ removed: false });
    const message = await rejection(s.invoke('library.selectTrack', { fileId: file.id, trackIndex: 0 }));
    expect(message).toMatch(/^no imported file has id .* \(it was removed, or the app was restarted\)$/);
  });
});

describe('an import whose parts stop coming', () => {
  it('fails in one line after the wait, keeping what it imported', async () => {
    const events: { event: string; payload: unknown }[] = [];
    const emit = <E extends EventName>(event: E, payload: ApiEvents[E]) => events.push({ event, payload });
    const jobs = createJobs({ emit, describeFailure });
    const worker = new ModelWorker(workerPath);
    const library = createLibrary({ worker, jobs, partTimeoutMs: 50 });
    try {
      library.importFiles([fixture('nottingham-ashover1.mid')], 5);
      await expect.poll(() => events.at(-1)?.event).toBe('job.failed');
      expect(events.at(-1)?.payload).toMatchObject({
        message: 'the import stopped after 1 of 5 files: the rest never arrived',
      });
      expect(library.size).toBe(1);
    } finally {
      await jobs.dispose();
      await worker.dispose();
    }
  });
});

describe('jobs.cancel', () => {
  it('answers cancelled: false for a job that is not running', async () => {
    expect(await services().invoke('jobs.cancel', { job: 'no-such-job' })).toEqual({ cancelled: false });
  });
});

describe('exporter.midi', () => {
  it('writes MIDI bytes that import back to the same melody, under a safe file name', async () => {
    const s = services();
    const file = await importOne(s, fixture('nottingham-reelsa-c29.mid'));
    const exported = (await s.invoke('exporter.midi', {
      melody: file.melody,
      name: '../../reels/a:c29?',
    })) as { fileName: string; bytes: Uint8Array };
    expect(exported.fileName).toBe('reels-a-c29-.mid');
    expect(importMidi(exported.bytes, exported.fileName).melody).toEqual(file.melody);
  });
});

describe('native dialogs (Electron) through plain services', () => {
  it('saves where the user chose, atomically, and remembers the folder', async () => {
    const dir = tempDir();
    const chosen = path.join(dir, 'out.wav');
    const asked: unknown[] = [];
    const s = services({
      chooseImport: async () => [],
      chooseSaveTarget: async (o) => (asked.push(o), chosen),
      chooseDocument: async () => null,
    });
    const bytes = new Uint8Array([82, 73, 70, 70, 1, 2, 3]);
    expect(await s.invoke('files.save', { suggestedName: 'My tune', kind: 'wav', bytes })).toEqual({
      saved: true,
    });
    expect(new Uint8Array(fs.readFileSync(chosen))).toEqual(bytes);
    expect(asked).toEqual([{ suggestedName: 'My tune.wav', kind: 'wav', defaultPath: null }]);
    expect(fs.readdirSync(dir)).toEqual(['out.wav']);
    expect(s.settings.get().lastSaveDir).toBe(dir);
  });

  it('saves nothing when the user cancels', async () => {
    const s = services({
      chooseImport: async () => [],
      chooseSaveTarget: async () => null,
      chooseDocument: async () => null,
    });
    expect(
      await s.invoke('files.save', { suggestedName: 'x', kind: 'midi', bytes: new Uint8Array(4) }),
    ).toEqual({ saved: false });
  });

  it('imports the MIDI files of a chosen folder, recursively, ignoring other files', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.copyFileSync(path.join(repoRoot, 'test/fixtures/nottingham-ashover1.mid'), path.join(dir, 'a.mid'));
    fs.copyFileSync(
      path.join(repoRoot, 'test/fixtures/nottingham-waltzes1.mid'),
      path.join(dir, 'nested/b.MIDI'),
    );
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not music');
    const s = services({
      chooseImport: async () => [dir],
      chooseSaveTarget: async () => null,
      chooseDocument: async () => null,
    });
    const { outcomes } = await followJob(s, () => s.invoke('library.openDialog', { folders: true }));
    expect(outcomes.map((o) => (o.ok ? o.file.fileName : o.fileName))).toEqual(['a.mid', 'b.MIDI']);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(s.settings.get().lastOpenDir).toBe(dir);
  });

  it('starts no job when the user chooses nothing', async () => {
    const s = services({
      chooseImport: async () => [],
      chooseSaveTarget: async () => null,
      chooseDocument: async () => null,
    });
    expect(await s.invoke('library.openDialog', { folders: false })).toEqual({ job: null });
    expect(s.jobs.running).toBe(0);
  });

  it('imports every extension a drop accepts from a chosen folder, .rmi and .kar included', async () => {
    const dir = tempDir();
    fs.copyFileSync(
      path.join(repoRoot, 'test/fixtures/midi-awkward/CONSTRUCTED_rmid_wrapper_wood_whistles.rmi'),
      path.join(dir, 'wood.rmi'),
    );
    fs.copyFileSync(path.join(repoRoot, 'test/fixtures/nottingham-ashover1.mid'), path.join(dir, 'song.kar'));
    const s = services({
      chooseImport: async () => [dir],
      chooseSaveTarget: async () => null,
      chooseDocument: async () => null,
    });
    const { outcomes } = await followJob(s, () => s.invoke('library.openDialog', { folders: true }));
    expect(outcomes.map((o) => (o.ok ? o.file.fileName : o.fileName))).toEqual(['song.kar', 'wood.rmi']);
    expect(okFile(outcomes[1]).report.messages).toContain('RIFF RMID wrapper removed');
  });

  it('explains that the browser host has no native dialogs', async () => {
    const message = await rejection(
      services().invoke('files.save', { suggestedName: 'x', kind: 'midi', bytes: new Uint8Array(1) }),
    );
    expect(message).toMatch(/^Saving through a dialog needs the desktop app/);
  });
});

describe('lifetime', () => {
  it('terminates the worker thread on dispose', async () => {
    const s = services();
    await importAll(s, [fixture('nottingham-ashover1.mid')]);
    expect(s.worker.isRunning).toBe(true);
    await s.dispose();
    expect(s.worker.isRunning).toBe(false);
    expect(s.worker.threadCounts).toEqual({ started: 1, exited: 1 });
  });

  it('cancels the jobs still running on dispose and waits for them', async () => {
    const s = services();
    const ends: string[] = [];
    s.on('job.cancelled', () => ends.push('cancelled'));
    const files = Array.from({ length: 400 }, () => fixture('nottingham-waltzes1.mid'));
    await s.invoke('library.importFiles', { files });
    await s.dispose();
    expect(ends).toEqual(['cancelled']);
    expect(s.jobs.running).toBe(0);
    expect(s.worker.threadCounts.started).toBe(s.worker.threadCounts.exited);
  });
});

describe.skipIf(!hasShared)(
  'every awkward file imports with its report or fails in one line' + SKIP_NOTE,
  () => {
    it('walks ../shared/midi-awkward through the app', async () => {
      const names = fs
        .readdirSync(awkwardDir)
        .filter((n) => fs.statSync(path.join(awkwardDir, n)).isFile() && n !== 'README.md');
      const files = names.map((n) => ({
        name: n,
        bytes: new Uint8Array(fs.readFileSync(path.join(awkwardDir, n))),
      }));
      const s = services();
      const { outcomes } = await importAll(s, files);
      expect(outcomes.map((o) => (o.ok ? o.file.fileName : o.fileName))).toEqual(names);
      for (const outcome of outcomes) {
        if (outcome.ok) expect(outcome.file.report.keptNotes).toBe(outcome.file.melody.notes.length);
        else expectOneLine(outcome.error);
      }
    });
  },
);
