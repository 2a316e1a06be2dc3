/**
 * Text from outside (share links, run files, imported run names and rollouts, ONNX judge specs) is shown as text:
 * markup and script payloads in every such field appear literally, and nothing is parsed as HTML or executed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { runHash, runStatus, TINY_RUN, watch } from './helpers';

/** Each payload sets window.__pwned or adds an element #pwned if the page ever treats it as HTML. */
const IMG = '<img src=x onerror=window.__pwned=1>';
const SCRIPT = '<script>window.__pwned=2</script>';
const MARKUP = '<b id=pwned>bold</b>';

async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('#pwned, img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => [...document.scripts].filter((s) => s.textContent?.includes('__pwned')).length)).toBe(0);
}

const rollout = (group: number) => ({
  iteration: 2,
  group,
  prompt: IMG,
  gold: SCRIPT,
  completion: MARKUP,
  tokens: [7],
  logprobs: [-0.1],
  refLogprobs: null,
  entropies: [0.3],
  truncated: false,
  answer: IMG,
  correct: false,
  reward: 0,
  parts: { correct: 0 },
  verdicts: { correct: { score: 0, label: MARKUP, rationale: SCRIPT, parts: {} } },
  advantage: 0,
  actSeed: 1,
  pseudoLabel: null,
});

test('markup and scripts in links, run files, imported runs and judge specs are shown as text', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const problems = watch(page, new URL(baseURL!).origin);

  // A share link whose judge keyword is markup: kept verbatim in the keyword field.
  await page.goto(`/${runHash({ ...TINY_RUN, rewards: { weights: { correct: 1, judge: 1 }, judge: { keyword: IMG } } })}`);
  await expect(runStatus(page)).toHaveText('ready', { timeout: 30_000 });
  await expect(page.getByLabel('judge: keyword', { exact: true }).first()).toHaveValue(IMG);
  await expectInert(page);

  // A share link that is refused: the reason quotes the payload as text.
  await page.goto(`/${runHash({ task: IMG, grpo: { [SCRIPT]: 1 } })}`);
  await expect(runStatus(page)).toHaveText('ready', { timeout: 30_000 });
  const notice = page.getByRole('alert').filter({ hasText: 'could not be used' });
  await expect(notice).toContainText(`unknown task "${IMG}"`);
  await expect(notice).toContainText('<script>window.__pwned=2</script>');
  await expectInert(page);

  // Imported run files: the name (from the file name), metric names and rollouts carry payloads.
  const metrics = [{ phase: 'eval', step: 0, [MARKUP]: 0.1 }, { phase: 'grpo', step: 1, reward: 0.2, [MARKUP]: 0.3 }].map((m) => JSON.stringify(m)).join('\n');
  await page.getByLabel('Import run files').setInputFiles([
    { name: `${IMG}.run.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...TINY_RUN, rewards: { judge: { keyword: SCRIPT } } })) },
    { name: `${IMG}.metrics.jsonl`, mimeType: 'application/x-ndjson', buffer: Buffer.from(metrics) },
    { name: `${IMG}.rollouts.jsonl`, mimeType: 'application/x-ndjson', buffer: Buffer.from([rollout(0), rollout(1)].map((r) => JSON.stringify(r)).join('\n')) },
  ]);
  const saved = page.getByRole('list', { name: 'Saved runs' }).getByRole('listitem');
  await expect(saved.last()).toContainText(`${IMG} (imported)`);
  await saved.last().getByRole('checkbox').check();
  await expectInert(page);

  // An ONNX judge whose spec describes itself in markup: the description is shown as text.
  const models = (file: string) => fileURLToPath(new URL(`../public/models/${file}`, import.meta.url));
  const spec = { ...JSON.parse(readFileSync(models('reversal-judge.json'), 'utf8')), description: `${IMG} ${SCRIPT} ${MARKUP}` };
  await page.getByLabel('Load an ONNX judge').setInputFiles([
    { name: 'pwn.onnx', mimeType: 'application/octet-stream', buffer: readFileSync(models('reversal-judge.onnx')) },
    { name: 'pwn.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(spec)) },
  ]);
  await expect(page.getByText(`pwn — ${IMG} ${SCRIPT} ${MARKUP}`)).toBeVisible({ timeout: 30_000 });
  await expectInert(page);

  expect(problems).toEqual([]);
});
