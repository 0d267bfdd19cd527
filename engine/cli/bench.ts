/**
 * `continuo bench [--json] [--compare-torch]` — how fast the engine trains and generates here.
 *
 * Training: tokens/s on exactly the workload of ../shared/bench/torch_lstm.py (the 'reference'
 * preset: vocab 130, embed 64, 2×LSTM 256, seq 64, batch 32, Adam) and on each training preset, plus
 * the default model's configuration. Generation: ms per token at batch 1 with the reference model,
 * and 16 bars × 8 variations. The reference workload is also run with a helper thread (threads.ts)
 * to show whether a second core helps here now. These machines are shared and noisy: quote ratios
 * measured in one run (`--compare-torch` runs the PyTorch script between two engine runs).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { firstLine } from '../errors/first-line.js';
import { measureGemm, measureGeneration, measureTraining, type TrainMeasurement } from '../nn/benchmark.js';
import {
  defaultBackend,
  disableThreads,
  enableThreads,
  kernelVariant,
  loadKernels,
  PRESET_NAMES,
  presetConfig,
  type ModelConfig,
} from '../nn/index.js';
import { DEFAULT_MODEL } from '../train/default-model.js';
import { measureModelGeneration } from '../model/generation-bench.js';
import { CONDITION_CLASSES, LSTM_VOCAB_SIZE } from '../model/encoding.js';
import { DEFAULT_CORPUS, formatReport, generationReport, type GenerationReport } from './check-generation.js';
import { UsageError, type CliIo } from './verb.js';

export const usage = `[--json] [--compare-torch] [--steps N] [--torch-script PATH]
  --json           print one JSON object instead of a table
  --compare-torch  also run the PyTorch reference (python3, one thread) and print the ratio
  --steps          timed training steps per workload after 2 warm-up steps (default 10)
  --torch-script   the PyTorch script (default ../shared/bench/torch_lstm.py beside the repository)`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// 16 bars of a folk tune in 4/4 are ~128 notes; the token encoding averages 2.01 tokens per note.
const TOKENS_PER_16_BARS = 256;
const VARIATIONS = 8;

interface TorchResult {
  trainTokensPerSec: number;
  genMsPerToken: number;
  engine: string;
  peakRssMB: number;
}

/** The interpreter named on the script's #! line when it exists (Debian's python3 has torch), else python3. */
function interpreterFor(script: string): string {
  const first = firstLine(fs.readFileSync(script, 'utf8'));
  const named = first.startsWith('#!') ? first.slice(2).trim().split(/\s+/)[0] : undefined;
  return named && !named.endsWith('/env') && fs.existsSync(named) ? named : 'python3';
}

function runTorch(script: string): Promise<TorchResult> {
  return new Promise((resolve, reject) => {
    // OPENBLAS_CORETYPE/L2_SIZE are set on some machines for old OpenBLAS builds and slow a current
    // one; the script documents running without them, so the comparison is against PyTorch at its best.
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    execFile(
      interpreterFor(script),
      [script, '--threads', '1'],
      { env, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          const why = (stderr.trim().split('\n').pop() ?? '') || error.message;
          reject(new Error(`the PyTorch reference ${script} failed: ${why}`));
          return;
        }
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line) as TorchResult);
        } catch {
          reject(
            new Error(`the PyTorch reference ${script} printed no JSON line (got "${line.slice(0, 80)}")`),
          );
        }
      },
    );
  });
}

function describe(c: ModelConfig): string {
  const extra = c.extraVocabSize > 0 ? ` + ${c.extraVocabSize}→${c.extraEmbedSize}` : '';
  return `vocab ${c.vocabSize}, embed ${c.embedSize}${extra}, ${c.layers}×${c.hiddenSize}, seq ${c.seqLen}, batch ${c.batchSize}${c.dropout ? `, dropout ${c.dropout}` : ''}`;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      'compare-torch': { type: 'boolean', default: false },
      steps: { type: 'string' },
      'torch-script': { type: 'string' },
    },
    allowPositionals: false,
  });
  const steps = values.steps === undefined ? 10 : Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1)
    throw new UsageError(`--steps needs a whole number ≥ 1, got "${values.steps}"`);
  const torchScript = path.resolve(
    values['torch-script'] ?? path.join(repoRoot, '../shared/bench/torch_lstm.py'),
  );
  if (values['compare-torch'] && !fs.existsSync(torchScript)) {
    io.stderr.write(
      `continuo bench: --compare-torch needs the PyTorch script, not found at ${torchScript} (clone the repository beside shared/ or pass --torch-script)\n`,
    );
    return 1;
  }
  const say = (text: string) => {
    if (!values.json) io.stdout.write(text + '\n');
  };

  await loadKernels();
  const backend = defaultBackend();
  const variant = kernelVariant();
  say(
    `continuo bench — backend ${backend}${variant ? ` (${variant} build)` : ''}, Node ${process.versions.node}, ${steps} timed steps per workload`,
  );
  const gemm = backend === 'wasm-simd' ? measureGemm() : [];
  if (gemm.length)
    say(
      `GEMM kernel: ${gemm.map((g) => `${g.shape} ${g.gflops} GFLOP/s`).join(', ')} (best of several, one thread)`,
    );
  const refConfig = presetConfig('reference');
  const reference = measureTraining(refConfig, steps);
  const gen = measureGeneration(refConfig, 256);
  say(
    `reference workload (${describe(refConfig)}): ${reference.trainTokensPerSec} tokens/s, ${reference.stepMs} ms/step`,
  );
  say(
    `  generation, batch 1, stateful: ${gen.msPerToken} ms/token (median of ${gen.tokens}, sampling included)`,
  );

  // A second thread helps only when a second core is free; measure it rather than assume it.
  const threadStatus = await enableThreads({ force: true, threads: 2 });
  const reference2 = threadStatus.enabled ? measureTraining(refConfig, steps) : null;
  await disableThreads();
  if (reference2) {
    say(
      `  with a helper thread (2 threads): ${reference2.trainTokensPerSec} tokens/s; split-GEMM calibration ${threadStatus.speedup}× (enableThreads() keeps helpers only at ≥ 1.1×)`,
    );
  } else {
    say(`  helper thread unavailable: ${threadStatus.reason}`);
  }

  let torch: TorchResult | null = null;
  let referenceAfter: TrainMeasurement | null = null;
  let engineTps = reference.trainTokensPerSec;
  if (values['compare-torch']) {
    torch = await runTorch(torchScript);
    // The machine is shared: measure the engine again right after PyTorch and compare PyTorch with
    // the mean of the engine runs on either side of it, so a load change hits both sides alike.
    referenceAfter = measureTraining(refConfig, steps);
    engineTps = Math.round((reference.trainTokensPerSec + referenceAfter.trainTokensPerSec) / 2);
    const ratio = engineTps / torch.trainTokensPerSec;
    say(
      `PyTorch (${torch.engine}, 1 thread, same run): ${torch.trainTokensPerSec} tokens/s, ${torch.genMsPerToken} ms/token`,
    );
    say(
      `reference workload again after PyTorch: ${referenceAfter.trainTokensPerSec} tokens/s (mean of both runs ${engineTps})`,
    );
    say(
      `  engine / PyTorch: training ${ratio.toFixed(2)}× (1 thread each)${reference2 ? `, ${(reference2.trainTokensPerSec / torch.trainTokensPerSec).toFixed(2)}× with 2 engine threads` : ''}, generation ${(torch.genMsPerToken / gen.msPerToken).toFixed(2)}× as fast`,
    );
  }

  const presets: Record<string, TrainMeasurement & { config: string }> = {};
  for (const name of PRESET_NAMES) {
    if (name === 'reference') continue;
    const c = presetConfig(name, 130);
    presets[name] = { ...measureTraining(c, Math.max(2, Math.ceil(steps / 2)), 1), config: describe(c) };
    say(`preset ${name} (${describe(c)}): ${presets[name].trainTokensPerSec} tokens/s`);
  }
  const defaultConfig: ModelConfig = {
    ...presetConfig(DEFAULT_MODEL.preset, LSTM_VOCAB_SIZE, CONDITION_CLASSES),
    ...DEFAULT_MODEL.overrides,
  };
  const defaults = measureTraining(defaultConfig, Math.max(2, Math.ceil(steps / 2)));
  say(`default model (${describe(defaultConfig)}): ${defaults.trainTokensPerSec} tokens/s`);
  // The bundled model with the real sampler when it is there; the raw stand-in only in a tree without it.
  const defaultModelFile = path.join(repoRoot, DEFAULT_MODEL.out);
  const real = fs.existsSync(defaultModelFile) ? measureModelGeneration(defaultModelFile) : null;
  const variations = real ?? measureGeneration(defaultConfig, TOKENS_PER_16_BARS, VARIATIONS);
  const generateNote = real
    ? `${DEFAULT_MODEL.out} (${real.model}), real sampler from nothing in 4/4, median of ${real.runsMs.length} runs, ${real.notes} notes`
    : `raw streaming generation of ${VARIATIONS} × ${TOKENS_PER_16_BARS} tokens (batch 1, default model config, plain softmax sampling): ${DEFAULT_MODEL.out} is missing`;
  say(`16 bars × ${VARIATIONS} variations: ${variations.totalMs} ms (${generateNote})`);
  // What users hear, not only how fast: the generation check of `continuo check-generation`.
  let generationCheck: GenerationReport | null = null;
  if (fs.existsSync(defaultModelFile) && fs.existsSync(DEFAULT_CORPUS)) {
    const t0 = performance.now();
    generationCheck = await generationReport(defaultModelFile, [DEFAULT_CORPUS]);
    for (const line of formatReport(generationCheck)) say(line);
    say(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } else {
    say(`generation check skipped: it needs ${DEFAULT_MODEL.out} and the corpus at ${DEFAULT_CORPUS}`);
  }
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  say(`peak RSS: ${peakRssMB} MB`);

  if (values.json) {
    const out = {
      backend,
      kernelBuild: variant,
      gemm,
      reference: {
        ...reference,
        config: describe(refConfig),
        genMsPerToken: gen.msPerToken,
        trainTokensPerSec2Threads: reference2?.trainTokensPerSec ?? null,
        threadCalibrationSpeedup: Number.isFinite(threadStatus.speedup) ? threadStatus.speedup : null,
        trainTokensPerSecAfterTorch: referenceAfter?.trainTokensPerSec ?? null,
      },
      default: { ...defaults, config: describe(defaultConfig) },
      presets,
      generate16BarsX8Ms: variations.totalMs,
      generate16BarsX8Note: generateNote,
      generationCheck,
      peakRssMB,
      ...(torch
        ? {
            torch: {
              engine: torch.engine,
              trainTokensPerSec: torch.trainTokensPerSec,
              genMsPerToken: torch.genMsPerToken,
              peakRssMB: torch.peakRssMB,
            },
            ratioTrainVsTorch: Number((engineTps / torch.trainTokensPerSec).toFixed(3)),
            ratioTrain2ThreadsVsTorch: reference2
              ? Number((reference2.trainTokensPerSec / torch.trainTokensPerSec).toFixed(3))
              : null,
            ratioGenerateVsTorch: Number((torch.genMsPerToken / gen.msPerToken).toFixed(3)),
          }
        : {}),
    };
    io.stdout.write(JSON.stringify(out) + '\n');
  }
  return 0;
}
