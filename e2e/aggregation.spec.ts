// The aggregation preset in the app: picking it selects the aggregation algorithm and its settings; a short run
// (few warm-start steps and iterations, on the CPU path) draws the per-round plot against the pool's ceiling.
import { expect, test } from '@playwright/test';
import { attachScreenshot, configFromUrl, runStatus, watch, WITHOUT_WEBGPU } from './helpers';

test('the aggregation preset trains a few iterations and draws aggregation pass@1 per round against the pool', async ({ playwright, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const browser = await playwright.chromium.launch(WITHOUT_WEBGPU);
  try {
    const page = await (await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } })).newPage();
    const problems = watch(page, new URL(baseURL!).origin);
    await page.goto('/');
    await page.getByRole('button', { name: 'Test-time aggregation (ParaGator)' }).click();
    await expect(page.getByRole('complementary', { name: 'What to watch' })).toContainText('pool');
    await expect(page.getByLabel('algorithm', { exact: true })).toHaveValue('aggregation');
    await expect(page.getByLabel('pool size m')).toHaveValue('4');
    // A short run: the preset's own length is for the harness.
    await page.getByLabel('SFT steps').fill('20');
    await page.getByLabel('iterations').fill('2');
    await page.getByLabel('eval every').fill('1');
    await page.getByLabel('eval prompts').fill('8');
    await expect.poll(() => configFromUrl(page.url())).toMatchObject({ algorithm: 'aggregation', iterations: 2, sft: { steps: 20 } });
    await expect(runStatus(page)).toHaveText('ready', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(runStatus(page)).toHaveText('done', { timeout: 150_000 });
    const plots = page.getByRole('region', { name: 'Experiment plots' });
    await expect(plots).toContainText('aggregation pass@1 per round vs the pool');
    await expect(plots).toContainText('pool pass@4 (ceiling)');
    await expect(plots).toContainText('majority vote');
    const rounds = await page.evaluate(() => Object.keys(window.__pg.run.getState().metrics).filter((k) => k.startsWith('aggregation/pass@1_round')));
    expect(rounds.sort()).toEqual(['aggregation/pass@1_round0', 'aggregation/pass@1_round1', 'aggregation/pass@1_round2']);
    await attachScreenshot(page, testInfo, 'aggregation-trained');
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});
