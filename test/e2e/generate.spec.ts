/**
 * The creative loop end to end, in Debian's Chromium against the real browser host, its services
 * and model worker with the bundled default model: a seed entered with the computer keyboard,
 * continued in four variations under a key lock, auditioned, compared, kept, continued again,
 * exported and re-imported, and generated again note for note. Every control is found by its role
 * and accessible name.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { engineMidi, expect, repoRoot, test } from './support/app-fixture.js';

interface PlainNote {
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}
interface ResultSnapshot {
  key: string;
  label: string;
  seedNotes: number;
  notes: PlainNote[];
  made: { settings: { randomSeed: number }; variation: number } | null;
}

type AppHandle = {
  __continuo: {
    document: { melody: { notes: PlainNote[]; bpm: number; timeSignature: [number, number] } };
    generation: {
      results: {
        key: string;
        label: string;
        seedNotes: number;
        melody: { notes: PlainNote[] };
        made: ResultSnapshot['made'];
      }[];
      current: string | null;
    };
  };
};

async function results(page: Page): Promise<ResultSnapshot[]> {
  return page.evaluate(() =>
    (window as unknown as AppHandle).__continuo.generation.results.map((r) => ({
      key: r.key,
      label: r.label,
      seedNotes: r.seedNotes,
      notes: r.melody.notes.map((n) => ({ ...n })),
      made: r.made ? JSON.parse(JSON.stringify(r.made)) : null,
    })),
  );
}

async function seedNotes(page: Page): Promise<PlainNote[]> {
  return page.evaluate(() =>
    (window as unknown as AppHandle).__continuo.document.melody.notes.map((n) => ({ ...n })),
  );
}

async function setNumber(page: Page, name: string, value: number) {
  const field = page.getByRole('spinbutton', { name, exact: true });
  await field.fill(String(value));
  await field.dispatchEvent('change');
  await expect(field).toHaveValue(String(value));
}

/** C major's pitch classes. */
const C_MAJOR = new Set([0, 2, 4, 5, 7, 9, 11]);
const RANGE = { min: 55, max: 79 };

/** Every new note of every result: in C major, in the range, after the seed's last bar line, within the bars asked. */
function expectObeyed(all: ResultSnapshot[], seedEnd: number, bars: number) {
  const startAt = Math.ceil(seedEnd / 16) * 16;
  for (const r of all) {
    const added = r.notes.slice(r.seedNotes);
    expect(added.length, `variation ${r.label} adds notes`).toBeGreaterThan(0);
    for (const n of added) {
      expect(C_MAJOR.has(n.pitch % 12), `variation ${r.label}: pitch ${n.pitch} is in C major`).toBe(true);
      expect(n.pitch).toBeGreaterThanOrEqual(RANGE.min);
      expect(n.pitch).toBeLessThanOrEqual(RANGE.max);
      expect(n.start).toBeGreaterThanOrEqual(startAt);
      expect(n.start + n.duration).toBeLessThanOrEqual(startAt + bars * 16);
    }
  }
}

async function generateAndWait(page: Page, count: number) {
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(page.getByRole('button', { name: /^Audition variation/ })).toHaveCount(count, {
    timeout: 60_000,
  });
  await expect(page.getByRole('progressbar', { name: 'Generating' })).toHaveCount(0, { timeout: 60_000 });
}

test('seed, generate in C major, audition, A/B, keep, continue, export and re-import, generate again identically', async ({
  app,
}) => {
  // A two-bar seed with the computer keyboard: C D E F | G F E D in quarter notes.
  await app.getByRole('button', { name: 'Step entry' }).click();
  for (const key of ['KeyA', 'KeyS', 'KeyD', 'KeyF', 'KeyG', 'KeyF', 'KeyD', 'KeyS'])
    await app.keyboard.press(key);
  await app.getByRole('button', { name: 'Step entry' }).click();
  const seed = await seedNotes(app);
  expect(seed.map((n) => n.pitch)).toEqual([60, 62, 64, 65, 67, 65, 64, 62]);

  // The Generate panel: 4 variations of 4 bars in C major, range 55–79, a fixed random seed.
  const panel = app.getByRole('region', { name: 'Generate' });
  await expect(panel.getByRole('combobox', { name: 'Model' })).toHaveValue('default');
  await setNumber(app, 'Length in bars', 4);
  await setNumber(app, 'Variations', 4);
  await panel.getByRole('combobox', { name: 'Key lock' }).selectOption({ label: 'C' });
  await expect(panel.getByRole('combobox', { name: 'Scale' })).toHaveValue('major');
  await panel.getByRole('checkbox', { name: 'Limit the pitch range' }).check();
  await setNumber(app, 'Lowest pitch', RANGE.min);
  await setNumber(app, 'Highest pitch', RANGE.max);
  await setNumber(app, 'Random seed', 20261202);
  await expect(panel.getByRole('slider', { name: 'Novelty' })).toHaveValue('0.5'); // the model's own

  await generateAndWait(app, 4);
  const first = await results(app);
  expect(first.map((r) => r.label)).toEqual(['1', '2', '3', '4']);
  expectObeyed(first, 32, 4);
  for (const r of first) expect(r.notes.slice(0, r.seedNotes)).toEqual(seed);
  for (let i = 1; i <= 4; i++)
    await expect(app.getByRole('meter', { name: `Memorisation of variation ${i}` })).toBeVisible();

  // Audition variation 2: the roll shows seed + continuation (the continuation highlighted), the transport runs.
  await app.getByRole('button', { name: 'Audition variation 2' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Variation 2');
  const roll = app.getByRole('figure', { name: /^Piano roll:/ });
  await expect(roll).toHaveAttribute('data-note-count', String(first[1].notes.length));
  await expect(roll).toHaveAttribute('data-highlight-from', String(seed.length));
  const transport = app.getByRole('group', { name: 'Transport' }).getByRole('button').first();
  await expect(transport).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
  await expect.poll(() => app.getByTestId('position').textContent(), { timeout: 15_000 }).not.toBe('1.1');

  // A/B with one key: variation 4, then B goes back to 2 and B again to 4.
  await app.getByRole('button', { name: 'Audition variation 4' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Variation 4');
  await app.keyboard.press('KeyB');
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Variation 2');
  await app.keyboard.press('KeyB');
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Variation 4');
  await app.getByRole('button', { name: 'A/B with 2' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Variation 2');

  // Regenerate exactly: the same notes from the recipe.
  await app.getByRole('button', { name: 'Regenerate exactly' }).click();
  await expect(app.getByText('Variation 2 made again: identical, note for note.')).toBeVisible({
    timeout: 30_000,
  });

  // Regenerate bar 4 of it: a new result beside it, bars 1–3 and the seed unchanged.
  await setNumber(app, 'First bar to regenerate', 4);
  await setNumber(app, 'Last bar to regenerate', 4);
  await app.getByRole('button', { name: 'Regenerate bars' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Variation 2 · bars 4–4', {
    timeout: 30_000,
  });
  const withBar4 = (await results(app)).find((r) => r.label === '2 · bars 4–4')!;
  expect(withBar4.notes.filter((n) => n.start < 48)).toEqual(first[1].notes.filter((n) => n.start < 48));
  expectObeyed([withBar4], 32, 4);

  // The screenshot of the editor with a seed and results (docs/generate.png).
  await app.getByRole('button', { name: 'Audition variation 2', exact: true }).click();
  await transport.click(); // stop, for a still picture
  await app.getByRole('navigation', { name: 'Document' }).getByRole('button').click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Seed');
  await app.getByRole('list', { name: 'Results' }).evaluate((el) => (el.scrollLeft = 0));
  const shot = test.info().outputPath('generate.png');
  await app.screenshot({ path: shot });
  if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(shot, path.join(repoRoot, 'docs/generate.png'));

  // Keep variation 2: it becomes the seed (undoable), shown in the editor.
  await app.getByRole('button', { name: 'Keep variation 2', exact: true }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Seed');
  const kept = await seedNotes(app);
  expect(kept).toEqual(first[1].notes);
  await app.getByRole('button', { name: 'Undo' }).click();
  expect(await seedNotes(app)).toEqual(seed);
  await app.getByRole('button', { name: 'Redo' }).click();
  expect(await seedNotes(app)).toEqual(kept);

  // Continue it: four more bars after the kept six.
  await generateAndWait(app, 4);
  const continued = await results(app);
  for (const r of continued) expect(r.notes.slice(0, r.seedNotes)).toEqual(kept);
  expectObeyed(continued, 6 * 16, 4);

  // Export the seed (seed + kept result) as MIDI and import it back: the same notes.
  const [download] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Export MIDI' }).click(),
  ]);
  const { importMidi } = await engineMidi();
  const reimported = importMidi(new Uint8Array(readFileSync(await download.path())), 'seed.mid');
  expect(reimported.melody.notes).toEqual(kept);

  // Generate again with the same random seed: identical notes.
  await generateAndWait(app, 4);
  expect((await results(app)).map((r) => r.notes)).toEqual(continued.map((r) => r.notes));
  // And a variation exported with its seed imports back as it is.
  await app.getByRole('button', { name: 'Audition variation 3' }).click();
  await transport.click();
  const [take] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Export MIDI' }).click(),
  ]);
  expect(take.suggestedFilename()).toBe('seed + variation 3.mid');
  expect(importMidi(new Uint8Array(readFileSync(await take.path())), 'take.mid').melody.notes).toEqual(
    continued[2].notes,
  );
  // The browser host cannot hand a file to the system's drag: each result's .mid button exports it.
  const midiButton = app.getByRole('button', { name: 'Export variation 4 as MIDI', exact: true });
  await expect(midiButton).toHaveAttribute('draggable', 'false');
  const [card] = await Promise.all([app.waitForEvent('download'), midiButton.click()]);
  expect(card.suggestedFilename()).toBe('seed + variation 4.mid');
  expect(importMidi(new Uint8Array(readFileSync(await card.path())), 'card.mid').melody.notes).toEqual(
    continued[3].notes,
  );
});

test('a newer Generate supersedes a running one, and Cancel stops it keeping what it made', async ({
  app,
}) => {
  await app.getByRole('button', { name: 'Step entry' }).click();
  for (const key of ['KeyA', 'KeyD', 'KeyG', 'KeyK']) await app.keyboard.press(key);
  await app.getByRole('button', { name: 'Step entry' }).click();
  await setNumber(app, 'Length in bars', 128);
  await setNumber(app, 'Variations', 16);
  await app.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(app.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await app.getByRole('button', { name: 'Cancel' }).click();
  await expect(app.getByText(/^Generation cancelled after \d+ variations\.$/)).toBeVisible({
    timeout: 30_000,
  });
  const kept = (await results(app)).length;
  expect(kept).toBeLessThan(16);
  await expect(app.getByRole('button', { name: /^Audition variation/ })).toHaveCount(kept);

  // Supersede: Generate twice; the list ends with the second request's 2 short variations.
  await app.getByRole('button', { name: 'Generate', exact: true }).click();
  await setNumber(app, 'Length in bars', 2);
  await setNumber(app, 'Variations', 2);
  await generateAndWait(app, 2);
  await expect(app.getByText('2 variations.')).toBeVisible();
});

test('"Detect from the seed" finds the key and reports it', async ({ app }) => {
  await app.getByRole('button', { name: 'Step entry' }).click();
  // G A B C | D B G – in G major (G4 = KeyG at the default octave)
  for (const key of ['KeyG', 'KeyH', 'KeyJ', 'KeyK', 'KeyL', 'KeyJ', 'KeyG', 'KeyG'])
    await app.keyboard.press(key);
  await app.getByRole('button', { name: 'Step entry' }).click();
  await setNumber(app, 'Variations', 2);
  await app.getByRole('combobox', { name: 'Key lock' }).selectOption({ label: 'Detect from the seed' });
  await expect(app.getByRole('combobox', { name: 'Scale' })).toBeDisabled();
  await generateAndWait(app, 2);
  await expect(app.getByText('2 variations in G major (found in the seed).')).toBeVisible();
});
