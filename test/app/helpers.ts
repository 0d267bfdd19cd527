/**
 * Shared by the app tests: the compiled worker (tests run a real worker thread, which needs the
 * built JavaScript: `npm test` builds first), fixtures, and throwaway user-data folders.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, repoRoot } from '../helpers/shared.js';
import type { FileUpload } from '../../app/contract/api.js';

export const workerPath = path.join(repoRoot, 'dist/app/worker/index.js');

/** Fails the calling suite with a message saying what to do, instead of a worker crash later. */
export function requireBuiltWorker(): string {
  if (!fs.existsSync(workerPath)) {
    throw new Error(
      `${path.relative(repoRoot, workerPath)} is missing: run "npm run build" first (npm test does it)`,
    );
  }
  return workerPath;
}

export function fixture(name: string): FileUpload {
  return { name: path.basename(name), bytes: new Uint8Array(fs.readFileSync(path.join(fixturesDir, name))) };
}

export function tempDir(prefix = 'continuo-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A one-line, user-facing message: no newline, no stack frame. */
export function expectOneLine(message: string): void {
  if (message.includes('\n') || /\n\s+at |\bat .+:\d+:\d+\)/.test(message) || message.trim() === '') {
    throw new Error(`expected a one-line message, got ${JSON.stringify(message)}`);
  }
}
