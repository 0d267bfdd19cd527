import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs, startFromCli, type CliIo } from '../../app/host/cli.js';
import type { WebHost } from '../../app/host/server.js';
import { tempDir } from './helpers.js';

const started: WebHost[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

/** Records what the command line printed, failed with and opened, over a stand-in renderer. */
function io(rendererDir = builtRenderer()) {
  const seen = { printed: [] as string[], failed: [] as [string, number][], opened: [] as string[] };
  const cli: CliIo = {
    print: (line) => seen.printed.push(line),
    fail: (line, code) => seen.failed.push([line, code]),
    open: (url) => seen.opened.push(url),
    rendererDir,
  };
  return { cli, seen };
}

function builtRenderer(): string {
  const dir = tempDir('continuo-renderer-');
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Continuo</title>');
  return dir;
}

async function start(argv: string[], cli: CliIo) {
  const host = await startFromCli(argv, cli);
  if (host) started.push(host);
  return host;
}

describe('browser host CLI arguments', () => {
  it('reads --port and --no-open', () => {
    expect(parseCliArgs([])).toEqual({ port: 0, open: true });
    expect(parseCliArgs(['--port', '8123', '--no-open'])).toEqual({ port: 8123, open: false });
    expect(parseCliArgs(['--port=9000'])).toEqual({ port: 9000, open: true });
  });

  it('explains a bad port or an unknown option in one line', () => {
    expect(parseCliArgs(['--port', 'abc'])).toBe('--port needs a port number between 0 and 65535, got "abc"');
    expect(parseCliArgs(['--port'])).toBe('--port needs a port number between 0 and 65535, got nothing');
    expect(parseCliArgs(['--public'])).toBe(
      'unknown option "--public" (usage: web.js [--port N] [--no-open])',
    );
  });
});

describe('starting the browser host from the command line', () => {
  it('prints the address with its token and opens it in a browser', async () => {
    const { cli, seen } = io();
    const host = await start([], cli);
    expect(seen.printed).toEqual([`Continuo is running at ${host!.url}`]);
    expect(host!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(seen.opened).toEqual([host!.url]);
    expect(seen.failed).toEqual([]);
  });

  it('opens no browser with --no-open', async () => {
    const { cli, seen } = io();
    await start(['--no-open'], cli);
    expect(seen.printed).toHaveLength(1);
    expect(seen.opened).toEqual([]);
  });

  it('fails with exit code 2 on a usage error, starting nothing', async () => {
    const { cli, seen } = io();
    expect(await start(['--public'], cli)).toBeNull();
    expect(seen.failed).toEqual([
      ['continuo: unknown option "--public" (usage: web.js [--port N] [--no-open])', 2],
    ]);
    expect(seen.printed).toEqual([]);
  });

  it('says to build first when the renderer is missing', async () => {
    const { cli, seen } = io(tempDir('continuo-no-renderer-'));
    expect(await start(['--no-open'], cli)).toBeNull();
    expect(seen.failed).toHaveLength(1);
    expect(seen.failed[0][0]).toMatch(
      /^continuo: the renderer is not built \(.*index\.html is missing\): run "npm run build" first$/,
    );
    expect(seen.failed[0][1]).toBe(1);
  });

  it('says in one line when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const { cli, seen } = io();
      expect(await start(['--port', String(port), '--no-open'], cli)).toBeNull();
      expect(seen.failed).toEqual([
        [`continuo: cannot start the browser host: port ${port} is already in use`, 1],
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
