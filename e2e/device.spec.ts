/**
 * The header's device badge against the production build: the engine times a training step on each backend
 * (SwiftShader WebGPU and the CPU path here) and trains on the faster, the user's override survives a reload,
 * and without WebGPU the CPU path runs with the reason. Which backend is faster is never asserted: only that
 * the choice follows the measured times.
 */
import { expect, test, type Page } from '@playwright/test';
import { BACKEND_KEY, type DeviceState } from '../src/store/deviceStore';
import { attachScreenshot, watch, WITHOUT_WEBGPU } from './helpers';

const badge = (page: Page) => page.getByRole('status', { name: 'Compute device' });
const picker = (page: Page) => badge(page).getByRole('combobox', { name: 'Backend' });

async function readyState(page: Page) {
  await expect(badge(page)).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  const state = (await page.evaluate(() => window.__pg.device.getState().state)) as DeviceState;
  if (state.status !== 'ready') throw new Error(`device badge is ${JSON.stringify(state)}`);
  return state;
}

test('the engine trains on the backend that measured faster and says why', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await page.goto('/');
  // The production build keeps index.html's strict policy (the dev server alone relaxes style-src).
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toMatch(/'unsafe-(eval|inline)'/);

  const state = await readyState(page);
  const { choice } = state;
  expect(choice.by).toBe('measurement');
  const ms = Object.fromEntries(choice.timings.map((t) => [t.backend, t.ms]));
  testInfo.annotations.push({ type: 'measured step (ms)', description: JSON.stringify(ms) });
  for (const backend of ['webgpu', 'wasm']) expect(Number.isFinite(ms[backend]) && ms[backend]! > 0, `${backend} step time ${ms[backend]}`).toBe(true);
  const faster = ms.webgpu! < ms.wasm! ? 'webgpu' : 'wasm';
  expect(choice.chosen).toBe(faster);
  expect(state.device.backend).toBe(faster);
  await expect(badge(page)).toHaveAttribute('data-kind', faster);
  await expect(badge(page)).toHaveAttribute('data-by', 'measurement');
  // SwiftShader is the software adapter Chromium offers here; the sentence names the winner and the ratio.
  const ratio = (Math.max(ms.webgpu!, ms.wasm!) / Math.min(ms.webgpu!, ms.wasm!)).toFixed(1);
  const why = faster === 'wasm' ? `SwiftShader is a software adapter: the CPU path is ${ratio}× faster here` : `WebGPU (SwiftShader) is ${ratio}× faster here than the CPU path`;
  expect(choice.reason).toBe(why);
  await expect(badge(page)).toContainText(why);
  await expect(badge(page)).toContainText(/Training step: (WebGPU|CPU path) \d+ ms · (WebGPU|CPU path) \d+ ms/);
  await expect(picker(page)).toHaveValue('auto');

  await attachScreenshot(page, testInfo, 'device-measured');
  expect(problems).toEqual([]);
});

test("the user's override trains on the other backend, survives a reload, and Automatic goes back", async ({ page, baseURL }, testInfo) => {
  // Two measurements (at start-up and after going back to Automatic) on SwiftShader.
  test.setTimeout(180_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await page.goto('/');
  const measured = await readyState(page);
  const other = measured.choice.chosen === 'wasm' ? 'webgpu' : 'wasm';

  await picker(page).selectOption(other);
  await expect(badge(page)).toHaveAttribute('data-by', 'override', { timeout: 60_000 });
  await expect(badge(page)).toHaveAttribute('data-kind', other);
  await expect(badge(page)).toContainText('your choice');
  expect(await page.evaluate((key) => localStorage.getItem(key), BACKEND_KEY)).toBe(other);

  await page.reload();
  const kept = await readyState(page);
  expect(kept.choice).toMatchObject({ chosen: other, by: 'override' });
  await expect(picker(page)).toHaveValue(other);
  if (other === 'webgpu') await expect(badge(page).getByRole('definition')).toHaveText([/google/, /swiftshader/, /.*/]);
  await attachScreenshot(page, testInfo, 'device-override');

  await picker(page).selectOption('auto');
  await expect(badge(page)).toHaveAttribute('data-by', 'measurement', { timeout: 60_000 });
  const back = await readyState(page);
  const fastest = [...back.choice.timings].sort((a, b) => a.ms! - b.ms!)[0].backend;
  expect(back.device.backend).toBe(fastest);
  expect(await page.evaluate((key) => localStorage.getItem(key), BACKEND_KEY)).toBeNull();
  expect(problems).toEqual([]);
});

test('without WebGPU the CPU path trains and the badge says why WebGPU is out', async ({ playwright, baseURL }, testInfo) => {
  const browser = await playwright.chromium.launch(WITHOUT_WEBGPU);
  try {
    const page = await (await browser.newContext({ baseURL })).newPage();
    const problems = watch(page, new URL(baseURL!).origin);
    await page.goto('/');
    await expect(badge(page)).toHaveAttribute('data-kind', 'wasm', { timeout: 60_000 });
    await expect(badge(page)).toHaveAttribute('data-by', 'only');
    await expect(badge(page)).toContainText(/WebGPU unavailable\. Reason: WebGPU unavailable: (this environment has no WebGPU|requestAdapter\(\) returned null)/);

    const state = await page.evaluate(() => window.__pg.device.getState().state);
    expect(state).toMatchObject({ status: 'ready', device: { backend: 'wasm' }, fallbackReason: expect.stringMatching(/WebGPU unavailable/) });

    await attachScreenshot(page, testInfo, 'device-cpu-fallback');
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});
