/**
 * The browser host's command line, `node dist/app/host/web.js [--port N] [--no-open]` (and what
 * `npm start` falls back to): reads the options, starts the server, prints the address with its
 * token, opens a browser where there is a desktop, and stops cleanly on Ctrl-C. Failures are one
 * line on stderr and an exit code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openInBrowser } from './open-browser.js';
import { startWebHost, type WebHost } from './server.js';

export interface CliOptions {
  port: number;
  open: boolean;
}

/** `[--port N] [--no-open]`; a string is the one-line usage error. */
export function parseCliArgs(argv: string[]): CliOptions | string {
  const options: CliOptions = { port: 0, open: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-open') options.open = false;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      const port = Number(value);
      if (value === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
        return `--port needs a port number between 0 and 65535, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`;
      }
      options.port = port;
    } else return `unknown option ${JSON.stringify(arg)} (usage: web.js [--port N] [--no-open])`;
  }
  return options;
}

export const defaultRendererDir = (): string => fileURLToPath(new URL('../../renderer', import.meta.url));

/** Where the command line writes and what it opens with; the process's own by default. */
export interface CliIo {
  print(line: string): void;
  fail(line: string, exitCode: number): void;
  open(url: string): void;
  rendererDir: string;
}

const processIo = (): CliIo => ({
  print: (line) => console.log(line),
  fail: (line, exitCode) => {
    console.error(line);
    process.exitCode = exitCode;
  },
  open: (url) => void openInBrowser(url),
  rendererDir: defaultRendererDir(),
});

/**
 * Starts the host as `argv` asks and prints its address; null when it could not start (the reason
 * went to `io.fail`: 2 for a usage error, 1 otherwise).
 */
export async function startFromCli(argv: string[], io: CliIo = processIo()): Promise<WebHost | null> {
  const options = parseCliArgs(argv);
  if (typeof options === 'string') {
    io.fail(`continuo: ${options}`, 2);
    return null;
  }
  const index = path.join(io.rendererDir, 'index.html');
  if (!fs.existsSync(index)) {
    io.fail(`continuo: the renderer is not built (${index} is missing): run "npm run build" first`, 1);
    return null;
  }
  let host: WebHost;
  try {
    host = await startWebHost({ port: options.port, rendererDir: io.rendererDir });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${options.port} is already in use`
        : error instanceof Error
          ? error.message
          : String(error);
    io.fail(`continuo: cannot start the browser host: ${reason}`, 1);
    return null;
  }
  io.print(`Continuo is running at ${host.url}`);
  if (options.open) io.open(host.url);
  return host;
}

/** The command line: start, print the address, open a browser, stop cleanly on Ctrl-C. */
export async function runWebHostCli(argv: string[]): Promise<void> {
  const host = await startFromCli(argv);
  if (!host) return;
  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
