/**
 * StepWiser step values in the rollout inspector, on a real tiny multi-step run (SwiftShader WebGPU): after a
 * warm-start and one GRPO step, judging a rollout's steps lists each step of its completion with Q̂ (the share of
 * the policy's continuations from that prefix that end correct) and the three labelling rules' verdicts.
 */
import { expect, test } from '@playwright/test';
import { openRun, runStatus as status, TINY_RUN, watch } from './helpers';

/**
 * One operation on operands 1–2: prompts like "2*1=" and answers like "1-2=-1;#-1" (at most 10 characters), so
 * max_completion_length 11 leaves room for EOS. Step values continue prefixes of up to a whole completion by up
 * to max_completion_length tokens each: BOS + 4 + 11 + 11 = 27 fits a context of 32.
 */
const STEPS_RUN = {
  ...TINY_RUN,
  task: 'multi-step',
  difficulty: { steps: 1, max: 2 },
  model: { ...TINY_RUN.model, contextLength: 32 },
  grpo: { ...TINY_RUN.grpo, max_completion_length: 11 },
  eval: { n: 4, every: 1 },
};

/** The steps StepValues judges: every non-empty piece before the last ';' (the answer part after it is no step). */
const stepsOf = (completion: string) => completion.split(';').filter((s, i, all) => s.length > 0 && i < all.length - 1);


test('the inspector judges a multi-step rollout step by step: Q̂ in [0, 1] and a verdict per rule for every step', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, STEPS_RUN);
  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByText('GRPO iteration 1/2')).toBeVisible({ timeout: 30_000 });
  await expect(status(page)).toHaveText('paused');

  // A rollout with at least one step: after five SFT steps the policy writes ';' often, not always.
  const rollouts = await page.evaluate(() => window.__pg.run.getState().rollouts.map((r) => ({ group: r.group, completion: r.completion })));
  const pickedIndex = rollouts.findIndex((r) => stepsOf(r.completion).length > 0);
  expect(pickedIndex, `no completion with a step among ${JSON.stringify(rollouts.map((r) => r.completion))}`).toBeGreaterThanOrEqual(0);
  const picked = rollouts[pickedIndex];
  const steps = stepsOf(picked.completion);

  // Pick it in the group view, as a user would.
  const groups = page.getByRole('group', { name: 'Prompt groups' }).getByRole('button');
  await groups.nth([...new Set(rollouts.map((r) => r.group))].indexOf(picked.group)).click();
  const inGroup = rollouts.filter((r) => r.group === picked.group).indexOf(picked);
  await page.locator('.rollout-card').nth(inGroup).click();
  await expect(page.locator('.rollout-card').nth(inGroup)).toHaveAttribute('aria-pressed', 'true');

  const judge = page.getByRole('region', { name: 'Step values' }).getByRole('button', { name: 'Judge steps (StepWiser)' });
  await judge.click();
  const table = page.getByRole('table', { name: /^Step values: Q̂ from 8 continuations/ });
  await expect(table).toBeVisible({ timeout: 30_000 });
  await expect(judge).toBeEnabled();
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(steps.length);
  for (const [i, step] of steps.entries()) {
    const row = rows.nth(i);
    await expect(row.getByRole('rowheader')).toHaveText(step);
    const cells = row.getByRole('cell');
    // Q̂ is a share of 8 continuations: k/8 shown with two decimals.
    const q = Number(await cells.nth(0).textContent());
    expect(q).toBeGreaterThanOrEqual(0);
    expect(q).toBeLessThanOrEqual(1);
    expect(Math.abs(q - Math.round(q * 8) / 8)).toBeLessThan(0.006);
    // Abs-Q, Rel-Ratio, Rel-Effective: each a + or − verdict; Abs-Q is + exactly when Q̂ > 0.
    const marks = await cells.allTextContents();
    expect(marks.slice(1)).toEqual([expect.stringMatching(/^[+−]$/), expect.stringMatching(/^[+−]$/), expect.stringMatching(/^[+−]$/)]);
    expect(marks[1]).toBe(q > 0 ? '+' : '−');
    await expect(row).toHaveAttribute('data-label', marks[3] === '+' ? 'positive' : 'negative');
  }
  await testInfo.attach('step-values', { body: await page.locator('section[aria-labelledby="inspector-title"]').screenshot(), contentType: 'image/png' });
  expect(problems).toEqual([]);
});
