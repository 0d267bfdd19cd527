import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initParams } from '../../../engine/nn/index.js';
import { measureModelGeneration } from '../../../engine/model/generation-bench.js';
import { saveLstmModel } from '../../../engine/train/node-io.js';
import { tinyConfig } from '../train/tiny-corpus.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-genbench-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('engine/model: generation measurement for continuo bench', () => {
  it('times whole 16-bar × 8-variation calls of the real sampler with the engine model of a file (LSTM + memory)', async () => {
    const file = path.join(dir, 'm.continuo');
    const config = tinyConfig();
    await saveLstmModel(file, config, initParams(config, 3), {
      training: {},
      metrics: {},
      memory: { order: 8, method: 'arithmetic', b: 1 },
    });
    const m = measureModelGeneration(file, 3);
    expect(m.runsMs).toHaveLength(3);
    expect(m.runsMs).toContain(m.totalMs);
    expect(m.notes).toBeGreaterThanOrEqual(8); // every variation ends with a note that reaches the last bar line
    expect(m.model).toMatch(/lstm 1x12/);
  });
});
