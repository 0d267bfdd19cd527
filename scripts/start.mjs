#!/usr/bin/env node
// `npm start` (after the build): the Electron app where Electron's binary is installed and can open a
// window; otherwise one line saying why, and the same app through the browser host (`npm run web`).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const launcherUrl = new URL('../dist/app/launch/electron-binary.js', import.meta.url);
const webHostUrl = new URL('../dist/app/host/cli.js', import.meta.url);

if (!fs.existsSync(fileURLToPath(launcherUrl)) || !fs.existsSync(fileURLToPath(webHostUrl))) {
  console.error('continuo: the app is not built (dist/app is missing): run "npm run build" first');
  process.exit(1);
}

const { decideLaunch, probeThisMachine } = await import(launcherUrl.href);
const decision = decideLaunch(probeThisMachine());

if (decision.kind === 'electron') {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(decision.binary, [repoRoot], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`continuo: Electron did not start: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  console.log(decision.message);
  const { runWebHostCli } = await import(webHostUrl.href);
  await runWebHostCli(process.argv.slice(2));
}
