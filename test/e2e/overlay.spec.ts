/**
 * "What the model thinks", end to end in Debian's Chromium through the real browser host and model
 * worker: the ghost notes drawn at the edit cursor are the engine's next-note distribution there,
 * computed again in this process with the engine itself from models/default.continuo; clicking a
 * ghost note enters it (undoably, with the note length tool's duration); colouring by surprise shows
 * the engine's bits. The drawn overlay is read from the roll canvas's `data-ghosts` (what the ghost
 * layer painted in view) and from the accessible list of the most likely next notes.
 *
 * The README's overlay screenshot is always taken (to test-results/) and copied to docs/overlay.png
 * when UPDATE_SCREENSHOT=1, as screenshot.spec.ts does for docs/screenshot.png.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import type * as AnalysisModule from '../../engine/eval/analysis.js';
import type * as LstmModelModule from '../../engine/model/lstm-model.js';
import type * as ModelFileModule from '../../engine/model-file/node.js';
import type * as NnModule from '../../engine/nn/index.js';
import type { Melody } from '../../engine/midi/types.js';
import { expect, fixture, repoRoot, test } from './support/app-fixture.js';
import { roll, rollPoint } from './support/roll.js';

const built = async <T>(file: string) =>
  (await import(pathToFileURL(path.join(repoRoot, 'dist', file)).href)) as T;

/** The engine, as the model worker runs it: WebAssembly kernels, the default model, its own novelty. */
async function engineModel() {
  const { loadKernels } = await built<typeof NnModule>('engine/nn/index.js');
  const { loadModel } = await built<typeof ModelFileModule>('engine/model-file/node.js');
  const { engineModelFromFile } = await built<typeof LstmModelModule>('engine/model/lstm-model.js');
  const analysis = await built<typeof AnalysisModule>('engine/eval/analysis.js');
  await loadKernels();
  const contents = loadModel(path.join(repoRoot, 'models/default.continuo'));
  const memory = contents.header.extra?.memory as { novelty?: number } | undefined;
  const novelty = memory?.novelty ?? 0.5;
  const { model } = engineModelFromFile(contents, 'default.continuo');
  return {
    /** The pitch marginal of the next note at `step`. */
    pitchesAt: (melody: Melody, step: number) =>
      Array.from(analysis.nextNoteAt(model, melody, step, { novelty }).pitches),
    bits: (melody: Melody) => analysis.analyseMelody(model, melody, { novelty }).notes.map((n) => n.bits),
  };
}

interface DrawnGhost {
  pitch: number;
  start: number;
  duration: number;
  probability: number;
  alpha: number;
  label: string | null;
}

/** The ghost notes the roll last painted. */
async function drawnGhosts(page: Page): Promise<DrawnGhost[]> {
  const data = await roll(page).locator('canvas').first().getAttribute('data-ghosts');
  return JSON.parse(data ?? '[]') as DrawnGhost[];
}

/** Waits until the roll has painted ghosts at `step`, and returns them. */
async function ghostsAt(page: Page, step: number): Promise<DrawnGhost[]> {
  await expect
    .poll(async () => {
      const ghosts = await drawnGhosts(page);
      return ghosts.length > 0 && ghosts.every((g) => g.start === step);
    })
    .toBe(true);
  return drawnGhosts(page);
}

async function seed(page: Page): Promise<Melody> {
  return page.evaluate(
    () => (window as unknown as { __continuo: { document: { melody: Melody } } }).__continuo.document.melody,
  );
}

/** The cursor moved by a click on the ruler at `step` (a beat). */
async function placeCursor(page: Page, step: number) {
  const { x } = await rollPoint(page, step + 0.5, 60);
  const box = (await roll(page).boundingBox())!;
  await page.mouse.click(x, box.y + 11);
}

/** The drawn ghosts are the engine's distribution: every pitch of ≥ 1 %, most likely first, top three labelled. */
function expectEngineGhosts(drawn: DrawnGhost[], pitches: number[], step: number, duration: number) {
  const expected = pitches
    .map((probability, pitch) => ({ pitch, probability }))
    .filter((g) => g.probability >= 0.01)
    .sort((a, b) => b.probability - a.probability || a.pitch - b.pitch);
  // Ghosts outside the view are not drawn; the likely ones are near the seed and in view.
  const top = expected.slice(0, 3);
  expect(drawn.slice(0, 3).map((g) => g.pitch)).toEqual(top.map((g) => g.pitch));
  for (const g of drawn) {
    const p = pitches[g.pitch];
    expect(g.probability).toBeCloseTo(p, 6);
    expect(g.alpha).toBeCloseTo(p, 6);
    expect(g.start).toBe(step);
    expect(g.duration).toBe(duration);
  }
  expect(drawn.map((g) => g.label)).toEqual(
    drawn.map((g, i) => (i < 3 ? `${Math.round(pitches[g.pitch] * 100)}%` : null)),
  );
  expect(expected.map((g) => g.pitch)).toEqual(expect.arrayContaining(drawn.map((g) => g.pitch)));
}

test('the ghost notes at the cursor are the engine’s distribution there, and a click enters one', async ({
  app,
}) => {
  const engine = await engineModel();
  const toggle = app.getByRole('checkbox', { name: 'Show what the model expects' });
  await expect(toggle).toBeChecked();
  await expect(app.getByRole('combobox', { name: 'Overlay model' })).toHaveValue('default');

  // C D E F | G F E D in quarter notes, by step entry: the cursor ends at step 32.
  await app.getByRole('button', { name: 'Step entry' }).click();
  for (const key of ['KeyA', 'KeyS', 'KeyD', 'KeyF', 'KeyG', 'KeyF', 'KeyD', 'KeyS'])
    await app.keyboard.press(key);
  await app.getByRole('button', { name: 'Step entry' }).click();
  const melody = await seed(app);
  expect(melody.notes).toHaveLength(8);

  const atEnd = await ghostsAt(app, 32);
  expectEngineGhosts(atEnd, engine.pitchesAt(melody, 32), 32, 4);
  // The accessible list names the same top three.
  const list = app.getByRole('list', { name: 'Most likely next notes' }).getByRole('button');
  await expect(list).toHaveCount(3);
  const names = await list.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
  expect(names).toEqual(atEnd.slice(0, 3).map((g) => expect.stringContaining(`(${g.label})`)));

  // The cursor placed inside the seed: the distribution after the first bar.
  await placeCursor(app, 16);
  const inside = await ghostsAt(app, 16);
  expectEngineGhosts(inside, engine.pitchesAt(melody, 16), 16, 4);

  // Back at the end, with 8th notes chosen: the ghosts are 8ths, and a click enters the one clicked.
  await app.getByRole('combobox', { name: 'Note length' }).selectOption({ label: '8th' });
  await placeCursor(app, 32);
  const eighths = await ghostsAt(app, 32);
  expect(eighths.every((g) => g.duration === 2)).toBe(true);
  const chosen = eighths[1];
  const at = await rollPoint(app, 33, chosen.pitch);
  await app.mouse.click(at.x, at.y);
  await expect.poll(async () => (await seed(app)).notes.length).toBe(9);
  const entered = (await seed(app)).notes[8];
  expect([entered.pitch, entered.start, entered.duration]).toEqual([chosen.pitch, 32, 2]);
  // The cursor moves past it, and the model's next suggestions follow it there.
  const next = await ghostsAt(app, 34);
  expectEngineGhosts(next, engine.pitchesAt(await seed(app), 34), 34, 2);

  // Like any edit, it is undone in one step.
  await app.getByRole('button', { name: 'Undo' }).click();
  expect((await seed(app)).notes).toEqual(melody.notes);

  // Hidden: nothing is drawn, nothing listed.
  await toggle.uncheck();
  await expect.poll(() => drawnGhosts(app)).toEqual([]);
  await expect(app.getByRole('list', { name: 'Most likely next notes' })).toHaveCount(0);
});

test('colour by surprise shows each note’s bits as the engine reads the seed, with a legend', async ({
  app,
}) => {
  const engine = await engineModel();
  await app.getByTestId('file-input').setInputFiles([fixture('jigs100.mid')]);
  await app.getByRole('button', { name: /^jigs100\.mid/ }).click();
  await app.getByRole('spinbutton', { name: 'Last bar' }).fill('4');
  await app.getByRole('button', { name: 'Replace seed' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Seed');
  const melody = await seed(app);
  expect(melody.notes.length).toBeGreaterThan(8);

  await app.getByRole('checkbox', { name: 'Colour by surprise' }).check();
  await expect(app.getByRole('img', { name: /^Surprise colours: blue 0 bits/ })).toBeVisible();
  const canvas = roll(app).locator('canvas').first();
  await expect(canvas).toHaveAttribute('data-surprise', 'shown');
  const bits = engine.bits(melody);
  const peak = bits.reduce((best, b, i) => (b > bits[best] ? i : best), 0);
  await expect(app.getByTestId('surprise-peak')).toHaveText(
    new RegExp(`^Most surprising: note ${peak + 1} \\(.+\\), ${bits[peak].toFixed(1)} bits$`),
  );

  // The tooltip of a note says its bits.
  const n = melody.notes[peak];
  const at = await rollPoint(app, n.start + Math.min(1, n.duration / 2), n.pitch);
  await app.mouse.move(at.x, at.y);
  await expect(app.getByTestId('roll-hover')).toHaveText(new RegExp(`· ${bits[peak].toFixed(1)} bits$`));

  // A result on screen is coloured too: its last (generated) note has the bits the engine gives it.
  await app.getByRole('button', { name: 'Generate', exact: true }).click();
  await app.getByRole('button', { name: 'Audition variation 1', exact: true }).click({ timeout: 60_000 });
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Variation 1');
  await app.getByRole('group', { name: 'Transport' }).getByRole('button').first().click(); // stop
  const result = await app.evaluate(
    () =>
      (window as unknown as { __continuo: { generation: { results: { melody: Melody }[] } } }).__continuo
        .generation.results[0].melody,
  );
  expect(result.notes.length).toBeGreaterThan(melody.notes.length);
  await expect(roll(app).locator('canvas').first()).toHaveAttribute('data-surprise', 'shown');
  const resultBits = engine.bits(result);
  const last = result.notes[result.notes.length - 1];
  const pxPerStep = await app.evaluate(
    () => (window as unknown as { __continuo: { view: { pxPerStep: number } } }).__continuo.view.pxPerStep,
  );
  await roll(app)
    .locator('.scroller')
    .evaluate(
      (el, [x, y]) => {
        el.scrollLeft = x;
        el.scrollTop = y;
      },
      [Math.max(0, last.start * pxPerStep - 200), Math.max(0, (108 - last.pitch) * 11 - 100)],
    );
  const lastAt = await rollPoint(app, last.start + Math.min(1, last.duration / 2), last.pitch);
  await app.mouse.move(lastAt.x, lastAt.y);
  await expect(app.getByTestId('roll-hover')).toHaveText(
    new RegExp(`· ${resultBits[resultBits.length - 1].toFixed(1)} bits$`),
  );
  await app.getByRole('navigation', { name: 'Document' }).getByRole('button').click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Seed');

  await app.getByRole('checkbox', { name: 'Colour by surprise' }).uncheck();
  await expect(canvas).toHaveAttribute('data-surprise', 'off');
});

test('the probability overlay at 1280×800, for the README', async ({ app }) => {
  await app.getByTestId('file-input').setInputFiles([fixture('jigs100.mid')]);
  await app.getByRole('button', { name: /^jigs100\.mid/ }).click();
  await app.getByRole('spinbutton', { name: 'Last bar' }).fill('3');
  await app.getByRole('button', { name: 'Replace seed' }).click();
  await app.getByRole('checkbox', { name: 'Colour by surprise' }).check();
  await expect(roll(app).locator('canvas').first()).toHaveAttribute('data-surprise', 'shown');
  const cursor = await app.evaluate(
    () => (window as unknown as { __continuo: { document: { cursor: number } } }).__continuo.document.cursor,
  );
  await ghostsAt(app, cursor);

  const out = test.info().outputPath('overlay.png');
  await app.screenshot({ path: out });
  const png = readFileSync(out);
  expect(png.readUInt32BE(16)).toBe(1280);
  expect(png.readUInt32BE(20)).toBe(800);
  if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(out, path.join(repoRoot, 'docs/overlay.png'));
});
