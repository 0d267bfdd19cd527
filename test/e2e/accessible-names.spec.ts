/**
 * Every control of the window has an accessible name (a label, aria-label or its text), so the app
 * works with a screen reader and tests find controls by role and name: checked over everything that
 * is on screen in both sections, with a seed, generated results, an auditioned result and an
 * imported file in the training set, in Debian's Chromium against the real browser host.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, fixture, test } from './support/app-fixture.js';

const CONTROLS =
  'button, input:not([type="hidden"]), select, textarea, [role="slider"], [role="tab"], [role="checkbox"]';

/** Every visible control on the page has a non-blank accessible name; returns how many were checked. */
async function expectNamed(page: Page): Promise<number> {
  const controls: Locator[] = [];
  for (const control of await page.locator(CONTROLS).all())
    if (await control.isVisible()) controls.push(control);
  for (const control of controls) {
    const html = (await control.evaluate((el) => el.outerHTML)).slice(0, 160);
    await expect(control, `a control without an accessible name: ${html}`).toHaveAccessibleName(/\S/);
  }
  return controls.length;
}

test('every control in both sections has an accessible name', async ({ app }) => {
  await app.getByRole('button', { name: 'Step entry' }).click();
  for (const key of ['KeyA', 'KeyS', 'KeyD', 'KeyF']) await app.keyboard.press(key);
  await app.getByRole('button', { name: 'Step entry' }).click();
  await app.getByRole('spinbutton', { name: 'Variations', exact: true }).fill('2');
  await app.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(app.getByRole('button', { name: /^Audition variation/ })).toHaveCount(2, { timeout: 60_000 });
  expect(await expectNamed(app)).toBeGreaterThan(40);

  await app.getByRole('button', { name: 'Audition variation 1' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Variation 1');
  expect(await expectNamed(app)).toBeGreaterThan(40);

  // An imported file shown, with its track table and report.
  await app.getByTestId('file-input').setInputFiles([fixture('jigs100.mid')]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(/jigs100/);
  expect(await expectNamed(app)).toBeGreaterThan(30);

  await app.getByRole('tab', { name: /^Library & Train/ }).click();
  await expect(app.getByRole('button', { name: 'Start training' })).toBeVisible();
  expect(await expectNamed(app)).toBeGreaterThan(10);
});
