/**
 * The research views on a real tiny run (SwiftShader WebGPU, MTA and a biased judge on): attention maps of a
 * picked rollout, MTA kernels and norms, the judge's verdicts and reward-hacking read-out, and the compare list —
 * kept across a reload, exported and imported back, with a corrupt import refused while the run stays.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import { attachScreenshot, openRun, runStatus as status, TINY_RUN, warmStartAndTrain, watch } from './helpers';

const MTA = { layers: [], preConv: { cq: 2, ck: 3 }, postConv: null, padKey: 'both', headMixPre: true, headMixPost: 'none', groupNorm: false, depthScale: false, gate: 'none' };
const INSPECT_RUN = {
  ...TINY_RUN,
  model: { ...TINY_RUN.model, mta: MTA },
  rewards: { weights: { correct: 1, judge: 0.5 }, overlongCache: 2, judge: { lengthBias: 0.05, keywordBias: 0, keyword: '', noise: 0.2, positionBias: 0.3, seed: 1 } },
};

const savedRuns = (page: Page) => page.getByRole('list', { name: 'Saved runs' }).getByRole('listitem');

test('inspector, judge and compare views fill from a real run; runs survive reload and round-trip as files', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, INSPECT_RUN);
  await warmStartAndTrain(page);

  // Attention maps of a picked rollout: every query × key cell, one map per head.
  await page.getByRole('group', { name: 'Prompt groups' }).getByRole('button').nth(1).click();
  await page.locator('.rollout-card').nth(2).click();
  // The picked rollout's length (BOS + prompt + completion) from the store: the panel may still show the map of
  // the group's first rollout for a moment while the new selection renders.
  const T = await page.evaluate(() => {
    const s = window.__pg.run.getState();
    const r = s.rollouts[s.selection.rollout];
    return 1 + [...r.prompt].length + r.tokens.length;
  });
  const map = page.getByRole('img', { name: `Attention map, layer 0, head 0: ${T} tokens` });
  await expect(map).toBeVisible({ timeout: 30_000 });
  await expect(map.locator('rect')).toHaveCount(T * T);
  await expect(map.locator('text.matrix-label').first()).toHaveText('▸');
  await page.getByLabel('Attention head').selectOption('1');
  await expect(page.getByRole('img', { name: /^Attention map, layer 0, head 1:/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^FFN sparsity per layer: \d+\.\d%$/ })).toBeVisible();
  // MTA kernels per head after the last iteration, and norms per parameter tensor.
  await expect(page.getByRole('img', { name: 'layers.0.attn.mta.kq_pre head 0 after iteration 2' }).locator('rect')).toHaveCount(6);
  await expect(page.getByRole('img', { name: 'layers.0.attn.mta.head_mix_pre heads out × in after iteration 2' })).toBeVisible();
  expect(await page.getByRole('table', { name: 'Parameter and gradient norms' }).locator('tbody tr').count()).toBeGreaterThan(8);
  await testInfo.attach('model-inspector', { body: await page.locator('section[aria-labelledby="model-inspector-title"]').screenshot(), contentType: 'image/png' });

  // Judge: every rollout's verdicts, the hacking read-out and a pairwise check in both orders.
  const verdicts = page.getByRole('table', { name: 'Judge verdicts' }).locator('tbody tr');
  await expect(verdicts).toHaveCount(8);
  await expect(verdicts.first()).toContainText(/approve|reject|noisy/);
  await expect(page.getByRole('status', { name: 'Reward hacking' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Pairwise verdict' })).toContainText(/A first → prefers [AB].*B first → prefers [AB]/);
  await testInfo.attach('judge', { body: await page.locator('section[aria-labelledby="judge-title"]').screenshot(), contentType: 'image/png' });

  // The finished run is kept. A corrupt import is explained and changes nothing: the run on screen stays.
  await expect(savedRuns(page)).toHaveCount(1);
  await page.getByLabel('Import run files').setInputFiles([
    { name: 'bad.run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(INSPECT_RUN)) },
    { name: 'bad.metrics.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"step":1,"reward":0.5}\n{"step":2,"rew') },
  ]);
  await expect(page.getByRole('alert', { name: 'Compare problem' })).toContainText('Import failed, nothing was changed: metrics line 2 is not valid JSON');
  await attachScreenshot(page, testInfo, 'corrupt-import');
  await expect(savedRuns(page)).toHaveCount(1);
  await expect(status(page)).toHaveText('done');
  await expect(page.locator('.rollout-card')).toHaveCount(4);
  await page.getByRole('alert', { name: 'Compare problem' }).getByRole('button', { name: 'Dismiss' }).click();

  // Still listed after a reload.
  await page.reload();
  await expect(status(page)).toHaveText('ready', { timeout: 30_000 });
  await expect(savedRuns(page)).toHaveCount(1);
  await expect(savedRuns(page).first()).toContainText('addition seed 3');
  // The trained policy was kept in IndexedDB with the run: loading it restores a trained (warm-started) model.
  await savedRuns(page).first().getByRole('button', { name: /^Load the policy of / }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 30_000 });

  // Export writes three files; importing them adds the same run, overlaid at once.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await savedRuns(page).first().getByRole('button', { name: /^Export / }).click();
  await expect.poll(() => downloads.length).toBe(3);
  const paths = await Promise.all(
    downloads.map(async (d) => {
      const path = testInfo.outputPath(d.suggestedFilename());
      await d.saveAs(path);
      return path;
    }),
  );
  expect(downloads.map((d) => d.suggestedFilename().replace(/^.*?\./, ''))).toEqual(['run.json', 'metrics.jsonl', 'rollouts.jsonl']);
  expect((await readFile(paths[1], 'utf8')).trim().split('\n')).toHaveLength(3); // steps 0, 1, 2
  await page.getByLabel('Import run files').setInputFiles(paths);
  await expect(savedRuns(page)).toHaveCount(2);
  await expect(savedRuns(page).nth(1)).toContainText('(imported)');
  await savedRuns(page).first().getByRole('checkbox').check();
  const rewardOverlay = page.getByRole('img', { name: /^reward: / });
  await expect(rewardOverlay.locator('path.line')).toHaveCount(2);
  await expect(rewardOverlay.locator('path.line').first()).toHaveAttribute('d', /M.+L/);

  await attachScreenshot(page, testInfo, 'research-views');
  await testInfo.attach('compare', { body: await page.locator('section[aria-labelledby="compare-title"]').screenshot(), contentType: 'image/png' });
  expect(problems).toEqual([]);
});
