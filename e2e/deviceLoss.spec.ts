/**
 * WebGPU device loss in the browser: the test destroys the engine worker's real GPUDevice (captured by wrapping
 * GPUDevice.prototype.createCommandEncoder from the test side; the app is not changed for it). The run pauses
 * with the reason and a resume offer, keeps its curves, and resuming trains on a fresh device to the end.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { attachScreenshot, openRun, pinBackend, runStatus as status, TINY_RUN, watch } from './helpers';


async function engineWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().length, { timeout: 30_000 }).toBeGreaterThan(0);
  return page.workers()[0];
}

test('a lost GPU device pauses the run; resume continues from the last checkpoint', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await pinBackend(page, 'webgpu');
  await openRun(page, { ...TINY_RUN, iterations: 3 });
  const worker = await engineWorker(page);
  await worker.evaluate(() => {
    const proto = GPUDevice.prototype;
    const record = proto.createCommandEncoder;
    proto.createCommandEncoder = function (this: GPUDevice, ...args: Parameters<GPUDevice['createCommandEncoder']>) {
      (self as unknown as { engineDevice: GPUDevice }).engineDevice = this;
      return record.apply(this, args);
    };
  });

  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run progress' })).toHaveText(/paused · iteration 1\/3/, { timeout: 60_000 });

  await worker.evaluate(() => (self as unknown as { engineDevice: GPUDevice }).engineDevice.destroy());
  const banner = page.getByRole('alert', { name: 'Engine error' });
  await expect(banner).toContainText('The GPU device was lost; the run is paused.', { timeout: 30_000 });
  await expect(banner).toContainText('Its last checkpoint holds iteration 1');
  await expect(status(page)).toHaveText('device lost');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  // What the run showed so far stays on screen.
  await expect(page.locator('.rollout-card')).toHaveCount(4);
  await attachScreenshot(page, testInfo, 'device-lost');

  await banner.getByRole('button', { name: 'Resume from iteration 1' }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 30_000 });
  await expect(banner).toHaveCount(0);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Run progress' })).toHaveText(/done · iteration 3\/3/);
  expect(problems).toEqual([]);
});
