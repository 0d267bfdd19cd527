import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideLaunch, probeThisMachine, type ElectronProbe } from '../../app/launch/electron-binary.js';

const pkg = '/repo/node_modules/electron';

/** A machine described by what exists on it. */
function machine(
  overrides: Partial<ElectronProbe> & { files?: Record<string, string>; runs?: ElectronProbe['runs'] } = {},
): ElectronProbe {
  const files = overrides.files ?? {};
  return {
    packageDir: pkg,
    env: { DISPLAY: ':0' },
    platform: 'linux',
    readText: (f) => files[f] ?? null,
    exists: (f) => f in files,
    runs: () => ({ ok: true }),
    ...overrides,
  };
}

const installed = { [path.join(pkg, 'path.txt')]: 'electron', [path.join(pkg, 'dist/electron')]: '' };

describe('npm start: Electron or the browser host', () => {
  it('launches Electron when its binary exists, runs and has a display', () => {
    expect(decideLaunch(machine({ files: installed }))).toEqual({
      kind: 'electron',
      binary: path.join(pkg, 'dist/electron'),
    });
  });

  it('falls back, saying so, when the binary was never downloaded', () => {
    const decision = decideLaunch(machine());
    expect(decision).toEqual({
      kind: 'web',
      message:
        "Electron's binary is not installed (it was never downloaded: node_modules/electron/path.txt is missing), so Continuo is served through the browser host instead.",
    });
  });

  it('falls back when the electron package itself is absent', () => {
    expect(decideLaunch(machine({ packageDir: null }))).toMatchObject({
      kind: 'web',
      message: expect.stringMatching(
        /^Electron's binary is not installed \(the electron package is missing\)/,
      ),
    });
  });

  it('falls back when path.txt names a binary that is not there', () => {
    const files = { [path.join(pkg, 'path.txt')]: 'electron' };
    expect(decideLaunch(machine({ files }))).toMatchObject({
      kind: 'web',
      message: expect.stringContaining(`${path.join(pkg, 'dist/electron')} does not exist`),
    });
  });

  it('falls back when the binary exists but does not run (e.g. missing libraries)', () => {
    const decision = decideLaunch(
      machine({
        files: installed,
        runs: () => ({ ok: false, detail: 'exit status 127: libgtk-3.so.0: cannot open shared object file' }),
      }),
    );
    expect(decision).toMatchObject({
      kind: 'web',
      message: expect.stringContaining('is installed but does not run (exit status 127: libgtk-3.so.0'),
    });
  });

  it('falls back on Linux without a display', () => {
    expect(decideLaunch(machine({ files: installed, env: {} }))).toMatchObject({
      kind: 'web',
      message: expect.stringContaining('$DISPLAY is not set'),
    });
    expect(decideLaunch(machine({ files: installed, env: { WAYLAND_DISPLAY: 'wayland-0' } })).kind).toBe(
      'electron',
    );
    expect(decideLaunch(machine({ files: installed, env: {}, platform: 'darwin' })).kind).toBe('electron');
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    const files = { '/opt/electron/electron': '' };
    expect(
      decideLaunch(machine({ files, env: { DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' } })),
    ).toEqual({
      kind: 'electron',
      binary: '/opt/electron/electron',
    });
  });

  it('every fallback message is one line', () => {
    for (const probe of [machine(), machine({ packageDir: null }), machine({ files: installed, env: {} })]) {
      const decision = decideLaunch(probe);
      expect(decision.kind === 'web' && decision.message.includes('\n')).toBe(false);
    }
  });

  it('on this machine finds the electron package without downloading anything', () => {
    const probe = probeThisMachine();
    expect(probe.packageDir).toMatch(/node_modules[\\/]electron$/);
  });
});
