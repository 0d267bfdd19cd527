/**
 * `npm run bench`, the app's part (after the engine's `continuo bench`): training inside the app at
 * full speed, as the Train panel starts it (the services, a training worker thread, progress
 * forwarded as the browser host does), measured for what issue 10 asks:
 *
 *  - main's event-loop delay while the run trains (perf_hooks monitorEventLoopDelay, p99 and max;
 *    the goal is a p99 under 50 ms: a training step never stalls the window's process);
 *  - training tokens/s in the app next to `continuo train` on the same files with the same preset
 *    and step budget, on one thread as the app's training worker (goal: within 10 %). Both rates are
 *    the trainer's own (over its recent steps), taken over the same steps: from the 21st to the
 *    last step every run reached (the app reports each step, the CLI prints a line now and then);
 *    the median of each is compared. The app's run has no time budget, as `--steps` on the CLI. The runs alternate, CLI, app, CLI,
 *    and the app's rate is set against the mean of the two CLI runs around it, so a change of the
 *    machine's load during the bench shows in both sides (each run's rate is printed too). The delay
 *    histogram samples every 10 ms and, as Node's does, counts that interval in: an idle loop reads
 *    about 10 ms.
 *
 * Data: 30 files of one style from ../shared's corpus when it is beside the clone, else the test
 * fixtures (said in the report).
 *
 *   node dist/app/bench/training.js [--json] [--steps N]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TrainProgress } from '../contract/api.js';
import { encodeWire } from '../contract/wire-codec.js';
import { createServices } from '../services/index.js';
import { benchData, type Data } from './data.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PRESET = 'quick';

const median = (values: number[]): number => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
};

interface AppMeasurement {
  steps: number;
  /** The trainer's tokens/s at each step. */
  rates: { step: number; value: number }[];
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  loopDelayMeanMs: number;
  progressEvents: number;
  trainingSeconds: number;
}

async function inApp(data: Data, steps: number): Promise<AppMeasurement> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-bench-'));
  const services = createServices({ host: 'web', userDataDir, modelsDir: path.join(repoRoot, 'models') });
  try {
    const ids: string[] = [];
    const imported = new Promise<void>((resolve, reject) => {
      services.on('job.progress', (e) => {
        if (e.kind === 'library.import') for (const o of e.progress.outcomes) if (o.ok) ids.push(o.file.id);
      });
      services.on('job.done', (e) => e.kind === 'library.import' && resolve());
      services.on('job.failed', (e) => reject(new Error(e.message)));
    });
    const files = data.files.map((f) => ({
      name: path.basename(f),
      bytes: new Uint8Array(fs.readFileSync(f)),
    }));
    await services.invoke('library.importFiles', { files });
    await imported;

    const delay = monitorEventLoopDelay({ resolution: 10 });
    const rates: { step: number; value: number }[] = [];
    let events = 0;
    let trainingStarted = 0;
    let trainingEnded = 0;
    let lastStep = 0;
    const ended = new Promise<void>((resolve, reject) => {
      services.on('job.progress', (e) => {
        if (e.kind !== 'trainer.train') return;
        // What the browser host does with every event: encode it for the socket.
        JSON.stringify(encodeWire({ type: 'event', event: 'job.progress', payload: e }));
        events++;
        const p: TrainProgress = e.progress;
        if (p.train.length > 0 && trainingStarted === 0) {
          trainingStarted = performance.now();
          delay.enable();
        }
        if (p.phase === 'finishing' && trainingEnded === 0) {
          trainingEnded = performance.now();
          delay.disable();
        }
        rates.push(...p.tokensPerSecCurve);
        lastStep = Math.max(lastStep, p.step);
      });
      services.on('job.done', (e) => e.kind === 'trainer.train' && resolve());
      services.on('job.failed', (e) => reject(new Error(e.message)));
    });
    await services.invoke('trainer.start', {
      fileIds: ids,
      from: 'default',
      preset: PRESET,
      // As `continuo train --steps`: the step budget alone, no time budget.
      advanced: { steps, seconds: null, patience: 0 },
    });
    await ended;
    if (trainingEnded === 0) {
      trainingEnded = performance.now();
      delay.disable();
    }
    return {
      steps: lastStep,
      rates,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      loopDelayMaxMs: delay.max / 1e6,
      loopDelayMeanMs: delay.mean / 1e6,
      progressEvents: events,
      trainingSeconds: (trainingEnded - trainingStarted) / 1000,
    };
  } finally {
    await services.dispose();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** `continuo train` on the same files, preset and step budget: the tok/s its step lines report. */
async function cli(data: Data, steps: number): Promise<{ step: number; value: number }[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-bench-cli-'));
  try {
    const args = [
      path.join(repoRoot, 'dist/engine/cli/main.js'),
      'train',
      '--data',
      ...data.files,
      '--out',
      path.join(dir, 'cli.continuo'),
      '--preset',
      PRESET,
      '--steps',
      String(steps),
      '--patience',
      '0',
      // The app's training worker runs the products on its own thread; so does this.
      '--threads',
      '1',
    ];
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let text = '';
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`continuo train exited ${code}: ${text.slice(-400)}`)),
      );
    });
    return [...stderr.matchAll(/^step (\d+)\/\d+ .* (\d+) tok\/s/gm)].map((m) => ({
      step: Number(m[1]),
      value: Number(m[2]),
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, steps: { type: 'string', default: '400' } },
  });
  const steps = Number(values.steps);
  if (!(Number.isInteger(steps) && steps > 20))
    throw new Error(`--steps must be a whole number above 20, got ${values.steps}`);
  const data = benchData(repoRoot);
  // CLI, app, CLI: the app's run between two of the CLI's, compared at the same steps.
  const before = await cli(data, steps);
  const app = await inApp(data, steps);
  const after = await cli(data, steps);
  // The same window of steps for all three: after the first 20, up to the last step all reached
  // (the CLI prints a line now and then, the app reports every step; both rates are the trainer's).
  const last = Math.min(...[before, app.rates, after].map((r) => Math.max(0, ...r.map((p) => p.step))));
  const span = { from: 21, to: last };
  if (span.to < span.from)
    throw new Error(
      `no run reported a rate after step 20 (the CLI prints a line every few seconds): give more --steps than ${steps}`,
    );
  const at = (rates: { step: number; value: number }[]) =>
    median(rates.filter((r) => r.step >= span.from && r.step <= span.to).map((r) => r.value));
  const appRate = at(app.rates);
  const cliRates = [at(before), at(after)];
  const cliRate = (cliRates[0] + cliRates[1]) / 2;
  const ratio = appRate / cliRate;
  const { rates: _rates, ...appFigures } = app;
  const report = {
    data: data.source,
    preset: PRESET,
    stepBudget: steps,
    comparedSteps: span,
    app: { ...appFigures, tokensPerSec: appRate },
    cli: { tokensPerSec: cliRate, runs: cliRates },
    appOverCli: ratio,
  };
  if (values.json) {
    console.log(JSON.stringify(report));
    return;
  }
  const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  console.log(
    `\nTraining in the app (${PRESET} preset from the default model, ${data.source}; ${app.steps} steps in ${f(app.trainingSeconds)} s)`,
  );
  console.log(
    `  main's event-loop delay while training: p99 ${f(app.loopDelayP99Ms)} ms, max ${f(app.loopDelayMaxMs)} ms, mean ${f(app.loopDelayMeanMs)} ms (goal: p99 < 50 ms)`,
  );
  console.log(
    `  progress events forwarded: ${app.progressEvents} (${f(app.progressEvents / app.trainingSeconds)} a second; at most 10)`,
  );
  console.log(
    `  training tokens/s over steps ${span.from}–${span.to} (runs: CLI, app, CLI): app ${Math.round(appRate)}, continuo train ${Math.round(cliRate)} (mean of ${cliRates.map((r) => Math.round(r)).join(' and ')}): app/CLI ${f(ratio, 3)} (goal: within 10 %, 0.900–1.100)`,
  );
}

main().catch((error: unknown) => {
  console.error(
    `continuo bench (training in the app): ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
