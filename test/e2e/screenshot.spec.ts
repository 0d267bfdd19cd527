/**
 * The README's screenshot: the main window at 1280×800 with a tune loaded and playing. Always taken
 * (to test-results/); copied to docs/screenshot.png when UPDATE_SCREENSHOT=1, so ordinary test runs
 * never touch the working tree.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, fixture, repoRoot, test } from './support/app-fixture.js';

test('the main window with a tune loaded, at 1280×800', async ({ app }) => {
  const tunes = readdirSync(path.dirname(fixture('x'))).filter((n) => n.endsWith('.mid'));
  await app.getByTestId('file-input').setInputFiles(tunes.map(fixture));
  await expect(app.getByTestId('library-entry')).toHaveCount(tunes.length);
  await app.getByRole('button', { name: /^jigs100\.mid/ }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('jigs100.mid');

  const transport = app.getByRole('group', { name: 'Transport' }).getByRole('button').first();
  await transport.click();
  await expect(transport).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
  await expect.poll(() => app.getByTestId('position').textContent(), { timeout: 15_000 }).toMatch(/^3\./);

  const out = test.info().outputPath('screenshot.png');
  await app.screenshot({ path: out });
  const png = readFileSync(out);
  expect(png.readUInt32BE(16)).toBe(1280); // IHDR width
  expect(png.readUInt32BE(20)).toBe(800); // IHDR height
  if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(out, path.join(repoRoot, 'docs/screenshot.png'));
});
