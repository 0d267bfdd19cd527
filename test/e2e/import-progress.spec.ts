/**
 * A long import through the real browser host: the page sends its files in parts of one import
 * job, shows how far it has got, and can be cancelled, keeping the files already read.
 */
import { readFileSync } from 'node:fs';
import { expect, fixture, libraryEntries, test } from './support/app-fixture.js';

const COPIES = 2000;
const bytes = readFileSync(fixture('jigs100.mid'));
const files = Array.from({ length: COPIES }, (_, i) => ({
  name: `jig-${String(i).padStart(4, '0')}.mid`,
  mimeType: 'audio/midi',
  buffer: bytes,
}));

test('a long import shows its progress, and Cancel keeps the files read so far', async ({ app }) => {
  await app.getByTestId('file-input').setInputFiles(files);
  // Some files in, many to go.
  await expect(
    app.getByRole('status').getByText(new RegExp(`^Importing [1-9]\\d* of ${COPIES}`)),
  ).toBeVisible();
  await app.getByRole('button', { name: 'Cancel import' }).click();

  const note = app.getByText(/^Import cancelled: /);
  await expect(note).toBeVisible({ timeout: 30_000 });
  const [, keptText, skippedText] =
    /the (\d+ files|file) already read (?:are|is) kept; (\d+) files were skipped\.$/.exec(
      (await note.textContent()) ?? '',
    ) ?? [];
  const kept = keptText === 'file' ? 1 : parseInt(keptText, 10);
  const skipped = Number(skippedText);
  expect(kept + skipped).toBe(COPIES);
  expect(skipped).toBeGreaterThan(0);
  await expect(app.getByRole('button', { name: 'Cancel import' })).toHaveCount(0);
  // Every file read before the cancel is listed, in order; none after it.
  const entries = await libraryEntries(app);
  expect(entries.map((e) => e.fileName)).toEqual(files.slice(0, kept).map((f) => f.name));
});
