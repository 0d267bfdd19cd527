/**
 * The desktop app itself, driven by Playwright's `_electron`. Runs only where Electron's binary is
 * installed (and there is a display to open a window on); everywhere else it is skipped with the
 * reason printed, so nobody mistakes a skipped run for a passing one.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContinuoApi } from '../../app/contract/api.js';
import { findElectronBinary, probeThisMachine } from '../../app/launch/electron-binary.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lookup = findElectronBinary(probeThisMachine());
const hasElectronBinary = lookup.ok;
const hasDisplay =
  process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

const skipReason = !lookup.ok
  ? `Electron binary not installed on this machine: ${lookup.reason}`
  : !hasDisplay
    ? 'Electron binary is installed but there is no display ($DISPLAY); run under xvfb-run to include this spec'
    : null;
// The list reporter shows a skipped test as a bare dash; say why where people will read it.
if (skipReason) console.warn(`electron.spec.ts skipped: ${skipReason}`);

test.describe('Electron app', () => {
  test.skip(!hasElectronBinary, skipReason ?? '');
  test.skip(!hasDisplay, skipReason ?? '');

  test('opens one sandboxed window whose only bridge is window.continuo, reporting the electron host', async () => {
    if (!lookup.ok) throw new Error(lookup.reason);
    const app = await electron.launch({ executablePath: lookup.binary, args: [repoRoot] });
    try {
      const page = await app.firstWindow();
      await expect(page).toHaveTitle(/Continuo/);
      expect(page.url()).toBe('app://continuo/index.html');
      const seen = await page.evaluate(async () => {
        const page = window as unknown as { require?: unknown; process?: unknown; continuo: ContinuoApi };
        return {
          require: typeof page.require,
          process: typeof page.process,
          info: await page.continuo.invoke('app.info', {}),
        };
      });
      expect(seen.require).toBe('undefined');
      expect(seen.process).toBe('undefined');
      expect(seen.info.host).toBe('electron');
      expect(seen.info.nativeDialogs).toBe(true);
      const opened = await page.evaluate(() => window.open('https://example.org') === null);
      expect(opened).toBe(true);
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
