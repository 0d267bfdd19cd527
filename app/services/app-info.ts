/** What `app.info` reports: version, host and the credits the About box must show. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo, Credit } from '../contract/api.js';

export const CREDITS: readonly Credit[] = [
  {
    what: 'Piano samples',
    who: 'Alexander Holm (Salamander Grand Piano)',
    license: 'CC BY 3.0',
    url: 'https://creativecommons.org/licenses/by/3.0/',
  },
  { what: 'MIDI parsing', who: '@tonejs/midi', license: 'MIT', url: 'https://github.com/Tonejs/Midi' },
  { what: 'Audio engine', who: 'Tone.js', license: 'MIT', url: 'https://tonejs.github.io/' },
  {
    what: 'Default model training data',
    who: 'Nottingham Music Database (folk tunes)',
    license: 'GPL-3.0',
    url: 'https://www.gnu.org/licenses/gpl-3.0.html',
  },
];

/**
 * The version in Continuo's package.json, found by walking up from this module: the same code runs
 * from app/ (tests), dist/app/ (built) and inside a packaged app, each at a different depth.
 */
export function readAppVersion(fromDir = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg: unknown = JSON.parse(fs.readFileSync(candidate, 'utf8'));
      if (
        pkg &&
        typeof pkg === 'object' &&
        'name' in pkg &&
        pkg.name === 'continuo' &&
        'version' in pkg &&
        typeof pkg.version === 'string'
      ) {
        return pkg.version;
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`Continuo's package.json was not found above ${fromDir}`);
  }
}

export function appInfo(host: AppInfo['host'], nativeDialogs: boolean, version = readAppVersion()): AppInfo {
  return { version, host, nativeDialogs, credits: CREDITS.map((c) => ({ ...c })) };
}

/** Where settings live when Electron's `app.getPath('userData')` is not there to ask (browser host). */
export function defaultUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.CONTINUO_USER_DATA) return env.CONTINUO_USER_DATA;
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Continuo');
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Continuo');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Continuo');
}
