/**
 * The Model settings expose the MTA knobs: they go into the share link, come back after a reload, and an
 * invalid combination is explained inline and kept out of the link.
 */
import { expect, test, type Page } from '@playwright/test';
import { configFromUrl, openRun, runStatus as status, TINY_RUN, watch } from './helpers';

const mtaOf = (page: Page) => (configFromUrl(page.url()).model as { mta: unknown }).mta;

test('MTA settings round-trip through the URL and invalid ones are explained', async ({ page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, { ...TINY_RUN, model: { ...TINY_RUN.model, nLayer: 2 } });
  await page.getByLabel('Multi-Token Attention', { exact: true }).check();
  await page.getByLabel('post-softmax key-query convolution', { exact: true }).check();
  await page.getByLabel('post c_k (keys)', { exact: true }).fill('5');
  await page.getByLabel('post-softmax head mixing', { exact: true }).selectOption('grouped');
  await page.getByLabel('layer 1', { exact: true }).check();
  await expect.poll(() => mtaOf(page)).toMatchObject({ layers: [1], preConv: { cq: 2, ck: 3 }, postConv: { cq: 2, ck: 5 }, headMixPost: 2 });
  // The new fields leave the size fields' labels unique (other tests find them by label).
  await expect(page.getByLabel('layers')).toHaveCount(1);
  await expect(page.getByLabel('heads')).toHaveCount(1);

  await page.reload();
  await expect(status(page)).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByLabel('Multi-Token Attention', { exact: true })).toBeChecked();
  await expect(page.getByLabel('post-softmax key-query convolution', { exact: true })).toBeChecked();
  await expect(page.getByLabel('post c_k (keys)', { exact: true })).toHaveValue('5');
  await expect(page.getByLabel('post-softmax head mixing', { exact: true })).toHaveValue('grouped');
  await expect(page.getByLabel('head group size c_h', { exact: true })).toHaveValue('2');
  await expect(page.getByLabel('layer 0', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('layer 1', { exact: true })).toBeChecked();

  // An even key kernel with centred padding is explained in the Model section and kept out of the link.
  await page.getByLabel('pre c_k (keys)', { exact: true }).fill('4');
  await expect(page.getByRole('alert').filter({ hasText: "MTA pre-softmax key kernel size 4 must be odd with padding 'both'" })).toBeVisible();
  expect(mtaOf(page)).toMatchObject({ preConv: { cq: 2, ck: 3 } });
  // Left padding makes it valid again.
  await page.getByLabel('key padding', { exact: true }).selectOption('left');
  await expect(page.getByRole('alert').filter({ hasText: 'MTA pre-softmax' })).toHaveCount(0);
  await expect.poll(() => mtaOf(page)).toMatchObject({ preConv: { cq: 2, ck: 4 }, padKey: 'left' });
  expect(problems).toEqual([]);
});
