/** The speed control slows training to one iteration per chosen interval, and a pause during the wait is immediate. */
import { expect, test } from '@playwright/test';
import { openRun, runStatus, TINY_RUN, watch } from './helpers';

test('a slow pace holds each iteration on screen; pause cuts the wait short; full speed finishes the run', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, { ...TINY_RUN, iterations: 3 });
  await page.getByLabel('speed').selectOption({ label: '1 iteration / 10 s' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const progress = page.getByRole('status', { name: 'Run progress' });
  await expect(progress).toHaveText('training · iteration 1/3', { timeout: 30_000 });
  // Well inside the 10 s pace: still on the first iteration, still training.
  await page.waitForTimeout(3000);
  await expect(progress).toHaveText('training · iteration 1/3');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(runStatus(page)).toHaveText('paused', { timeout: 3000 });

  await page.getByLabel('speed').selectOption({ label: 'full speed' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(runStatus(page)).toHaveText('done', { timeout: 60_000 });
  expect(problems).toEqual([]);
});
