import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../app/services/exporter.js';
import { DEFAULT_SETTINGS, openSettings } from '../../app/services/settings.js';
import { tempDir } from './helpers.js';

describe('safe export file names', () => {
  it.each([
    ['Ashover 1', 'Ashover 1.mid'],
    ['../../etc/passwd', 'etc-passwd.mid'],
    ['C:\\Windows\\x', 'C-Windows-x.mid'],
    ['a<b>c:"d"|e?f*', 'a-b-c-d-e-f-.mid'],
    ['tune\u0000\u0007name', 'tune-name.mid'],
    ['...hidden', 'hidden.mid'],
    ['CON', 'CON-melody.mid'],
    ['reel.mid', 'reel.mid'],
    ['   ', 'melody.mid'],
    ['', 'melody.mid'],
  ])('%j becomes %j', (name, expected) => {
    expect(safeFileName(name, '.mid')).toBe(expected);
  });

  it('keeps at most 100 characters before the extension', () => {
    expect(safeFileName('x'.repeat(300), '.wav')).toBe(`${'x'.repeat(100)}.wav`);
  });
});

describe('settings file', () => {
  it('starts from the defaults when there is no file yet', () => {
    const store = openSettings(tempDir());
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.problem).toBeNull();
  });

  it('persists an update for the next start, leaving no temporary files', async () => {
    const dir = path.join(tempDir(), 'not-yet-created');
    await openSettings(dir).update({ lastSaveDir: '/home/me/tunes' });
    expect(openSettings(dir).get()).toEqual({ ...DEFAULT_SETTINGS, lastSaveDir: '/home/me/tunes' });
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it('applies quick successive updates in order', async () => {
    const dir = tempDir();
    const store = openSettings(dir);
    await Promise.all([
      store.update({ lastOpenDir: '/a' }),
      store.update({ lastOpenDir: '/b' }),
      store.update({ lastSaveDir: '/c' }),
    ]);
    expect(openSettings(dir).get()).toEqual({ lastOpenDir: '/b', lastSaveDir: '/c', lastDocumentDir: null });
  });

  it('falls back to the defaults with a one-line problem when the file is not JSON', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"lastOpenDir": ');
    const store = openSettings(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.problem).toBe(`${path.join(dir, 'settings.json')}: not valid JSON; using default settings`);
  });

  it('ignores fields of the wrong type or unknown fields', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'settings.json'),
      JSON.stringify({ lastOpenDir: 42, lastSaveDir: '/x', evil: true }),
    );
    expect(openSettings(dir).get()).toEqual({ lastOpenDir: null, lastSaveDir: '/x', lastDocumentDir: null });
  });
});
