/**
 * Can this machine run Continuo's Electron app? `npm start` asks before launching, and falls back to
 * the browser host when the answer is no. We never `require('electron')` to find out: where the
 * binary is missing, that starts a download (impossible on our build machines) and then throws.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { firstLine } from '../../engine/errors/first-line.js';

/** What the decision needs to know about the machine; injected so tests can describe any machine. */
export interface ElectronProbe {
  /** node_modules/electron, or null when the package is not installed (production install). */
  packageDir: string | null;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  readText(file: string): string | null;
  exists(file: string): boolean;
  /** Runs the binary as plain Node (`ELECTRON_RUN_AS_NODE`), which proves it loads without a window. */
  runs(binary: string): { ok: true } | { ok: false; detail: string };
}

export type BinaryLookup = { ok: true; binary: string } | { ok: false; reason: string };
export type LaunchDecision = { kind: 'electron'; binary: string } | { kind: 'web'; message: string };

/** The Electron executable, found the way the electron package finds it, minus the download. */
export function findElectronBinary(probe: ElectronProbe): BinaryLookup {
  const { packageDir, env } = probe;
  if (packageDir === null)
    return { ok: false, reason: "Electron's binary is not installed (the electron package is missing)" };
  const relative = probe.readText(path.join(packageDir, 'path.txt'))?.trim() || null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  let binary: string;
  if (override) binary = path.join(override, relative ?? 'electron');
  else if (relative === null) {
    return {
      ok: false,
      reason:
        "Electron's binary is not installed (it was never downloaded: node_modules/electron/path.txt is missing)",
    };
  } else binary = path.join(packageDir, 'dist', relative);
  if (!probe.exists(binary))
    return { ok: false, reason: `Electron's binary is not installed (${binary} does not exist)` };
  const run = probe.runs(binary);
  if (!run.ok)
    return { ok: false, reason: `Electron's binary is installed but does not run (${run.detail})` };
  return { ok: true, binary };
}

const servedInstead = (why: string) => `${why}, so Continuo is served through the browser host instead.`;

export function decideLaunch(probe: ElectronProbe): LaunchDecision {
  const found = findElectronBinary(probe);
  if (!found.ok) return { kind: 'web', message: servedInstead(found.reason) };
  if (probe.platform === 'linux' && !probe.env.DISPLAY && !probe.env.WAYLAND_DISPLAY) {
    return {
      kind: 'web',
      message: servedInstead(
        'Electron is installed but there is no desktop to open a window on ($DISPLAY is not set)',
      ),
    };
  }
  return { kind: 'electron', binary: found.binary };
}

export function probeThisMachine(env: NodeJS.ProcessEnv = process.env): ElectronProbe {
  let packageDir: string | null;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    packageDir = null;
  }
  return {
    packageDir,
    env,
    platform: process.platform,
    readText(file) {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    },
    exists: (file) => fs.existsSync(file),
    runs(binary) {
      const result = spawnSync(binary, ['--version'], {
        env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      if (result.error) return { ok: false, detail: firstLine(result.error) };
      if (result.status !== 0) {
        const stderr = firstLine((result.stderr ?? '').trim());
        return {
          ok: false,
          detail: `exit status ${result.status ?? result.signal}${stderr ? `: ${stderr}` : ''}`,
        };
      }
      return { ok: true };
    },
  };
}
