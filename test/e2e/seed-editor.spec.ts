/**
 * The seed editor end to end, in Debian's Chromium against the real browser host: a seed entered
 * with the computer keyboard (step entry), fixed in the piano roll with the mouse, undone and redone;
 * a real-time recording from a scripted MIDI device, found quantized in the roll. Every control is
 * found by its role and accessible name.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { engineMidi, expect, fixture, test } from './support/app-fixture.js';
import { rollPoint } from './support/roll.js';

interface SeedNote {
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

/** The seed's notes as [pitch, start, duration], read from the app state. */
async function seedNotes(page: Page): Promise<[number, number, number][]> {
  const notes = await page.evaluate(
    () =>
      (window as unknown as { __continuo: { document: { melody: { notes: SeedNote[] } } } }).__continuo
        .document.melody.notes,
  );
  return notes.map((n) => [n.pitch, n.start, n.duration]);
}

test('the seed editor is what the app opens on, empty, with a New button one click away', async ({ app }) => {
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Seed');
  await expect(app.getByRole('figure', { name: /^Piano roll:/ })).toHaveAttribute(
    'aria-label',
    'Piano roll: no notes',
  );
  await expect(app.getByRole('button', { name: 'New' })).toBeVisible();
  await app.screenshot({ path: '/tmp/editor-shots/empty.png' });
});

const xy = (p: { x: number; y: number }): [number, number] => [p.x, p.y];

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 3 });
  await page.mouse.up();
}

test('a two-bar seed entered with the computer keyboard, fixed with the mouse, undone and redone', async ({
  app,
}) => {
  await app.getByRole('button', { name: 'Step entry' }).click();
  await expect(app.getByRole('button', { name: 'Step entry' })).toHaveAttribute('aria-pressed', 'true');
  await expect(app.getByRole('combobox', { name: 'Note length' })).toHaveValue('4'); // quarter notes
  await expect(app.getByTestId('octave')).toHaveText('A = C4');
  // C D E F | G F E D, a quarter each: two bars of 4/4.
  for (const key of ['KeyA', 'KeyS', 'KeyD', 'KeyF', 'KeyG', 'KeyF', 'KeyD', 'KeyS'])
    await app.keyboard.press(key);
  const entered: [number, number, number][] = [60, 62, 64, 65, 67, 65, 64, 62].map((pitch, i) => [
    pitch,
    i * 4,
    4,
  ]);
  expect(await seedNotes(app)).toEqual(entered);
  const roll = app.getByRole('figure', { name: /^Piano roll:/ });
  await expect(roll).toHaveAttribute('aria-label', 'Piano roll: 8 notes from C4 to G4 over 2 bars in 4/4');

  // Fix the third note: E4 up to G4, dragged by its body.
  await drag(app, await rollPoint(app, 10, 64), await rollPoint(app, 10, 67));
  // And the second: D4 shortened to an 8th, dragged by its end.
  await drag(app, await rollPoint(app, 8 - 0.15, 62), await rollPoint(app, 6 - 0.15, 62));
  const fixed = entered.map((n) => [...n]);
  fixed[2] = [67, 8, 4];
  fixed[1] = [62, 4, 2];
  expect(await seedNotes(app)).toEqual(fixed);

  await app.getByRole('button', { name: 'Undo' }).click();
  expect((await seedNotes(app))[1]).toEqual([62, 4, 4]);
  await app.keyboard.press('Control+z');
  expect(await seedNotes(app)).toEqual(entered);
  await app.keyboard.press('Control+Shift+z');
  expect((await seedNotes(app))[2]).toEqual([67, 8, 4]);
  await app.getByRole('button', { name: 'Redo' }).click();
  expect(await seedNotes(app)).toEqual(fixed);
  await app.screenshot({ path: '/tmp/editor-shots/seed.png' });
});

/**
 * A scripted MIDIAccess in place of the browser's: one input, "Scripted keys", whose messages the
 * test sends with the timestamps it chooses (window.__midiSend).
 */
function scriptedMidi() {
  class Input extends EventTarget {
    id = 'scripted-1';
    name = 'Scripted keys';
    manufacturer = 'Continuo tests';
    type = 'input';
    state = 'connected';
    connection = 'open';
  }
  const input = new Input();
  const access = Object.assign(new EventTarget(), {
    inputs: new Map([[input.id, input]]),
    outputs: new Map(),
    sysexEnabled: false,
  });
  Object.defineProperty(navigator, 'requestMIDIAccess', {
    configurable: true,
    value: async () => access,
  });
  (window as unknown as { __midiSend: (data: number[], at: number) => void }).__midiSend = (data, at) => {
    const event = new Event('midimessage');
    Object.defineProperty(event, 'data', { value: new Uint8Array(data) });
    Object.defineProperty(event, 'timeStamp', { value: at });
    input.dispatchEvent(event);
  };
}

/** Sends MIDI messages, each once the page's clock has reached its time, stamped with that time. */
async function sendAt(page: Page, messages: { data: number[]; at: number }[]) {
  await page.evaluate(async (messages) => {
    const send = (window as unknown as { __midiSend: (data: number[], at: number) => void }).__midiSend;
    for (const m of messages) {
      while (performance.now() < m.at) await new Promise((r) => setTimeout(r, 2));
      send(m.data, m.at);
    }
  }, messages);
}

test('a take recorded from a MIDI device lands quantized in the roll', async ({ page, host }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.addInitScript(scriptedMidi);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&e2e`);
  const app = page;
  await expect(app.getByText(/^Continuo \d/)).toBeVisible();
  await app.getByRole('button', { name: 'Use MIDI input' }).click();
  const picker = app.getByRole('combobox', { name: 'MIDI input device' });
  await expect(picker.getByRole('option')).toHaveText(['All devices', 'Scripted keys']);
  await picker.selectOption({ label: 'Scripted keys' });

  // Note-on sounds the note and shows it on the on-screen keyboard.
  const c4 = app
    .getByRole('group', { name: 'On-screen keyboard' })
    .getByRole('button', { name: 'C4', exact: true });
  const now = await app.evaluate(() => performance.now());
  await sendAt(app, [{ data: [0x90, 60, 100], at: now }]);
  await expect(c4).toHaveAttribute('aria-pressed', 'true');
  await sendAt(app, [{ data: [0x80, 60, 0], at: now + 1 }]);
  await expect(c4).toHaveAttribute('aria-pressed', 'false');

  const tempo = app.getByRole('spinbutton', { name: 'Tempo in beats per minute' });
  await tempo.fill('240');
  await tempo.press('Enter');
  await app.getByRole('combobox', { name: 'Snap grid' }).selectOption({ label: '1/8' });
  await app.getByRole('button', { name: 'Record' }).click();
  const origin = await app.waitForFunction(
    () =>
      (window as unknown as { __continuo: { input: { takeOrigin: number | null } } }).__continuo.input
        .takeOrigin,
    null,
    { timeout: 30_000 },
  );
  const t0 = (await origin.jsonValue()) as number;
  const step = 60_000 / 240 / 4; // 62.5 ms a 16th
  // Played a little off the 8th-note grid, as hands do.
  await sendAt(app, [
    { data: [0x90, 60, 100], at: t0 + 12 },
    { data: [0x80, 60, 0], at: t0 + 2 * step - 10 },
    { data: [0x90, 64, 80], at: t0 + 4 * step + 20 },
    { data: [0x90, 64, 0], at: t0 + 8 * step + 5 },
    { data: [0x90, 67, 90], at: t0 + 8 * step - 15 },
    { data: [0x80, 67, 0], at: t0 + 11.6 * step },
  ]);
  await expect(app.getByRole('status').filter({ hasText: /^Recording/ })).toHaveText(/Recording · 3 notes/);
  await app.getByRole('button', { name: 'Stop recording' }).click();
  await expect(app.getByRole('button', { name: 'Record' })).toHaveAttribute('aria-pressed', 'false');
  // The metronome's nodes are gone with it: only the sampler is left.
  await expect
    .poll(() =>
      app.evaluate(() =>
        (
          window as unknown as { __continuo: { player: { liveNodes(): Promise<number> } } }
        ).__continuo.player.liveNodes(),
      ),
    )
    .toBe(1);
  expect(await seedNotes(app)).toEqual([
    [60, 0, 2],
    [64, 4, 4],
    [67, 8, 4],
  ]);
  await expect(app.getByRole('figure', { name: /^Piano roll:/ })).toHaveAttribute(
    'aria-label',
    'Piano roll: 3 notes from C4 to G4 over 1 bar in 4/4',
  );
  // The take is one undo step.
  await app.getByRole('button', { name: 'Undo' }).click();
  expect(await seedNotes(app)).toEqual([]);
  expect(problems, 'uncaught errors in the page').toEqual([]);
});

test('notes drawn by clicking, their velocity dragged in the lane, a Ctrl-dragged box deleted', async ({
  app,
}) => {
  await app.mouse.click(...xy(await rollPoint(app, 4.5, 67)));
  await app.mouse.click(...xy(await rollPoint(app, 12.5, 64)));
  expect(await seedNotes(app)).toEqual([
    [67, 4, 4],
    [64, 12, 4],
  ]);
  const velocities = () =>
    app.evaluate(() =>
      (
        window as unknown as { __continuo: { document: { melody: { notes: SeedNote[] } } } }
      ).__continuo.document.melody.notes.map((n) => n.velocity),
    );
  expect(await velocities()).toEqual([90, 90]);

  // The lane is 60 px tall; a bar's top at 30 px from the lane's top is velocity 70 or so.
  const lane = (await app.getByTestId('velocity-lane').boundingBox())!;
  const bar = (await rollPoint(app, 4, 67)).x + 2;
  await drag(app, { x: bar, y: lane.y + 50 }, { x: bar, y: lane.y + 30 });
  const [dragged, untouched] = await velocities();
  expect(dragged).toBeGreaterThan(65);
  expect(dragged).toBeLessThan(76);
  expect(untouched).toBe(90);

  const roll = app.getByRole('figure', { name: /^Piano roll:/ });
  await app.keyboard.down('Control');
  await drag(app, await rollPoint(app, 1, 70), await rollPoint(app, 20, 60));
  await app.keyboard.up('Control');
  await expect(roll).toHaveAttribute('data-selected', '2');
  await app.keyboard.press('Delete');
  expect(await seedNotes(app)).toEqual([]);
  await app.keyboard.press('Control+z');
  expect(await seedNotes(app)).toHaveLength(2);
});

test('bars of an imported file become the seed, and Append adds them after it', async ({ app }) => {
  await app.getByTestId('file-input').setInputFiles(fixture('jigs100.mid'));
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('jigs100.mid');
  const use = app.getByRole('group', { name: 'Use as the seed' });
  await use.getByRole('spinbutton', { name: 'First bar' }).fill('2');
  await use.getByRole('spinbutton', { name: 'First bar' }).press('Tab');
  await use.getByRole('spinbutton', { name: 'Last bar' }).fill('3');
  await use.getByRole('spinbutton', { name: 'Last bar' }).press('Tab');
  await use.getByRole('button', { name: 'Replace seed' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Seed');
  const { importMidi } = await engineMidi();
  const source = importMidi(new Uint8Array(readFileSync(fixture('jigs100.mid'))), 'jigs100.mid').melody;
  const bar = 12; // 6/8
  const expected = source.notes
    .filter((n) => n.start >= bar && n.start < 3 * bar)
    .map((n): [number, number, number] => [n.pitch, n.start - bar, Math.min(n.duration, 3 * bar - n.start)]);
  expect(await seedNotes(app)).toEqual(expected);
  await expect(app.getByRole('figure', { name: /^Piano roll:/ })).toHaveAttribute(
    'aria-label',
    /over 2 bars in 6\/8$/,
  );

  await app.getByRole('button', { name: /^jigs100\.mid/ }).click();
  await app
    .getByRole('group', { name: 'Use as the seed' })
    .getByRole('button', { name: 'Append to seed' })
    .click();
  expect(await seedNotes(app)).toHaveLength(expected.length * 2);
  await app.getByRole('button', { name: 'Undo' }).click();
  expect(await seedNotes(app)).toEqual(expected);
});
