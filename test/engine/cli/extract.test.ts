/**
 * `continuo` as users run it: the built `dist/engine/cli/main.js` in a real child process.
 * `npm test` builds first; running this file alone needs `npx tsc -p tsconfig.node.json` before it.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importMidi } from '../../../engine/midi/index.js';
import { SKIP_NOTE, awkwardDir, corpusDir, fixturesDir, hasShared, repoRoot } from '../../helpers/shared.js';

const cli = path.join(repoRoot, 'dist/engine/cli/main.js');
const ashover1 = path.join(fixturesDir, 'nottingham-ashover1.mid');
const empty = path.join(fixturesDir, 'midi-awkward/CORRUPT_empty_zero_bytes.mid');

function continuo(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

beforeAll(() => {
  if (!fs.existsSync(cli)) {
    throw new Error(
      `${path.relative(repoRoot, cli)} is missing: build first (npx tsc -p tsconfig.node.json, or npm test)`,
    );
  }
});

describe('continuo (dispatcher)', () => {
  it("is a node script with a shebang, as package.json's bin expects", () => {
    expect(fs.readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('without a verb: one line on stderr, the usage, exit 1', () => {
    const run = continuo();
    expect(run.status).toBe(1);
    expect(lines(run.stderr)[0]).toBe('continuo: no verb given');
    expect(run.stderr).toContain('usage: continuo VERB [ARGS...]');
  });

  it('with an unknown verb: names it, prints the usage, exit 1, no stack trace', () => {
    const run = continuo('frobnicate', 'x.mid');
    expect(run.status).toBe(1);
    expect(lines(run.stderr)[0]).toBe('continuo: unknown verb "frobnicate"');
    expect(run.stderr).toContain('  extract  ');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('--help prints the usage on stdout, exit 0', () => {
    const run = continuo('--help');
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('usage: continuo VERB [ARGS...]');
  });
});

describe('continuo extract', () => {
  it('stops quietly when its reader closes the pipe early (`| head -1`)', async () => {
    const child = spawn(process.execPath, [cli, 'extract', ...Array.from({ length: 200 }, () => ashover1)], {
      cwd: repoRoot,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  });

  it("prints one JSON line per file in the documented shape, equal to the engine's melody", () => {
    const run = continuo('extract', ashover1);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const out = lines(run.stdout);
    expect(out).toHaveLength(1);
    const record = JSON.parse(out[0]!) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(['file', 'stepsPerQuarter', 'timeSignature', 'notes', 'report']);
    const { melody, report } = importMidi(new Uint8Array(fs.readFileSync(ashover1)), ashover1);
    expect(record).toEqual({
      file: ashover1,
      stepsPerQuarter: 4,
      timeSignature: [3, 4],
      notes: melody.notes.map((n) => ({ pitch: n.pitch, start: n.start, end: n.start + n.duration })),
      report,
    });
  });

  it('reports an unreadable file as `continuo: FILE: reason` on stderr and exits 1', () => {
    const run = continuo('extract', empty);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`continuo: ${empty}: empty file (0 bytes)\n`);
  });

  it('still prints the readable files when others fail', () => {
    const run = continuo('extract', empty, ashover1, 'no-such-file.mid');
    expect(run.status).toBe(1);
    expect(lines(run.stdout).map((l) => (JSON.parse(l) as { file: string }).file)).toEqual([ashover1]);
    expect(lines(run.stderr)).toEqual([
      `continuo: no-such-file.mid: no such file or directory`,
      `continuo: ${empty}: empty file (0 bytes)`,
    ]);
  });

  it('walks a directory for MIDI files: one line per file, on stdout or stderr', () => {
    const dir = path.join(fixturesDir, 'midi-awkward');
    const files = fs.readdirSync(dir).filter((f) => /\.(midi?|kar|rmi)$/i.test(f));
    const run = continuo('extract', dir);
    expect(run.status).toBe(1);
    expect(lines(run.stdout).length + lines(run.stderr).length).toBe(files.length);
    // The five that cannot give a melody: empty, random bytes, drums only, no notes, invalid SMPTE rate.
    expect(lines(run.stdout)).toHaveLength(5);
    expect(lines(run.stderr).map((l) => l.slice(0, l.indexOf(': ', 'continuo: '.length)))).toEqual(
      [
        'CORRUPT_empty_zero_bytes.mid',
        'CORRUPT_random_bytes_4096.mid',
        'midifile_MIDIBadHeaderSMTPE.mid',
        'midly_SysExTest.mid',
        'tonejs_beat.mid',
      ].map((f) => `continuo: ${path.join(dir, f)}`),
    );
  });

  it('--track N takes the melody from track N', () => {
    const run = continuo('extract', '--track', '1', ashover1);
    expect(run.status).toBe(0);
    const record = JSON.parse(run.stdout) as { report: { trackIndex: number; droppedChordNotes: number } };
    expect(record.report.trackIndex).toBe(1);
    expect(record.report.droppedChordNotes).toBeGreaterThan(0);
  });

  it("--track N for a file without track N is that file's failure", () => {
    const run = continuo('extract', ashover1, '--track', '5');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`continuo: ${ashover1}: there is no track 5 (the file has 2: 0..1)\n`);
  });

  it("bad arguments: one line, the verb's usage, exit 1", () => {
    for (const args of [['--track', 'two', ashover1], ['--frob', ashover1], []]) {
      const run = continuo('extract', ...args);
      expect(run.status).toBe(1);
      expect(lines(run.stderr)[0]).toMatch(
        /^continuo extract: (--track needs a track number|Unknown option '--frob'|no files given)/,
      );
      expect(lines(run.stderr)[1]).toBe('usage: continuo extract FILE|DIR... [--track N]');
    }
  });
});

describe.skipIf(!hasShared)('continuo extract on the shared folders' + SKIP_NOTE, () => {
  it('prints 879 lines and exits 0', () => {
    const files = fs
      .readdirSync(corpusDir)
      .filter((f) => f.endsWith('.mid'))
      .map((f) => path.join(corpusDir, f));
    const run = continuo('extract', ...files);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(lines(run.stdout)).toHaveLength(879);
  });

  it('answers every file of ../shared/midi-awkward with a JSON line or one `continuo: FILE: reason` line', () => {
    const run = continuo('extract', awkwardDir);
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
    expect(lines(run.stderr).every((l) => l.startsWith(`continuo: ${awkwardDir}/`))).toBe(true);
    // 31 import, 8 cannot give a melody (see test/engine/midi/awkward.test.ts for which and why).
    expect([lines(run.stdout).length, lines(run.stderr).length]).toEqual([31, 8]);
  });
});
