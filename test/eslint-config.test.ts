/**
 * The import boundaries eslint.config.js enforces, checked through ESLint's own Node API on snippets
 * linted as if they were files at the given paths (the files need not exist).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.js';

const eslint = new ESLint({ cwd: repoRoot });

/** The rules that fire on `code` as the file `filePath`. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

const useIt = (name: string) => `\nexport const used = ${name};\n`;

describe('eslint.config.js: Node modules in engine/', () => {
  it.each([
    "import fs from 'node:fs';",
    "import fs from 'fs';",
    "import { readFile } from 'fs/promises';",
    "import path from 'path';",
    "import os from 'os';",
    "import { Worker } from 'worker_threads';",
    "import { Worker } from 'node:worker_threads';",
  ])('refuses %s in a page-safe engine file', async (line) => {
    const name = /import (?:\{ )?(\w+)/.exec(line)![1];
    expect(await violations('engine/tokens/probe.ts', line + useIt(name))).toEqual([
      '@typescript-eslint/no-restricted-imports',
    ]);
  });

  it.each([
    'engine/midi/node.ts',
    'engine/train/node-io.ts',
    'engine/cli/probe.ts',
    'engine/nn/gemm-helper.ts',
  ])('allows them in the Node-only file %s', async (filePath) => {
    expect(await violations(filePath, "import fs from 'node:fs';" + useIt('fs'))).toEqual([]);
  });

  it('allows type-only imports and guarded dynamic imports, which do not load Node in a page', async () => {
    const code = [
      "import type * as WorkerThreads from 'node:worker_threads';",
      'export type W = typeof WorkerThreads;',
      "export const cores = async () => (await import('node:os')).availableParallelism();",
    ].join('\n');
    expect(await violations('engine/nn/probe.ts', code)).toEqual([]);
  });
});

describe('eslint.config.js: what the renderer may import from engine/', () => {
  it('allows the pure MIDI file-name list', async () => {
    const code = "import { isMidiFileName } from '../../engine/midi/file-names';" + useIt('isMidiFileName');
    expect(await violations('renderer/lib/probe.ts', code)).toEqual([]);
  });

  it('allows the pure time module', async () => {
    const code = "import { barSteps } from '../../engine/time';" + useIt('barSteps');
    expect(await violations('renderer/lib/probe.ts', code)).toEqual([]);
  });

  it('refuses the rest of the engine', async () => {
    const code = "import { importMidi } from '../../engine/midi/index';" + useIt('importMidi');
    expect(await violations('renderer/lib/probe.ts', code)).toEqual(['no-restricted-imports']);
  });
});
