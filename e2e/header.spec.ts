/**
 * The header: the theme choice (explicit light/dark beat the OS, "system" follows it, the choice survives a
 * reload), the share link (clipboard, embed variant, copy-by-hand fallback; the link reproduces the run) and the
 * run read-out following a tiny run.
 */
import { expect, test, type Page } from '@playwright/test';
import { attachScreenshot, configFromUrl, runHash, TINY_RUN, watch } from './helpers';

const WHITE = 'rgb(255, 255, 255)';
const DARK = 'rgb(13, 17, 23)';

const bodyBackground = (page: Page) => () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const themeRadio = (page: Page, name: string) => page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name });

test('the theme choice sets data-theme, beats the OS setting and survives a reload; "system" follows the OS', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  const html = page.locator('html');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`/${runHash(TINY_RUN)}`);
  await expect(html).toHaveAttribute('data-theme', 'system');
  await expect(themeRadio(page, 'System')).toBeChecked();
  await expect.poll(bodyBackground(page)).toBe(WHITE);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(bodyBackground(page)).toBe(DARK);

  await themeRadio(page, 'Light').check();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect.poll(bodyBackground(page)).toBe(WHITE);

  await page.emulateMedia({ colorScheme: 'light' });
  await themeRadio(page, 'Dark').check();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect.poll(bodyBackground(page)).toBe(DARK);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(themeRadio(page, 'Dark')).toBeChecked();
  await expect.poll(bodyBackground(page)).toBe(DARK);

  await expect(page.getByRole('status', { name: 'Compute device' })).toHaveAttribute('data-kind', /^(webgpu|wasm|cpu)$/, { timeout: 60_000 });
  await testInfo.attach('header-dark', { body: await page.locator('.app-header').screenshot(), contentType: 'image/png' });
  await attachScreenshot(page, testInfo, 'page-dark');
  expect(problems).toEqual([]);
});

test('the share link copies the page URL (and the embed variant), and opening it reproduces the run', async ({ page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`/${runHash(TINY_RUN)}`);
  await page.getByLabel('seed', { exact: true }).fill('42');
  await expect.poll(() => configFromUrl(page.url())).toMatchObject({ seed: 42 });

  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Link copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(page.url());
  await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible(); // the confirmation is brief

  await page.getByRole('button', { name: 'Copy embed link' }).click();
  await expect(page.getByRole('button', { name: 'Embed link copied' })).toBeVisible();
  const embed = await page.evaluate(() => navigator.clipboard.readText());
  expect(new URLSearchParams(new URL(embed).hash.slice(1)).get('embed')).toBe('1');
  expect(configFromUrl(embed)).toEqual(configFromUrl(link));

  const opened = await page.context().newPage();
  const openedProblems = watch(opened, new URL(baseURL!).origin);
  await opened.goto(link);
  await expect(opened.getByLabel('seed', { exact: true })).toHaveValue('42');
  await expect(opened.getByLabel('layers')).toHaveValue('1');
  expect(await opened.evaluate(() => window.__pg.run.getState().applied)).toMatchObject({ ...TINY_RUN, seed: 42 });
  await opened.goto(embed);
  await opened.reload();
  await expect(opened.getByRole('heading', { name: 'Curves' })).toBeVisible();
  await expect(opened.getByRole('complementary', { name: 'Experiment settings' })).toHaveCount(0);
  expect(await opened.evaluate(() => window.__pg.run.getState().applied.seed)).toBe(42);
  expect([...problems, ...openedProblems]).toEqual([]);
});

test('when the clipboard refuses, the link is shown focused and selected to copy by hand', async ({ page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await page.addInitScript(() => {
    Clipboard.prototype.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await page.goto(`/${runHash(TINY_RUN)}`);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const field = page.getByRole('textbox', { name: 'Share link (copy it by hand)' });
  await expect(field).toHaveValue(page.url());
  await expect(field).toBeFocused();
  await expect(field).toHaveJSProperty('readOnly', true);
  expect(await field.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([0, page.url().length]);
  await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await page.getByRole('button', { name: 'Close the share link' }).click();
  await expect(field).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the header read-out shows the run status and iteration counter through a tiny run', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await page.goto(`/${runHash(TINY_RUN)}`);
  const progress = page.getByRole('status', { name: 'Run progress' });
  await expect(progress).toHaveText('ready · iteration 0/2');
  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(progress).toHaveText('paused · warm-started · iteration 0/2', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(progress).toHaveText('paused · iteration 1/2', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(progress).toHaveText('done · iteration 2/2', { timeout: 60_000 });
  await expect(progress).toHaveAttribute('data-status', 'done');
  // The charts take their colours from the theme's variables: look at them in both.
  for (const theme of ['Dark', 'Light']) {
    await themeRadio(page, theme).check();
    await testInfo.attach(`curves-${theme.toLowerCase()}`, { body: await page.locator('.chart-grid').screenshot(), contentType: 'image/png' });
  }
  await themeRadio(page, 'Dark').check();
  await attachScreenshot(page, testInfo, 'trained-dark');
  expect(problems).toEqual([]);
});
