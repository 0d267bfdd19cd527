#!/usr/bin/env node
// `npm run study -- NAME [ARGS...]`: compiles studies/ with the engine it measures into a temporary
// folder (Node 20 cannot run TypeScript itself) and runs studies/NAME.ts there with ARGS, from the
// repository root, so relative paths such as ../shared/corpus/nottingham mean what they say. The
// folder is under node_modules/.cache so the compiled engine finds its packages.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const studiesDir = path.join(repoRoot, 'studies');
const studies = fs
  .readdirSync(studiesDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length));
const [name, ...args] = process.argv.slice(2);
if (!name || !studies.includes(name)) {
  console.error(`usage: npm run study -- NAME [ARGS...]   (NAME: ${studies.join(', ')})`);
  process.exit(1);
}

const cache = path.join(repoRoot, 'node_modules', '.cache');
fs.mkdirSync(cache, { recursive: true });
const out = fs.mkdtempSync(path.join(cache, 'continuo-study-'));
try {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const project = path.join(studiesDir, 'tsconfig.json');
  const compiled = spawnSync(process.execPath, [tsc, '-p', project, '--outDir', out], { stdio: 'inherit' });
  if (compiled.status !== 0) {
    process.exitCode = compiled.status ?? 1;
  } else {
    // The emitted files are ES modules, like the sources.
    fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
    const run = spawnSync(process.execPath, [path.join(out, 'studies', `${name}.js`), ...args], {
      stdio: 'inherit',
      cwd: repoRoot,
    });
    process.exitCode = run.status ?? 1;
  }
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
