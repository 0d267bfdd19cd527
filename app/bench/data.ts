/**
 * The files the training benches learn from (app/bench/training.ts, scripts/bench-browser.mjs):
 * the first 30 jigs of ../shared's Nottingham corpus when it is beside the clone, else the MIDI
 * test fixtures; `source` says which, for the report.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Data {
  files: string[];
  source: string;
}

export function benchData(repoRoot: string): Data {
  const corpus = path.resolve(repoRoot, '../shared/corpus/nottingham');
  if (fs.existsSync(corpus)) {
    const jigs = fs
      .readdirSync(corpus)
      .filter((f) => /^jigs\d+\.mid$/i.test(f))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .slice(0, 30);
    return { files: jigs.map((f) => path.join(corpus, f)), source: `../shared corpus, ${jigs.length} jigs` };
  }
  const fixtures = path.join(repoRoot, 'test/fixtures');
  const files = [
    ...fs.readdirSync(fixtures).filter((f) => f.endsWith('.mid')),
    ...fs.readdirSync(path.join(fixtures, 'nottingham')).map((f) => `nottingham/${f}`),
  ].map((f) => path.join(fixtures, f));
  return { files, source: `test fixtures, ${files.length} files (../shared is not beside this clone)` };
}
