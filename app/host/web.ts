/**
 * The browser host's executable: `node dist/app/host/web.js [--port N] [--no-open]` runs the
 * command line (cli.ts); importing this file runs nothing.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runWebHostCli } from './cli.js';

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (invokedDirectly) void runWebHostCli(process.argv.slice(2));
