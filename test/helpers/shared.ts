/**
 * Where the team's shared material lives (`../shared` beside the clone). A user's clone has none:
 * tests that need it are declared with `describe.skipIf(!hasShared)` and a name that ends in
 * SKIP_NOTE, so the run says plainly what was skipped and why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = process.env.CONTINUO_SHARED ?? path.resolve(repoRoot, '../shared');
export const corpusDir = path.join(sharedDir, 'corpus/nottingham');
export const awkwardDir = path.join(sharedDir, 'midi-awkward');
export const hasShared = fs.existsSync(corpusDir) && fs.existsSync(awkwardDir);
export const SKIP_NOTE = hasShared ? '' : ' [SKIPPED: ../shared is not beside this clone]';
export const fixturesDir = path.join(repoRoot, 'test/fixtures');

if (!hasShared) {
  console.warn(`corpus-wide tests skipped: ${sharedDir} not found (they run where ../shared is present)`);
}
