/**
 * The whole run from one button, and runs that survive a reload: Train on a fresh run warm-starts first; a run
 * without warm-start steps says so; a reload mid-run offers "Resume run from iteration k", and the resumed run ends
 * with the same curves as one never interrupted (timings excluded).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { openRun, runStatus as status, TINY_RUN, watch } from './helpers';

const RUN = { ...TINY_RUN, seed: 23, iterations: 6 };

/** Curves of the runs kept for comparison (each finished run is saved there), read from IndexedDB. */
async function savedMetrics(page: Page): Promise<Array<Record<string, Array<{ step: number; value: number }>>>> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('grpo-playground', 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('runs', 'readonly').objectStore('runs').getAll();
          req.onsuccess = () => resolve((req.result as Array<{ metrics: Record<string, Array<{ step: number; value: number }>> }>).map((r) => r.metrics));
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

const deterministic = (m: Record<string, Array<{ step: number; value: number }>>) =>
  Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'step_time' && !k.startsWith('time/')));

/** A page in a fresh browser profile (its own IndexedDB), keeping a checkpoint after every iteration. */
/** How many runs are kept for reload in the page's IndexedDB (0 before the first checkpoint creates the database). */
function keptRuns(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'grpo-playground-live')) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('grpo-playground-live');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('checkpoints')) return resolve(0);
        const count = db.transaction('checkpoints').objectStore('checkpoints').count();
        count.onsuccess = () => resolve(count.result);
        count.onerror = () => reject(count.error);
      };
    });
  });
}

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript(() => localStorage.setItem('grpo-playground.checkpointSeconds', '0'));
  return context.newPage();
}

test('Train on a fresh run warm-starts first, with its own progress; a run without warm-start says so', async ({ browser, page, baseURL }) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, TINY_RUN);
  await expect(page.getByRole('note').filter({ hasText: 'No warm-start in this run' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByText('SFT warm-start 5/5')).toBeVisible();
  await expect(page.getByText('GRPO iteration 2/2')).toBeVisible();
  // Held-out accuracy has its step-0 point: the baseline right after the warm-start.
  await expect(page.locator('figure.chart[data-metric~="accuracy"] circle.dot')).toHaveCount(9);

  expect(problems).toEqual([]);

  const cold = await freshPage(browser);
  await openRun(cold, { ...TINY_RUN, sft: { ...TINY_RUN.sft, steps: 0 } });
  await expect(cold.getByRole('note').filter({ hasText: 'No warm-start in this run (SFT steps = 0)' })).toBeVisible();
});

test('a reload mid-run offers the run back, and the resumed run ends exactly as one never interrupted', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const straight = await freshPage(browser);
  await openRun(straight, RUN);
  await straight.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status(straight)).toHaveText('done', { timeout: 90_000 });
  await expect.poll(() => savedMetrics(straight), { timeout: 30_000 }).toHaveLength(1);
  const [reference] = await savedMetrics(straight);
  await straight.context().close();

  const page = await freshPage(browser);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, RUN);
  await page.getByLabel('speed').selectOption({ label: '1 iteration / s' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/GRPO iteration [2-4]\/6/)).toBeVisible({ timeout: 60_000 });
  await page.reload();

  const resume = page.getByRole('button', { name: /^Resume run from iteration \d$/ });
  await expect(resume).toBeVisible({ timeout: 30_000 });
  const k = Number((await resume.textContent())!.match(/\d$/)![0]);
  expect(k).toBeGreaterThanOrEqual(2);
  await expect(page.getByLabel('Storage use')).toContainText(/storage .* of /);
  await resume.click();
  await expect(status(page)).toHaveText('paused', { timeout: 30_000 });
  await expect(page.getByText(`GRPO iteration ${k}/6`)).toBeVisible();
  await page.getByLabel('speed').selectOption({ label: 'full speed' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 90_000 });
  await expect.poll(() => savedMetrics(page), { timeout: 30_000 }).toHaveLength(1);
  const [resumed] = await savedMetrics(page);
  expect(resumed.reward.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(deterministic(resumed)).toEqual(deterministic(reference));
  expect(problems).toEqual([]);
});

test('a second tab leaves the run of the first alone and says it is open elsewhere', async ({ browser }) => {
  test.setTimeout(120_000);
  const first = await freshPage(browser);
  await openRun(first, RUN);
  await first.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status(first)).toHaveText('paused', { timeout: 60_000 });
  // The pause's checkpoint is written after the status changes; the second tab reads the kept runs when it opens.
  await expect.poll(() => keptRuns(first), { timeout: 30_000 }).toBe(1);
  const second = await first.context().newPage();
  await openRun(second, RUN);
  await expect(second.getByRole('note').filter({ hasText: 'A run is open in another tab' })).toBeVisible({ timeout: 30_000 });
  await expect(second.getByRole('button', { name: /^Resume run from iteration/ })).toHaveCount(0);
});
