/** Runs the built CLI (dist/, made by `npm run build`, which `npm test` runs first) as a child process. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot } from '../../helpers/shared.js';
import { tinyCorpusDir } from './tiny-corpus.js';

export const cliPath = path.join(repoRoot, 'dist/engine/cli/main.js');

export function requireBuiltCli(): void {
  if (!fs.existsSync(cliPath))
    throw new Error(`${cliPath} is missing: run \`npm run build\` first (npm test does)`);
}

export function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI and resolves when stderr matches `pattern` (or rejects when the process ends first). */
export function startCli(
  args: string[],
  pattern: RegExp,
): {
  child: ChildProcess;
  seen: Promise<string>;
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let resolveSeen: (s: string) => void = () => {};
  let rejectSeen: (e: Error) => void = () => {};
  const seen = new Promise<string>((resolve, reject) => {
    resolveSeen = resolve;
    rejectSeen = reject;
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
    if (pattern.test(stderr)) resolveSeen(stderr);
  });
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      rejectSeen(new Error(`the CLI ended before printing ${pattern}:\n${stderr}`));
      resolve({ code, signal, stderr });
    }),
  );
  return { child, seen, done };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'continuo-cli-'));
}

/** `continuo train` of a quick network from scratch on the tiny corpus for `steps` steps, then `extra`. */
export function tinyTrainArgs(out: string, steps: number, ...extra: string[]): string[] {
  return [
    'train',
    '--data',
    tinyCorpusDir,
    '--out',
    out,
    '--from',
    'scratch',
    '--preset',
    'quick',
    '--steps',
    String(steps),
    ...extra,
  ];
}

/**
 * A tiny model (quick preset, the committed tiny corpus) trained once before a test file's tests,
 * in a temporary folder removed after them. Read `dir` and `model` inside the tests.
 */
export function tinyModelPerFile(steps: number): { readonly dir: string; readonly model: string } {
  const made = { dir: '', model: '' };
  beforeAll(() => {
    requireBuiltCli();
    made.dir = tempDir();
    made.model = path.join(made.dir, 'tiny.continuo');
    const r = runCli(tinyTrainArgs(made.model, steps));
    if (r.status !== 0) throw new Error(`training the tiny model failed:\n${r.stderr}`);
  });
  afterAll(() => fs.rmSync(made.dir, { recursive: true, force: true }));
  return made;
}
