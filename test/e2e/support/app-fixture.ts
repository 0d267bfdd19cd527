/**
 * Playwright fixtures: the real browser host (compiled, from dist/ — `npm test` builds first) with
 * real services and worker, started in this process per test, and a page opened on its tokened URL.
 * The page gets `&e2e`, which exposes the app state as `window.__continuo` for assertions.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as WebHostModule from '../../../app/host/server.js';
import type * as ServicesModule from '../../../app/services/index.js';
import type * as MidiModule from '../../../engine/midi/index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = (p: string) => path.join(repoRoot, 'dist', p);

function requireBuilt(file: string): string {
  if (!existsSync(file))
    throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first`);
  return pathToFileURL(file).href;
}

/** The compiled engine, to compute what the app should show from the same bytes. */
export async function engineMidi(): Promise<typeof MidiModule> {
  return (await import(requireBuilt(dist('engine/midi/index.js')))) as typeof MidiModule;
}

export const fixture = (name: string) => path.join(repoRoot, 'test/fixtures/nottingham', name);

interface Fixtures {
  host: { url: string };
  app: Page;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const { startWebHost } = (await import(requireBuilt(dist('app/host/server.js')))) as typeof WebHostModule;
    const { createServices } = (await import(
      requireBuilt(dist('app/services/index.js'))
    )) as typeof ServicesModule;
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'continuo-e2e-'));
    const services = createServices({ host: 'web', userDataDir });
    const host = await startWebHost({ port: 0, rendererDir: dist('renderer'), services });
    try {
      await use({ url: host.url });
    } finally {
      await host.close();
      await services.dispose();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  },
  app: async ({ page, host }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${host.url}&e2e`);
    await expect(page.getByText(/^Continuo \d/)).toBeVisible();
    await use(page);
    expect(problems, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

/** The plain data of the app's library, read from the page. */
export interface EntrySnapshot {
  kind: 'file' | 'failed';
  fileName: string;
  error?: string;
  notes?: { pitch: number; start: number; duration: number; velocity: number }[];
  bpm?: number;
  timeSignature?: [number, number];
  keptNotes?: number;
}

export async function libraryEntries(page: Page): Promise<EntrySnapshot[]> {
  return page.evaluate(() => {
    type Entry =
      | {
          kind: 'file';
          file: {
            fileName: string;
            melody: { notes: never[]; bpm: number; timeSignature: [number, number] };
            report: { keptNotes: number };
          };
        }
      | { kind: 'failed'; fileName: string; error: string };
    const app = (window as unknown as { __continuo: { library: { entries: Entry[] } } }).__continuo;
    return app.library.entries.map((e) =>
      e.kind === 'file'
        ? {
            kind: e.kind,
            fileName: e.file.fileName,
            notes: e.file.melody.notes,
            bpm: e.file.melody.bpm,
            timeSignature: e.file.melody.timeSignature,
            keptNotes: e.file.report.keptNotes,
          }
        : { kind: e.kind, fileName: e.fileName, error: e.error },
    );
  });
}
