/** The header's device badge against the production build: WebGPU (SwiftShader) and the CPU fallback. */
import { expect, test } from '@playwright/test';
import { attachScreenshot, watch, WITHOUT_WEBGPU } from './helpers';

test('device badge shows the SwiftShader WebGPU adapter; no console errors, no other origins', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await page.goto('/');
  // The production build keeps index.html's strict policy (the dev server alone relaxes style-src).
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toMatch(/'unsafe-(eval|inline)'/);

  const badge = page.getByRole('status', { name: 'Compute device' });
  await expect(badge).toHaveAttribute('data-kind', 'webgpu', { timeout: 30_000 });
  await expect(badge).toContainText('WebGPU');
  await expect(badge.getByRole('definition')).toHaveText([/google/, /swiftshader/, /.+/]);

  const state = await page.evaluate(() => window.__pg.device.getState().state);
  expect(state).toMatchObject({ status: 'ready', device: { backend: 'webgpu', vendor: 'google', architecture: 'swiftshader' } });
  expect(state).not.toHaveProperty('fallbackReason', expect.anything());

  await attachScreenshot(page, testInfo, 'device-webgpu');
  expect(problems).toEqual([]);
});

test('without WebGPU the device badge shows the CPU backend and the reason', async ({ playwright, baseURL }, testInfo) => {
  const browser = await playwright.chromium.launch(WITHOUT_WEBGPU);
  try {
    const page = await (await browser.newContext({ baseURL })).newPage();
    const problems = watch(page, new URL(baseURL!).origin);
    await page.goto('/');
    const badge = page.getByRole('status', { name: 'Compute device' });
    await expect(badge).toHaveAttribute('data-kind', 'cpu', { timeout: 30_000 });
    await expect(badge).toContainText('WebGPU unavailable → CPU backend (slower)');
    await expect(badge).toContainText(/Reason: WebGPU unavailable: (this environment has no WebGPU|requestAdapter\(\) returned null)/);

    const state = await page.evaluate(() => window.__pg.device.getState().state);
    expect(state).toMatchObject({ status: 'ready', device: { backend: 'cpu' }, fallbackReason: expect.stringMatching(/WebGPU unavailable/) });

    await attachScreenshot(page, testInfo, 'device-cpu-fallback');
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});
