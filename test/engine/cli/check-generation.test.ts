import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerationReport } from '../../../engine/cli/check-generation.js';
import { tinyCorpusDir } from '../train/tiny-corpus.js';
import { runCli, tinyModelPerFile } from '../train/cli-runner.js';

const tiny = tinyModelPerFile(6);

describe('continuo check-generation', () => {
  it('continues the validation tunes and reports the real bars, each setting, the LSTM alone and bits/note', () => {
    const r = runCli([
      'check-generation',
      '--model',
      tiny.model,
      '--variations',
      '2',
      '--json',
      tinyCorpusDir,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as GenerationReport;
    expect(report.tunes).toBe(2); // ashover37 and jigs100 are the tiny corpus's validation tunes
    expect(report.rows.map((row) => row.label)).toEqual([
      'the tunes themselves (bars 9–16)',
      'temperature 1',
      'temperature 0.8, top-p 0.95',
      'app defaults',
      'app defaults, novelty 0',
      'app defaults, novelty 0.25',
      'app defaults, novelty 0.5 (default)',
      'app defaults, novelty 0.75',
      'app defaults, novelty 1',
      'LSTM alone, temperature 1',
      'LSTM alone, temperature 0.8, top-p 0.95',
    ]);
    const [real, ...generated] = report.rows;
    for (const row of generated) expect(row.summary.continuations).toBe(2 * real.summary.continuations);
    // the novelty sweep: the memories alone restate the seed at least as often as the LSTM alone
    const restated = (label: string) => report.rows.find((row) => row.label === label)!.summary.restated;
    expect(restated('app defaults, novelty 0')).toBeGreaterThanOrEqual(restated('app defaults, novelty 1'));
    expect(report.bitsPerNote).toBeGreaterThan(0);
    expect(report.range.min).toBeLessThan(report.range.max);
  });

  it('prints one table line per row', () => {
    const r = runCli(['check-generation', '--model', tiny.model, '--variations', '1', tinyCorpusDir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}temperature 1 +\d+ of \d+ +loops; +\d+ stray notes/m);
    expect(r.stdout).toMatch(/bits\/note of the model on these tunes: \d\.\d{3} over \d+ notes/);
  });

  it('says in one line when the model cannot be read', () => {
    const r = runCli(['check-generation', '--model', path.join(tiny.dir, 'missing.continuo'), tinyCorpusDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^continuo check-generation: .*missing\.continuo/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
