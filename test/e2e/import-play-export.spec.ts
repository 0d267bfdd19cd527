/**
 * The first real flow through every room, in Debian's Chromium against the real browser host:
 * import (picker and drag and drop) → see → play → export MIDI and WAV.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { engineMidi, expect, fixture, libraryEntries, test } from './support/app-fixture.js';
import { peakBetween, readWav } from './support/wav-reader.js';

const PICKED = 'jigs100.mid';
const DROPPED = 'ashover6.mid';

async function pick(page: Page, files: string[]) {
  await page.getByTestId('file-input').setInputFiles(files);
}

/** Drops files on the window the way a browser does: dragenter, dragover, then drop with a DataTransfer. */
async function drop(page: Page, name: string, bytes: Uint8Array) {
  await page.evaluate(
    ({ name, bytes }) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], name, { type: 'audio/midi' }));
      const zone = document.querySelector('[aria-label="Drop MIDI files or folders here"]');
      if (!zone) throw new Error('no drop zone');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { name, bytes: Array.from(bytes) },
  );
}

async function melodyOf(fileName: string) {
  const { importMidi } = await engineMidi();
  return importMidi(new Uint8Array(readFileSync(fixture(fileName))), fileName).melody;
}

test('a file chosen with the file picker shows its melody in the piano roll', async ({ app }) => {
  const expected = await melodyOf(PICKED);
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  const roll = app.getByRole('figure', { name: /^Piano roll:/ });
  await expect(roll).toHaveAttribute(
    'aria-label',
    new RegExp(`^Piano roll: ${expected.notes.length} notes from `),
  );
  // The canvas draws the notes in view: some, and never more than the melody has.
  const drawn = Number(await app.locator('.roll canvas').getAttribute('data-drawn-notes'));
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThanOrEqual(expected.notes.length);
  const [entry] = await libraryEntries(app);
  expect(entry.notes).toEqual(expected.notes);
});

test('the piano roll zooms with its buttons and Ctrl+wheel, and scrolls sideways', async ({ app }) => {
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  const canvas = app.locator('.roll canvas');
  const drawn = async () => Number(await canvas.getAttribute('data-drawn-notes'));
  const atStart = await drawn();

  await app.getByRole('button', { name: 'Zoom out' }).click();
  await expect.poll(drawn).toBeGreaterThan(atStart);
  const zoomedOut = await drawn();

  const box = (await app.locator('.roll').boundingBox())!;
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await app.keyboard.down('Control');
  await app.mouse.wheel(0, -100);
  await app.mouse.wheel(0, -100);
  await app.keyboard.up('Control');
  await expect.poll(drawn).toBeLessThan(zoomedOut);

  const scroller = app.locator('.roll .scroller');
  await app.mouse.wheel(400, 0);
  await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
});

test('pointing at a note names it, where it starts and how long it is', async ({ app }) => {
  const [first] = (await melodyOf(PICKED)).notes;
  expect(first).toMatchObject({ pitch: 71, start: 8, duration: 2 }); // B4 on the second beat of 6/8, an 8th
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  const scrollTop = await app.locator('.roll .scroller').evaluate((el) => el.scrollTop);
  // Keyboard 52 px, ruler 22 px, 12 px a step, 11 px a row from C8 (108) down.
  await app
    .locator('.roll')
    .hover({ position: { x: 52 + 8 * 12 + 6, y: 22 + (108 - 71) * 11 + 5 - scrollTop } });
  await expect(app.getByTestId('roll-hover')).toHaveText('B4 · 1.2 · 8th · velocity 90');
});

test('a file dropped onto the window is imported and selected', async ({ app }) => {
  const expected = await melodyOf(DROPPED);
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  await drop(app, DROPPED, new Uint8Array(readFileSync(fixture(DROPPED))));
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(DROPPED);
  await expect(app.getByRole('figure', { name: /^Piano roll:/ })).toHaveAttribute(
    'aria-label',
    new RegExp(`^Piano roll: ${expected.notes.length} notes`),
  );
  expect((await libraryEntries(app)).map((e) => e.fileName)).toEqual([PICKED, DROPPED]);
});

test('Play runs the transport and moves the playhead; Stop returns to the start', async ({ app }) => {
  await pick(app, [fixture(PICKED)]);
  const play = app.getByRole('button', { name: /^Play|Loading piano/ });
  await play.click();
  const button = app.getByRole('group', { name: 'Transport' }).getByRole('button').first();
  await expect(button).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
  const position = app.getByTestId('position');
  await expect.poll(async () => position.textContent(), { timeout: 15_000 }).not.toBe('1.1');
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await expect(position).toHaveText('1.1');
});

test('a click on the ruler plays from that beat', async ({ app }) => {
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  // jigs100 is in 6/8: 12 steps a bar at the default 12 px a step, after the 52 px keyboard.
  await app.locator('.roll').click({ position: { x: 52 + 2 * 12 * 12 + 4, y: 10 } });
  const button = app.getByRole('group', { name: 'Transport' }).getByRole('button').first();
  await expect(button).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
  await expect.poll(() => app.getByTestId('position').textContent()).toMatch(/^3\.[12]$/);
});

/** Starts playback near the end of the melody, through the app state (the ruler would need scrolling). */
async function playLastBar(app: Page, bpm: number, loop: boolean) {
  const melody = await melodyOf(PICKED);
  const last = melody.notes.at(-1)!;
  const barSteps = 12; // 6/8
  const bars = Math.ceil((last.start + last.duration) / barSteps);
  await app.getByRole('spinbutton', { name: 'Tempo in beats per minute' }).fill(String(bpm));
  await app.getByRole('spinbutton', { name: 'Tempo in beats per minute' }).press('Enter');
  if (loop) await app.getByRole('checkbox', { name: 'Loop' }).check();
  await app.evaluate(
    (from) =>
      (
        window as unknown as { __continuo: { player: { play(from: number): Promise<void> } } }
      ).__continuo.player.play(from),
    (bars - 1) * barSteps,
  );
  return bars;
}

/**
 * Peaks of what Play sounds like, rendered offline through the player's own transport scheduling:
 * [silence before the first onset, sound just after it].
 */
async function playbackPeaks(app: Page, fileName: string) {
  const melody = await melodyOf(fileName);
  const bpm = Math.round(melody.bpm);
  const onset = (melody.notes[0].start * 60) / bpm / 4;
  return app.evaluate(
    async ({ melody, bpm, onset }) => {
      type Port = { renderPlayback(m: unknown, bpm: number, s: number): Promise<Float32Array[]> };
      const app = (window as unknown as { __continuo: { player: { audio(): Promise<Port> } } }).__continuo;
      const channels = await (await app.player.audio()).renderPlayback(melody, bpm, onset + 0.5);
      const peak = (from: number, to: number) => {
        let p = 0;
        for (const c of channels)
          for (let i = Math.max(0, Math.floor(from * 44_100)); i < Math.min(c.length, to * 44_100); i++)
            p = Math.max(p, Math.abs(c[i]));
        return p;
      };
      return { before: onset > 0.02 ? peak(0, onset - 0.01) : 0, after: peak(onset, onset + 0.05) };
    },
    { melody, bpm, onset },
  );
}

test('Play sounds the first note at its onset, also when it is on the very first step', async ({ app }) => {
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  const atStepZero = await playbackPeaks(app, 'ashover3.mid'); // first note at step 0
  expect(atStepZero.after).toBeGreaterThan(0.03);
  const afterPickup = await playbackPeaks(app, PICKED); // first note at step 8, one second in
  expect(afterPickup.before).toBeLessThan(0.002);
  expect(afterPickup.after).toBeGreaterThan(0.03);
});

test('with Loop on, playback wraps from the last bar to the first', async ({ app }) => {
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  const bars = await playLastBar(app, 300, true);
  const position = app.getByTestId('position');
  await expect.poll(() => position.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^${bars}\\.`));
  await expect.poll(() => position.textContent(), { timeout: 10_000 }).toMatch(/^1\./);
  await expect(app.getByRole('group', { name: 'Transport' }).getByRole('button').first()).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('without Loop, playback stops by itself at the end', async ({ app }) => {
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  const button = app.getByRole('group', { name: 'Transport' }).getByRole('button').first();
  await playLastBar(app, 300, false);
  await expect(button).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
  await expect(button).toHaveAttribute('aria-pressed', 'false', { timeout: 10_000 });
  await expect(app.getByTestId('position')).toHaveText('1.1');
});

test('WAV export renders the melody offline at 44.1 kHz with sound at the first note’s onset', async ({
  app,
}) => {
  const melody = await melodyOf(PICKED);
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  const [download] = await Promise.all([
    app.waitForEvent('download', { timeout: 60_000 }),
    app.getByRole('button', { name: 'Export WAV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('jigs100.wav');
  const wav = readWav(new Uint8Array(readFileSync(await download.path())));
  expect({
    format: wav.format,
    sampleRate: wav.sampleRate,
    bits: wav.bitsPerSample,
    channels: wav.channels,
  }).toEqual({
    format: 1,
    sampleRate: 44_100,
    bits: 16,
    channels: 2,
  });
  const bpm = Math.round(melody.bpm);
  const step = 60 / bpm / 4;
  const onset = melody.notes[0].start * step;
  const lastEnd = (melody.notes.at(-1)!.start + melody.notes.at(-1)!.duration) * step;
  expect(wav.frames / wav.sampleRate).toBeGreaterThan(lastEnd);
  // The first note sounds within a few milliseconds of where it is written…
  expect(peakBetween(wav, onset, onset + 0.05)).toBeGreaterThan(1000);
  // …and not before it.
  if (onset > 0.02) expect(peakBetween(wav, 0, onset - 0.01)).toBeLessThan(50);
  await expect(app.getByText('Downloaded jigs100.wav.')).toBeVisible();
});

test('MIDI export downloads a file that imports back to the same melody', async ({ app }) => {
  await pick(app, [fixture(PICKED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  const [download] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Export MIDI' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^jigs100.*\.mid$/);
  const bytes = readFileSync(await download.path());
  await app
    .getByTestId('file-input')
    .setInputFiles({ name: 'jigs100-exported.mid', mimeType: 'audio/midi', buffer: bytes });
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('jigs100-exported.mid');
  const [original, reimported] = await libraryEntries(app);
  expect(reimported.notes).toEqual(original.notes);
  expect(reimported.timeSignature).toEqual(original.timeSignature);
  expect(reimported.bpm).toBeCloseTo(original.bpm!, 3);
});

test('the player owns its Tone nodes: a new melody adds none, teardown disposes all', async ({ app }) => {
  // Picked files import in name order, so the first shown is ashover6.
  await pick(app, [fixture(PICKED), fixture(DROPPED)]);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(DROPPED);
  const transport = app.getByRole('group', { name: 'Transport' }).getByRole('button').first();
  const liveNodes = () =>
    app.evaluate(() =>
      (
        window as unknown as { __continuo: { player: { liveNodes(): Promise<number> } } }
      ).__continuo.player.liveNodes(),
    );

  await transport.click();
  await expect(transport).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
  expect(await liveNodes()).toBe(1); // the sampler
  await transport.click();

  await app.getByRole('button', { name: new RegExp(`^${PICKED}`) }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText(PICKED);
  await transport.click();
  await expect(transport).toHaveAttribute('aria-pressed', 'true');
  expect(await liveNodes()).toBe(1);

  await app.evaluate(() =>
    (window as unknown as { __continuo: { player: { dispose(): void } } }).__continuo.player.dispose(),
  );
  await expect.poll(liveNodes).toBe(0);
});
