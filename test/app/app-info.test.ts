import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultUserDataDir, readAppVersion } from '../../app/services/app-info.js';
import { repoRoot } from '../helpers/shared.js';
import { tempDir } from './helpers.js';

describe('user data folder for the browser host', () => {
  it('is CONTINUO_USER_DATA when set', () => {
    expect(defaultUserDataDir({ CONTINUO_USER_DATA: '/data/continuo' }, 'linux')).toBe('/data/continuo');
  });

  it("follows each platform's convention, as Electron's userData does", () => {
    expect(defaultUserDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe(path.join('/cfg', 'Continuo'));
    expect(defaultUserDataDir({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe(
      path.join('C:\\Users\\me\\AppData\\Roaming', 'Continuo'),
    );
    expect(defaultUserDataDir({}, 'darwin')).toMatch(/Library[\\/]Application Support[\\/]Continuo$/);
  });
});

describe('app version', () => {
  it("is Continuo's package.json version, found from any depth below it", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(readAppVersion(path.join(repoRoot, 'dist/app/services'))).toBe(version);
    expect(readAppVersion(path.join(repoRoot, 'app/services'))).toBe(version);
  });

  it('says so when no Continuo package.json is above', () => {
    const dir = tempDir();
    expect(() => readAppVersion(dir)).toThrow(`Continuo's package.json was not found above ${dir}`);
  });
});
