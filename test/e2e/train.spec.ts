/**
 * Training in the app, in Debian's Chromium against the real browser host, its real trainer and
 * training worker (issue 10's acceptance): import 30 corpus files, start a quick training from the
 * default model, see the progress bar and the charts move, listen to the in-progress model, pause,
 * resume, cancel, use a checkpoint as the model and generate from it. The Train panel mid-run is
 * saved as a screenshot (to test-results/; to docs/train.png with UPDATE_SCREENSHOT=1).
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { ContinuoApi, Melody } from '../../app/contract/api.js';
import { corpusDir, hasShared, SKIP_NOTE } from '../helpers/shared.js';
import { expect, fixture, repoRoot, test } from './support/app-fixture.js';

const FILES = 30;

/** Points drawn by the chart named `name` (its figure's data-points). */
const points = async (page: Page, name: string) =>
  Number(await page.getByRole('figure', { name }).getAttribute('data-points'));

/** The step the progress bar shows. */
const step = async (page: Page) =>
  Number(await page.getByRole('progressbar', { name: 'Training progress' }).getAttribute('value'));

test.describe(`training in the app${SKIP_NOTE}`, () => {
  test.skip(!hasShared, '../shared is not beside this clone');

  test('30 files: quick training from the default model, live charts, listen, pause, resume, cancel, a checkpoint generates', async ({
    app,
  }) => {
    test.setTimeout(300_000);
    const tunes = readdirSync(corpusDir)
      .filter((n) => n.endsWith('.mid'))
      .sort()
      .slice(0, FILES)
      .map((n) => path.join(corpusDir, n));
    await app.getByTestId('file-input').setInputFiles(tunes);
    await expect(app.getByTestId('library-entry')).toHaveCount(FILES, { timeout: 60_000 });

    // A seed to listen to: the first bars of a fixture tune.
    await app.getByTestId('file-input').setInputFiles([fixture('jigs100.mid')]);
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('jigs100.mid');
    await app.getByRole('button', { name: 'Replace seed' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Seed');

    await app.getByRole('tab', { name: /^Library & Train/ }).click();
    const set = app.getByRole('list', { name: 'Files to train on' });
    await expect(set.getByRole('checkbox')).toHaveCount(FILES + 1);
    // The seed's source is not part of the style: leave it out.
    await set.getByRole('checkbox', { name: /^jigs100\.mid/ }).uncheck();
    await expect(app.getByText(`${FILES} of ${FILES + 1} files chosen`)).toBeVisible();
    await expect(app.getByRole('list', { name: 'Statistics' })).toContainText(
      `${FILES} melodies from ${FILES} files`,
      {
        timeout: 60_000,
      },
    );
    await expect(app.getByTestId('time-here')).toContainText('Training will take about');
    await expect(app.getByRole('combobox', { name: 'Start from' })).toHaveValue('default');
    await expect(app.getByRole('combobox', { name: 'Preset' })).toHaveValue('quick');
    await expect(app.getByRole('combobox', { name: 'Preset' })).toContainText(/Quick — .* here\)/);

    await app.getByRole('button', { name: 'Start training' }).click();
    const bar = app.getByRole('progressbar', { name: 'Training progress' });
    await expect(bar).toBeVisible();
    await expect.poll(() => step(app), { timeout: 60_000 }).toBeGreaterThan(0);
    const lossAt = await points(app, 'Bits per note');
    await expect.poll(() => points(app, 'Bits per note'), { timeout: 30_000 }).toBeGreaterThan(lossAt);
    await expect.poll(() => points(app, 'Gradient norm')).toBeGreaterThan(0);
    await expect.poll(() => points(app, 'Tokens per second')).toBeGreaterThan(0);
    await expect(app.getByTestId('run-label')).toContainText(/step \d+ of \d+/);

    // Listen while it learns: the seed continued from the weights of now, training going on.
    await app.getByRole('button', { name: 'Listen to the seed continued' }).click();
    await expect(app.getByText(/^Heard step \d+: \d+ new notes after the seed\.$/)).toBeVisible({
      timeout: 30_000,
    });
    const afterListen = await step(app);
    await expect.poll(() => step(app), { timeout: 30_000 }).toBeGreaterThan(afterListen);

    const out = test.info().outputPath('train.png');
    await app.screenshot({ path: out });
    expect(readFileSync(out).readUInt32BE(16)).toBe(1280);
    if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(out, path.join(repoRoot, 'docs/train.png'));

    await app.getByRole('button', { name: 'Pause' }).click();
    await expect(app.getByTestId('run-label')).toHaveText(/^Paused/, { timeout: 30_000 });
    const paused = await step(app);
    await app.waitForTimeout(1500);
    expect(await step(app)).toBe(paused);
    await app.getByRole('button', { name: 'Resume' }).click();
    await expect(app.getByTestId('run-label')).toHaveText(/^Training/, { timeout: 30_000 });
    await expect.poll(() => step(app), { timeout: 30_000 }).toBeGreaterThan(paused);

    const checkpoints = app.getByRole('list', { name: 'Checkpoints of this run' });
    await expect(checkpoints.getByRole('listitem').first()).toBeVisible({ timeout: 120_000 });
    await app.getByRole('button', { name: 'Cancel' }).click();
    await expect(
      app.getByText(/^Training cancelled at step \d+; its last checkpoint is kept\.$/),
    ).toBeVisible({
      timeout: 30_000,
    });
    await expect(bar).toBeHidden();
    // The cancelled run waits to be resumed or discarded.
    await expect(app.getByRole('button', { name: /^Resume .* from step \d+$/ })).toBeVisible();

    await checkpoints
      .getByRole('button', { name: /^Use the checkpoint of step \d+/ })
      .first()
      .click();
    await expect(
      app.getByText(/^Saved the checkpoint of step \d+ as .*; new generations use it\.$/),
    ).toBeVisible({
      timeout: 30_000,
    });
    const active = app
      .getByRole('list', { name: 'Models' })
      .getByRole('listitem')
      .filter({ hasText: 'active for generation' });
    await expect(active).toHaveCount(1);
    await expect(active).not.toContainText('Comes with the app');

    // Generate from it. (The Generate panel lives on another branch: until it is merged, through the
    // page's own API client, with the model the Models list made active.)
    const made = await app.evaluate(async () => {
      type AppLike = { api: ContinuoApi; document: { melody: Melody } };
      const { api, document: doc } = (window as unknown as { __continuo: AppLike }).__continuo;
      const { models, active } = await api.invoke('models.list', {});
      let job = '';
      const notes: number[] = [];
      const ended = new Promise<string>((resolve) => {
        api.on('job.progress', (e) => {
          if (e.job === job && e.kind === 'generator.generate')
            for (const v of e.progress.variations) notes.push(v.melody.notes.length - v.seedNotes);
        });
        api.on('job.done', (e) => e.job === job && resolve('done'));
        api.on('job.failed', (e) => e.job === job && resolve(`failed: ${e.message}`));
        api.on('job.cancelled', (e) => e.job === job && resolve('cancelled'));
      });
      job = (
        await api.invoke('generator.generate', {
          seed: doc.melody,
          settings: {
            modelId: active,
            bars: 2,
            variations: 1,
            temperature: 0.9,
            topK: 0,
            topP: 0.95,
            novelty: null,
            scale: null,
            range: null,
            maxRepeats: null,
            randomSeed: 7,
          },
        })
      ).job;
      return { end: await ended, notes, model: models.find((m) => m.id === active)?.origin };
    });
    expect(made.end).toBe('done');
    expect(made.model).toBe('trained');
    expect(made.notes[0]).toBeGreaterThan(0);

    // The next start (a new page on the same host) offers the cancelled run; discarding it keeps
    // the model saved from its checkpoint.
    await app.reload();
    await expect(
      app.getByText('A training did not finish: resume or discard in Library & Train.'),
    ).toBeVisible({
      timeout: 30_000,
    });
    await app.getByRole('button', { name: 'Show' }).click();
    const discard = app.getByRole('button', { name: /^Discard .* and its checkpoints$/ });
    await expect(discard).toHaveCount(1);
    await discard.click();
    await expect(app.getByRole('region', { name: 'Unfinished trainings' })).toBeHidden();
    await expect(
      app
        .getByRole('list', { name: 'Models' })
        .getByRole('listitem')
        .filter({ hasText: 'active for generation' }),
    ).toContainText('Trained here');
  });
});
