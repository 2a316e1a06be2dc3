/**
 * The J1 judge trainer in the browser: a tiny run with algorithm j1 shows the judge's settings, warms the policy
 * up, trains the judge for a few iterations, the consistent-accuracy curves fill in (train batch and held-out), and
 * the trained judge exports as ONNX.
 */
import { expect, test } from '@playwright/test';
import { attachScreenshot, openRun, runStatus as status, TINY_RUN, warmStartAndTrain, watch } from './helpers';

const J1_RUN = {
  ...TINY_RUN,
  algorithm: 'j1',
  // Enough warm-start that the policy gets some sums right and some wrong: pairs need both.
  sft: { steps: 40, batch: 16, lr: 3e-3 },
  iterations: 3,
  j1: { judge_context: 24, judge_sft_steps: 5, pool_prompts: 32, pool_answers: 8, pairs_per_batch: 1, generations_per_order: 2, heldout_pairs: 4, max_output: 6 },
};

test('j1: the judge trains a few iterations and its consistent accuracy is drawn', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, J1_RUN);
  await expect(page.getByLabel('algorithm')).toHaveValue('j1');
  await expect(page.getByLabel('consistency reward')).toBeChecked();
  await warmStartAndTrain(page);
  await expect(status(page)).toHaveText('done');
  await expect(page.locator('figure.chart[data-metric~="j1/consistent_accuracy"] path.line.series-0')).toHaveAttribute('d', /M.+L/);
  await expect(page.locator('figure.chart[data-metric~="j1/heldout_consistent_accuracy"] circle.dot').first()).toBeVisible();
  await attachScreenshot(page, testInfo, 'j1-judge-curves');

  // The trained judge exports as ONNX, checked in onnxruntime-web against the engine's logits.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export judge (.onnx)' }).click();
  expect((await download).suggestedFilename()).toBe('judge.onnx');
  await expect(page.getByTestId('onnx-status')).toContainText(/judge\.onnx verified in onnxruntime-web: max \|Δ logit\| = \d\.\de-?\d+/, { timeout: 30_000 });
  const diff = Number(/= ([\d.e+-]+)/.exec((await page.getByTestId('onnx-status').textContent()) ?? '')![1]);
  expect(diff).toBeLessThan(1e-3);
  expect(problems).toEqual([]);
});
