#!/usr/bin/env node
/**
 * `continuo` — the engine without a window.
 *
 * Adding a verb: write `engine/cli/VERB.ts` exporting `usage` and `run(argv, io)` (see verb.ts), and
 * add one line to `verbs` below. Modules load only when their verb runs, so a slow or heavy verb
 * costs the others nothing. Bad arguments are reported as one line plus the usage, exit status 1;
 * an unexpected failure is one line too (CONTINUO_DEBUG=1 prints the stack).
 */
import { firstLine } from '../errors/first-line.js';
import { UsageError, isParseArgsError, type CliIo, type VerbModule } from './verb.js';

const verbs: Record<string, { summary: string; load: () => Promise<VerbModule> }> = {
  extract: { summary: 'print the melody of MIDI files as JSON lines', load: () => import('./extract.js') },
  train: { summary: 'train an LSTM on MIDI files (checkpoints, --resume)', load: () => import('./train.js') },
  eval: { summary: 'bits per note of a model on MIDI files', load: () => import('./eval.js') },
  generate: {
    summary: 'continue a melody (or start one) and write MIDI',
    load: () => import('./generate.js'),
  },
  'check-generation': {
    summary:
      'continue unseen tunes and measure loops, stray pitches, metre and repeats against the real bars',
    load: () => import('./check-generation.js'),
  },
  bench: {
    summary: 'measure training and generation speed (--compare-torch: against PyTorch)',
    load: () => import('./bench.js'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(verbs).map((v) => v.length));
  const lines = Object.entries(verbs).map(([verb, { summary }]) => `  ${verb.padEnd(width)}  ${summary}`);
  return [
    'usage: continuo VERB [ARGS...]',
    '',
    'verbs:',
    ...lines,
    '',
    'continuo VERB --help shows the arguments of VERB.',
    '',
  ].join('\n');
}

async function main(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined) {
    io.stderr.write(`continuo: no verb given\n${usage()}`);
    return 1;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  const entry = Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
  if (!entry) {
    io.stderr.write(`continuo: unknown verb "${verb}"\n${usage()}`);
    return 1;
  }
  const module = await entry.load();
  const verbUsage = `usage: continuo ${verb} ${module.usage}\n`;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(verbUsage);
    return 0;
  }
  try {
    return await module.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      // parseArgs appends a paragraph on `--` to unknown-option errors; the first sentence says it all.
      io.stderr.write(`continuo ${verb}: ${firstLine(error).replace(/\. To specify .*$/, '')}\n${verbUsage}`);
      return 1;
    }
    if (process.env.CONTINUO_DEBUG)
      io.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    io.stderr.write(
      `continuo ${verb}: internal error: ${firstLine(error)} (CONTINUO_DEBUG=1 shows the stack)\n`,
    );
    return 2;
  }
}

// A reader that stops early (`continuo extract ... | head`) closes the pipe: that ends our work, it
// is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Setting exitCode instead of calling exit() lets piped output drain first.
main(process.argv.slice(2), process).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`continuo: internal error: ${firstLine(error)}\n`);
    process.exitCode = 2;
  },
);
