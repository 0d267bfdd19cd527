import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FileUpload, ImportProgress, JobId } from '../../app/contract/api';
import { startJob } from '../../renderer/lib/api/jobs';
import { InMemoryApi } from './in-memory-api';

const fixture = (name: string): FileUpload => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`../fixtures/nottingham/${name}`, import.meta.url))),
});

const EVENTS = ['job.progress', 'job.done', 'job.failed', 'job.cancelled'] as const;
const listeners = (api: InMemoryApi) => EVENTS.map((e) => api.listenerCount(e));

const importing = (api: InMemoryApi, files: FileUpload[]) => async (): Promise<JobId> =>
  (await api.invoke('library.importFiles', { files })).job;

describe('following a job from the page', () => {
  it('hands on the progress of its job and ends with its result', async () => {
    const api = new InMemoryApi();
    const seen: ImportProgress[] = [];
    const running = await startJob(api, 'library.import', importing(api, [fixture('ashover2.mid')]), (p) =>
      seen.push(p),
    );
    expect(await running!.ended).toEqual({ status: 'done', result: { imported: 1, failed: 0 } });
    expect(seen.flatMap((p) => p.outcomes).map((o) => o.ok && o.file.fileName)).toEqual(['ashover2.mid']);
    expect(listeners(api)).toEqual([0, 0, 0, 0]);
  });

  it('keeps the events that come before the reply with the id, and replays them', async () => {
    const api = new InMemoryApi();
    const seen: number[] = [];
    // A start whose reply is delivered only after its job has ended, as Electron may do.
    const late = async () => {
      const job = await importing(api, [fixture('ashover2.mid')])();
      await new Promise<void>((resolve) => {
        const off = api.on('job.done', (e) => e.job === job && (off(), resolve()));
      });
      return job;
    };
    const running = await startJob(api, 'library.import', late, (p) => seen.push(p.done));
    expect(await running!.ended).toMatchObject({ status: 'done' });
    expect(seen.at(-1)).toBe(1);
  });

  it('ignores the events of other jobs', async () => {
    const api = new InMemoryApi();
    const resume = api.pauseImports(0);
    const names: string[] = [];
    const running = await startJob(api, 'library.import', importing(api, [fixture('ashover2.mid')]), (p) =>
      names.push(...p.outcomes.map((o) => (o.ok ? o.file.fileName : o.fileName))),
    );
    await api.invoke('library.importFiles', { files: [fixture('ashover3.mid')] });
    resume();
    await running!.ended;
    expect(names).toEqual(['ashover2.mid']);
  });

  it('ends cancelled when the job is cancelled', async () => {
    const api = new InMemoryApi();
    const resume = api.pauseImports(0);
    const running = await startJob(
      api,
      'library.import',
      importing(api, [fixture('ashover2.mid')]),
      () => {},
    );
    expect(await running!.cancel()).toBe(true);
    resume();
    expect(await running!.ended).toEqual({ status: 'cancelled' });
    expect(await running!.cancel()).toBe(false);
  });

  it('ends failed with the host’s message', async () => {
    const api = new InMemoryApi({ partTimeoutMs: 20 });
    // Announces two files and sends one: the host gives up waiting for the other.
    const start = async () =>
      (await api.invoke('library.importFiles', { files: [fixture('ashover2.mid')], total: 2 })).job;
    const running = await startJob(api, 'library.import', start, () => {});
    expect(await running!.ended).toEqual({
      status: 'failed',
      message: 'the import stopped after 1 of 2 files: the rest never arrived',
    });
  });

  it('listens to nothing when no job was started, or the call that starts it fails', async () => {
    const api = new InMemoryApi();
    expect(
      await startJob(
        api,
        'library.import',
        async () => null,
        () => {},
      ),
    ).toBeNull();
    expect(listeners(api)).toEqual([0, 0, 0, 0]);
    await expect(
      startJob(
        api,
        'library.import',
        () => api.invoke('library.openDialog', { folders: true }).then((r) => r.job),
        () => {},
      ),
    ).rejects.toThrow('no native dialogs in this host');
    expect(listeners(api)).toEqual([0, 0, 0, 0]);
  });

  it('cancels the job on the host and stops following it when its owner goes away', async () => {
    const api = new InMemoryApi();
    const resume = api.pauseImports(0);
    const owner = new AbortController();
    const running = await startJob(
      api,
      'library.import',
      importing(api, [fixture('ashover2.mid')]),
      () => {},
      owner.signal,
    );
    owner.abort();
    expect(await running!.ended).toEqual({ status: 'cancelled' });
    expect(listeners(api)).toEqual([0, 0, 0, 0]);
    resume();
    expect(api.calls.at(-1)).toMatchObject({ method: 'jobs.cancel', args: { job: running!.job } });
  });
});
