/**
 * An ONNX judge as a reward in the browser: the shipped reversal judge is loaded into the engine worker
 * (onnxruntime-web, wasm from our own origin), scores every rollout of a real tiny run, comes back after a
 * reload from IndexedDB, and a file that breaks the contract is refused while the loaded judge stays.
 */
import { expect, test, type Page } from '@playwright/test';
import { attachScreenshot, openRun, runStatus as status, TINY_RUN, watch } from './helpers';

const JUDGED_RUN = {
  ...TINY_RUN,
  task: 'reversal',
  difficulty: { length: 3 },
  rewards: { weights: { correct: 0.5, model_judge: 1 } },
  iterations: 1,
};

const loaded = (page: Page) => page.getByRole('status', { name: 'Loaded ONNX judge' });

test('the shipped ONNX judge scores rollouts, survives a reload, and a bad judge file is refused', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, JUDGED_RUN);
  await expect(loaded(page)).toHaveText('No ONNX judge loaded.');

  // Training with a model_judge weight and no judge is refused with the way out.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByRole('alert', { name: 'Notice' })).toContainText('no ONNX judge is loaded: load one under Rewards');
  await page.getByRole('alert', { name: 'Notice' }).getByRole('button', { name: 'Dismiss' }).click();

  await page.getByRole('button', { name: 'Use the shipped reversal judge' }).click();
  await expect(loaded(page)).toContainText('reversal-judge — reversal of 3 letters', { timeout: 30_000 });
  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 60_000 });

  // Every rollout's reward explains the judge's verdict: its reasoning, then P(Y).
  const why = page.getByRole('table', { name: 'Why this reward' });
  await expect(why.getByRole('row', { name: /model_judge/ })).toContainText(/model judge wrote ".*", then P\(Y\) = \d\.\d{3}/);
  await expect(page.getByRole('table', { name: 'Judge verdicts' }).getByRole('columnheader', { name: 'ONNX judge' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Judge verdicts' }).locator('tbody tr')).toHaveCount(8);
  await attachScreenshot(page, testInfo, 'onnx-judge-verdict');

  // A spec without the verdict characters is refused; the shipped judge stays loaded.
  await page.getByLabel('Load an ONNX judge').setInputFiles([
    { name: 'odd.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from([8, 1, 18, 0]) },
    { name: 'odd.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ format: 'grpo-playground/onnx-judge@1', alphabet: 'ab', yes: 'Y', no: 'N' })) },
  ]);
  await expect(page.getByRole('alert', { name: 'Judge problem' })).toContainText('judge "odd": judge spec: the verdict characters "Y"/"N" are not in its alphabet');
  await expect(loaded(page)).toContainText('reversal-judge');
  await expect(status(page)).toHaveText('done');

  // Kept in IndexedDB: after a reload the judge is back without asking.
  await page.reload();
  await expect(loaded(page)).toContainText('reversal-judge', { timeout: 30_000 });

  // Removed, then brought back by the preset that needs it.
  await page.getByRole('button', { name: 'Remove judge' }).click();
  await expect(loaded(page)).toHaveText('No ONNX judge loaded.');
  await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name: 'A learned ONNX judge as the reward' }).click();
  await expect(page.getByRole('complementary', { name: 'What to watch' })).toContainText('rewards/model_judge/mean');
  await expect(loaded(page)).toContainText('reversal-judge', { timeout: 30_000 });
  expect(problems).toEqual([]);
});
