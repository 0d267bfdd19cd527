/**
 * Every file of ../shared/midi-awkward imported through the UI as a whole folder: each one either
 * shows a melody with its report or fails with a one-line reason. Needs ../shared; without it the
 * test is skipped and its title says so.
 */
import { readdirSync } from 'node:fs';
import { awkwardDir, hasShared, SKIP_NOTE } from '../helpers/shared.js';
import { expect, libraryEntries, test } from './support/app-fixture.js';

const midiNames = hasShared ? readdirSync(awkwardDir).filter((n) => /\.(mid|midi|kar|rmi)$/i.test(n)) : [];

test.describe(`every awkward MIDI file in the app${SKIP_NOTE}`, () => {
  test.skip(!hasShared, `../shared/midi-awkward not found${SKIP_NOTE}`);

  test('imports each file with a report, or lists it with a one-line reason', async ({ app }) => {
    await app.getByTestId('folder-input').setInputFiles(awkwardDir);
    const entries = app.getByTestId('library-entry');
    await expect(entries).toHaveCount(midiNames.length, { timeout: 60_000 });
    // The folder's README and license texts are not MIDI: left out, and said so.
    await expect(app.getByText(/^Skipped \d+ files? that (is|are) not MIDI/)).toBeVisible();

    const snapshot = await libraryEntries(app);
    expect(snapshot.map((e) => e.fileName).sort()).toEqual([...midiNames].sort());
    for (const entry of snapshot.filter((e) => e.kind === 'failed')) {
      expect(entry.error, entry.fileName).toMatch(/^[^\n]{5,300}$/);
      expect(entry.error, entry.fileName).not.toMatch(/\bat .+:\d+:\d+|TypeError|RangeError/);
    }
    // Files built by breaking a good one on purpose must not pass as fine.
    expect(snapshot.find((e) => e.fileName === 'CORRUPT_empty_zero_bytes.mid')?.kind).toBe('failed');

    for (const [i, entry] of snapshot.entries()) {
      await entries.nth(i).getByRole('button').first().click();
      const heading = app.getByRole('heading', { level: 1 });
      await expect(heading).toHaveText(entry.fileName);
      if (entry.kind === 'file') {
        await expect(app.getByRole('region', { name: 'Import report' })).toContainText(
          /Melody from track \d+/,
        );
        await expect(app.getByRole('figure', { name: /^Piano roll:/ })).toHaveAttribute(
          'aria-label',
          entry.notes!.length === 0
            ? 'Piano roll: no notes'
            : new RegExp(`^Piano roll: ${entry.notes!.length} notes?`),
        );
      } else {
        await expect(app.getByRole('main').getByText(entry.error!, { exact: true })).toBeVisible();
      }
    }
  });
});
