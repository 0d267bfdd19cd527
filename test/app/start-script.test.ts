/**
 * `npm start` on a machine without Electron's binary (like this one when the binary is absent): one
 * line saying so, then the browser host's address line, and a working host behind it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideLaunch, probeThisMachine } from '../../app/launch/electron-binary.js';
import { repoRoot } from '../helpers/shared.js';
import { tempDir } from './helpers.js';

const decision = decideLaunch(probeThisMachine());
const built = [
  'dist/app/host/web.js',
  'dist/app/host/cli.js',
  'dist/app/launch/electron-binary.js',
  'dist/renderer/index.html',
];

describe.skipIf(decision.kind === 'electron')(
  'scripts/start.mjs falls back to the browser host' +
    (decision.kind === 'electron' ? ' [SKIPPED: Electron runs on this machine, so npm start opens it]' : ''),
  () => {
    it('prints the reason in one line, then the address, and serves the app there', async () => {
      for (const file of built) {
        if (!fs.existsSync(path.join(repoRoot, file)))
          throw new Error(`${file} is missing: run "npm run build" first (npm test does it)`);
      }
      const child = spawn(process.execPath, ['scripts/start.mjs', '--no-open'], {
        cwd: repoRoot,
        env: { ...process.env, CONTINUO_USER_DATA: tempDir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const lines = await new Promise<string[]>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk) => {
            out += String(chunk);
            const got = out.split('\n').filter(Boolean);
            if (got.length >= 2) resolve(got);
          });
          child.once('exit', (code) => reject(new Error(`start.mjs exited early (${code}): ${out}`)));
        });
        expect(lines[0]).toBe(decision.kind === 'web' ? decision.message : '');
        expect(lines[0]).toMatch(/^Electron.*, so Continuo is served through the browser host instead\.$/);
        const match = /^Continuo is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})$/.exec(
          lines[1],
        );
        expect(match, lines[1]).not.toBeNull();
        const page = await fetch(match![1]);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<');
      } finally {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    });
  },
);
