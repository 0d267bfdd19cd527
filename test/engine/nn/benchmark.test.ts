import { describe, expect, it } from 'vitest';
import {
  measureGemm,
  measureGeneration,
  measureTraining,
  syntheticBatch,
} from '../../../engine/nn/benchmark.js';
import { mulberry32, presetConfig } from '../../../engine/nn/index.js';
import { run } from '../../../engine/cli/bench.js';

describe('benchmark workload', () => {
  it('synthetic batches follow torch_lstm.py: pitches 36..96 moving by small steps, rests (128) only on every 8th step', () => {
    const c = presetConfig('reference');
    const batch = syntheticBatch(c, mulberry32(1234));
    expect([batch.tokens.length, batch.targets.length]).toEqual([32 * 64, 32 * 64]);
    for (let b = 0; b < 32; b++) {
      for (let t = 0; t < 64; t++) {
        const x = batch.tokens[b * 64 + t]!;
        if (x === 128) expect(t % 8).toBe(0);
        else expect(x >= 36 && x <= 96).toBe(true);
        if (t < 63) expect(batch.targets[b * 64 + t]).toBe(batch.tokens[b * 64 + t + 1]);
      }
    }
  });

  it('training on the synthetic melodies lowers the loss and reports a throughput', () => {
    const m = measureTraining(
      { ...presetConfig('quick'), batchSize: 8, seqLen: 16, learningRate: 1e-2 },
      20,
      1,
    );
    expect(m.backend).toBe('wasm-simd');
    expect(m.trainTokensPerSec).toBeGreaterThan(0);
    expect(m.lossLast).toBeLessThan(m.lossFirst - 0.5);
  });

  it('generation reports one time per streamed token', () => {
    const m = measureGeneration(presetConfig('quick'), 10, 3);
    expect(m.tokens).toBe(30);
    expect(m.msPerToken).toBeGreaterThan(0);
    expect(m.totalMs).toBeGreaterThanOrEqual(m.msPerToken);
  });
});

describe('GEMM measurement', () => {
  it('times the recurrent-step and input-projection shapes', () => {
    const m = measureGemm();
    expect(m.map((g) => g.shape)).toEqual(['32×1024×256', '2048×1024×256']);
    for (const g of m) expect(g.gflops).toBeGreaterThan(0);
  });
});

describe('continuo bench', () => {
  it('says in one line where it looked when the PyTorch script is missing', async () => {
    let out = '',
      err = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
    const code = await run(['--compare-torch', '--torch-script', '/nonexistent/torch_lstm.py'], io);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      'continuo bench: --compare-torch needs the PyTorch script, not found at /nonexistent/torch_lstm.py (clone the repository beside shared/ or pass --torch-script)\n',
    );
  });
});
