/**
 * User settings: one JSON file in the user data directory. Writes are atomic (engine/disk/node.ts),
 * so a crash never leaves half a file; an unreadable file falls back to the
 * defaults with a one-line `problem` instead of stopping the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../engine/disk/node.js';

export interface Settings {
  /** Where the last native open dialog ended (Electron); null until the user opens something. */
  lastOpenDir: string | null;
  /** Where the last native save went (Electron). */
  lastSaveDir: string | null;
  /** Where the last document was saved or opened (Electron). */
  lastDocumentDir: string | null;
}

export const DEFAULT_SETTINGS: Settings = { lastOpenDir: null, lastSaveDir: null, lastDocumentDir: null };

export interface SettingsStore {
  readonly filePath: string;
  /** Why the stored file was ignored, or null when it was read (or did not exist yet). */
  readonly problem: string | null;
  get(): Settings;
  update(patch: Partial<Settings>): Promise<Settings>;
}

function pickSettings(value: unknown): Settings {
  const settings = { ...DEFAULT_SETTINGS };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return settings;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const v = obj[key];
    if (typeof v === 'string' || v === null) settings[key] = v;
  }
  return settings;
}

export function openSettings(userDataDir: string): SettingsStore {
  const filePath = path.join(userDataDir, 'settings.json');
  let problem: string | null = null;
  let current = { ...DEFAULT_SETTINGS };
  try {
    current = pickSettings(JSON.parse(fs.readFileSync(filePath, 'utf8')));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      problem = `${filePath}: ${error instanceof SyntaxError ? 'not valid JSON' : `cannot be read (${code ?? 'unknown error'})`}; using default settings`;
    }
  }
  // Writes are chained so two quick updates cannot rename over each other out of order.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    filePath,
    get problem() {
      return problem;
    },
    get: () => ({ ...current }),
    update(patch) {
      current = pickSettings({ ...current, ...patch });
      const snapshot = JSON.stringify(current, null, 2) + '\n';
      const write = queue.then(async () => {
        await fs.promises.mkdir(userDataDir, { recursive: true });
        await writeFileAtomic(filePath, snapshot);
      });
      queue = write.catch(() => undefined);
      return write.then(() => ({ ...current }));
    },
  };
}
