#!/usr/bin/env node
// `npm run bench` (after the build): first the browser figures of issue 9 (scripts/bench-browser.mjs:
// 8 variations × 8 bars in the window, and its frame rate meanwhile; issue 10's frame rate while a
// training run goes on in the host), then the engine's own
// measurements (`continuo bench`, with the arguments given). The browser part never stops the rest:
// where Chromium cannot start, or the measurement fails, it says so in one line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatBrowser, measureInBrowser } from './bench-browser.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');

let browser;
try {
  browser = await measureInBrowser();
} catch (error) {
  browser = { unavailable: `the measurement failed: ${String(error?.message ?? error).split('\n')[0]}` };
}
if (json) console.log(JSON.stringify({ browser }));
else for (const line of formatBrowser(browser)) console.log(line);

const cli = fileURLToPath(new URL('../dist/engine/cli/main.js', import.meta.url));
const child = spawn(process.execPath, [cli, 'bench', ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
