/** Shared e2e helpers: problem watching, screenshots, and run-config links. */
import { expect, type Page, type TestInfo } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.ts';
import type { BackendName } from '../src/engine/backend.ts';
import { BACKEND_KEY } from '../src/store/deviceStore.ts';

/** Console errors, uncaught page errors and requests leaving the app's origin, gathered while a test runs. */
export function watch(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Context-level so requests from the engine worker are seen too.
  page.context().on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) problems.push(`other origin: ${r.url()}`);
  });
  return problems;
}

export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

export { TINY_RUN } from '../tests/tinyRun';

/** The app's URL hash for a (partial) run config: base64url JSON under `run`. */
export function runHash(config: object, extra = ''): string {
  return `#run=${Buffer.from(JSON.stringify(config)).toString('base64url')}${extra}`;
}

/** Decode the run config from a page URL's hash. */
export function configFromUrl(url: string): Record<string, unknown> {
  const code = new URLSearchParams(new URL(url).hash.slice(1)).get('run');
  if (!code) throw new Error(`no run= in ${url}`);
  return JSON.parse(Buffer.from(code, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * Launch options of a Chromium with no usable WebGPU: started without --enable-unsafe-webgpu and with the WebGPU
 * feature off, so neither the page nor the engine worker gets an adapter (the CPU-fallback path).
 */
export const WITHOUT_WEBGPU = {
  executablePath: chromiumPath,
  args: [...chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu'), '--disable-features=WebGPU'],
};

/**
 * Train on this backend instead of the measured choice (the user's override, set before the page loads), for
 * tests about one backend: it also skips the start-up measurement.
 */
export async function pinBackend(page: Page, backend: BackendName): Promise<void> {
  await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [BACKEND_KEY, backend] as const);
}

/** The run controls' status pill: 'ready', 'paused', 'done', … */
export const runStatus = (page: Page) => page.getByRole('status', { name: 'Run status' });

/** Open the app on a (partial) run config and wait until the engine runs it. */
export async function openRun(page: Page, config: object): Promise<void> {
  await page.goto(`/${runHash(config)}`);
  await expect(runStatus(page)).toHaveText('ready', { timeout: 30_000 });
}

/** SFT warm-start, then Train through every planned iteration. */
export async function warmStartAndTrain(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(runStatus(page)).toHaveText('paused', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(runStatus(page)).toHaveText('done', { timeout: 60_000 });
}
