/**
 * The playground against the production build on SwiftShader WebGPU (and the CPU fallback): a tiny run trains
 * through SFT and two GRPO iterations and every view fills in; settings round-trip through the URL; a corrupt
 * link is explained and the app keeps working.
 */
import { expect, test, type Page } from '@playwright/test';
import { attachScreenshot, configFromUrl, openRun, pinBackend, runHash, runStatus as status, TINY_RUN, watch, WITHOUT_WEBGPU } from './helpers';


/** Warm-start, then train to the end, checking the run's state between. */
async function trainTinyRun(page: Page) {
  await expect(status(page)).toHaveText('ready', { timeout: 30_000 });
  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 60_000 });
  await expect(page.getByText('SFT warm-start 5/5')).toBeVisible();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByText('GRPO iteration 2/2')).toBeVisible();
}

async function expectViewsFilled(page: Page) {
  // Curves: the reward line has a path with at least two points; held-out accuracy has its step-0 point too.
  const rewardPath = page.locator('figure.chart[data-metric="reward"] path.line');
  await expect(rewardPath).toHaveAttribute('d', /M.+L/);
  await expect(page.locator('figure.chart[data-metric~="accuracy"] circle.dot')).toHaveCount(9); // greedy accuracy, pass@1, pass@4 at steps 0..2
  // Distributions.
  await expect(page.getByRole('img', { name: /^Reward histogram: 8 values/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Advantage histogram: 8 values/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Reward heatmap: 2 iterations/ })).toBeVisible();
  // Group view: 2 prompt groups, 4 rollouts each.
  const groups = page.getByRole('group', { name: 'Prompt groups' }).getByRole('button');
  await expect(groups).toHaveCount(2);
  await groups.nth(1).click();
  await expect(page.locator('.rollout-card')).toHaveCount(4);
  await page.locator('.rollout-card').nth(2).click();
  // Inspector: tokens with their numbers on focus, and the verifier's rationale.
  const tokens = page.getByLabel('Completion tokens').locator('.token');
  expect(await tokens.count()).toBeGreaterThan(0);
  await tokens.first().focus();
  await expect(page.getByRole('status', { name: 'Token details' })).toContainText('logprob');
  await page.getByRole('radio', { name: 'entropy' }).check();
  await expect(page.locator('.verdicts tbody tr')).toHaveCount(1);
}

test('a tiny run trains on WebGPU: SFT + 2 GRPO iterations fill curves, histograms, groups and tokens', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await pinBackend(page, 'webgpu');
  await page.goto(`/${runHash(TINY_RUN)}`);
  await expect(page.getByRole('status', { name: 'Compute device' })).toHaveAttribute('data-kind', 'webgpu', { timeout: 30_000 });
  await expect(page.getByRole('alert', { name: 'Link problem' })).toHaveCount(0);
  await attachScreenshot(page, testInfo, 'playground-before-training');
  await trainTinyRun(page);
  await expectViewsFilled(page);
  await attachScreenshot(page, testInfo, 'playground-trained');
  await testInfo.attach('group-and-inspector', { body: await page.locator('.inspect-grid').screenshot(), contentType: 'image/png' });
  await testInfo.attach('curves', { body: await page.locator('.chart-grid').screenshot(), contentType: 'image/png' });
  // The trained policy exports as ONNX that onnxruntime-web (wasm from our own origin) runs with matching logits.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export ONNX' }).click();
  expect((await download).suggestedFilename()).toBe('policy.onnx');
  await expect(page.getByTestId('onnx-status')).toContainText(/verified in onnxruntime-web: max \|Δ logit\| = \d\.\de-?\d+/, { timeout: 30_000 });
  const diff = Number(/= ([\d.e+-]+)/.exec((await page.getByTestId('onnx-status').textContent()) ?? '')![1]);
  expect(diff).toBeLessThan(1e-3);
  // Reset empties the run but keeps the settings.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(status(page)).toHaveText('ready');
  await expect(page.locator('.rollout-card')).toHaveCount(0);
  expect(configFromUrl(page.url())).toMatchObject({ seed: 3, iterations: 2 });
  expect(problems).toEqual([]);
});

test('settings live in the URL: an edit changes the hash and a reload reproduces it', async ({ page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, TINY_RUN);
  await page.getByLabel('temperature').fill('0.7');
  await page.getByLabel('seed', { exact: true }).fill('42');
  await expect.poll(() => configFromUrl(page.url())).toMatchObject({ seed: 42, grpo: { temperature: 0.7 } });
  await page.reload();
  await expect(page.getByLabel('seed', { exact: true })).toHaveValue('42');
  await expect(page.getByLabel('temperature')).toHaveValue('0.7');
  await expect(page.getByLabel('layers')).toHaveValue('1');
  // An invalid combination is explained inline and kept out of the URL.
  await page.getByLabel('heads').fill('3');
  await expect(page.getByRole('alert').filter({ hasText: 'heads (3) must divide the width (16)' })).toBeVisible();
  expect(configFromUrl(page.url())).toMatchObject({ model: { nHead: 2 } });
  // A preset sets the config and the URL, and says what to watch.
  await page.getByRole('button', { name: 'Zero-variance groups' }).click();
  await expect(page.getByRole('complementary', { name: 'What to watch' })).toContainText('frac_reward_zero_std');
  await expect.poll(() => configFromUrl(page.url())).toMatchObject({ sft: { steps: 150 }, grpo: { num_generations: 8 } });
  expect(problems).toEqual([]);
});

test('a corrupt link shows a clear message, falls back to defaults and the app still works', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await page.goto('/#run=eyJ0YXNrIjoibm9wZSJ9'); // {"task":"nope"}
  const alert = page.getByRole('alert', { name: 'Link problem' });
  await expect(alert).toContainText('could not be used');
  await expect(alert).toContainText('unknown task "nope"');
  await attachScreenshot(page, testInfo, 'corrupt-link');
  await expect(status(page)).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByLabel('task', { exact: true })).toHaveValue('addition');
  // The broken link stays in the address bar until the user changes something.
  expect(page.url()).toContain('#run=eyJ0YXNrIjoibm9wZSJ9');
  await page.getByLabel('seed', { exact: true }).fill('5');
  await expect.poll(() => configFromUrl(page.url())).toMatchObject({ seed: 5, task: 'addition' });
  // Not even base64: still a message, not a crash.
  await page.goto('/#run=%%%');
  await page.reload();
  await expect(page.getByRole('alert', { name: 'Link problem' })).toContainText('base64url');
  expect(problems).toEqual([]);
});

test('embed=1 hides the settings', async ({ page }) => {
  await page.goto(`/${runHash(TINY_RUN, '&embed=1')}`);
  await expect(page.getByRole('heading', { name: 'Curves' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Experiment settings' })).toHaveCount(0);
});

test('the CPU fallback (no WebGPU) trains the tiny run too', async ({ playwright, baseURL }, testInfo) => {
  const browser = await playwright.chromium.launch(WITHOUT_WEBGPU);
  try {
    const page = await (await browser.newContext({ baseURL })).newPage();
    const problems = watch(page, new URL(baseURL!).origin);
    await page.goto(`/${runHash(TINY_RUN)}`);
    await expect(page.getByRole('status', { name: 'Compute device' })).toHaveAttribute('data-kind', 'wasm', { timeout: 30_000 });
    await trainTinyRun(page);
    await expectViewsFilled(page);
    await attachScreenshot(page, testInfo, 'playground-cpu-trained');
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});

// The page opens on the default preset, "Watch GRPO learn"; Train runs its warm-start, then GRPO, on the CPU path
// (WebAssembly), and the learning the preset claims shows in the page's own curves. Screenshots of every view.
test('the default "Watch GRPO learn" preset trains to the end and its pass@1 climbs (screenshots of every view)', async ({ playwright, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const browser = await playwright.chromium.launch(WITHOUT_WEBGPU);
  try {
    const page = await (await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } })).newPage();
    const problems = watch(page, new URL(baseURL!).origin);
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Watch GRPO learn' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('complementary', { name: 'What to watch' })).toContainText('pass@1 climbs');
    await expect(status(page)).toHaveText('ready', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(status(page)).toHaveText('done', { timeout: 200_000 });
    const passAt1 = await page.evaluate(() => window.__pg.run.getState().metrics['pass@1'].map((p) => p.value));
    testInfo.annotations.push({ type: 'pass@1 by evaluation', description: passAt1.map((v) => v.toFixed(3)).join(' → ') });
    expect(passAt1[passAt1.length - 1] - passAt1[0]).toBeGreaterThanOrEqual(0.15);
    await page.getByLabel('Completion tokens').locator('.token').first().hover();
    await attachScreenshot(page, testInfo, 'watch-learn-trained');
    await testInfo.attach('watch-learn-curves', { body: await page.locator('.chart-grid').screenshot(), contentType: 'image/png' });
    await testInfo.attach('watch-learn-distributions', { body: await page.locator('.dist-grid').screenshot(), contentType: 'image/png' });
    await testInfo.attach('watch-learn-groups-inspector', { body: await page.locator('.inspect-grid').screenshot(), contentType: 'image/png' });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});
