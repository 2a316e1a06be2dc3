/**
 * The UI stays responsive while the engine worker trains: no main-thread task longer than 50 ms from the click on
 * Train until the run is done, while the curves update live. Page load and the SFT warm-start are outside that
 * window. The report gets every long task with the animation frames around it (which scripts ran, how long
 * rendering took), so a failure says what held the main thread.
 */
import { expect, test } from '@playwright/test';
import { openRun, runStatus as status, TINY_RUN, watch } from './helpers';

const LONG_TASK_MS = 50;
/**
 * 150 iterations: on the CPU path (WebAssembly) one tiny iteration takes a few milliseconds, so a short run would
 * be over before the page drew a frame; this keeps the engine busy for a few seconds of live updates (60 left
 * two redraws in one run of six on this box).
 */
const RUN = { ...TINY_RUN, iterations: 150 };
/**
 * Live, not drawn once at the end. The page coalesces fast iterations into frames, so how many redraws a run gets
 * depends on the machine's speed (4–8 for 40 iterations here); three is the floor that still tells live from once.
 */
const MIN_REDRAWS = 3;

interface Span {
  start: number;
  duration: number;
}

/** A long animation frame: its scripts over 5 ms and when rendering (style, layout, paint) began. */
interface Frame extends Span {
  renderStart: number;
  scripts: string[];
}

/** The fields of a long-animation-frame entry read here (not in TypeScript's DOM types yet). */
interface LoafEntry extends PerformanceEntry {
  renderStart: number;
  scripts: { invoker: string; sourceFunctionName: string; duration: number }[];
}

/** What the init script keeps on `window.recorded`. */
interface Recorded {
  longTasks: Span[];
  frames: Frame[];
  /** performance.now() when the run status pill last left 'training'. */
  trainingEnd: number | null;
  /** Distinct shapes the reward curve took while the status said 'training'. */
  rewardCurves: string[];
}

/** Runs before the app loads: record long tasks and frames, the end of training and each live redraw of the reward curve. */
function recordLongTasks() {
  const rec: Recorded = { longTasks: [], frames: [], trainingEnd: null, rewardCurves: [] };
  (window as unknown as { recorded: Recorded }).recorded = rec;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) rec.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as LoafEntry[]) {
      rec.frames.push({
        start: e.startTime,
        duration: e.duration,
        renderStart: e.renderStart,
        scripts: e.scripts.map((s) => `${s.invoker} ${s.sourceFunctionName} ${Math.round(s.duration)} ms`),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
  let training = false;
  new MutationObserver(() => {
    const text = document.querySelector('[role="status"][aria-label="Run status"]')?.textContent;
    if (text === 'training') {
      training = true;
      const curve = document.querySelector('figure.chart[data-metric="reward"] path.line')?.getAttribute('d');
      if (curve && curve !== rec.rewardCurves.at(-1)) rec.rewardCurves.push(curve);
    } else if (training) {
      training = false;
      rec.trainingEnd = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['d'] });
}


test('training in the worker keeps every main-thread task under 50 ms while the curves update live', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await page.addInitScript(recordLongTasks);
  await openRun(page, RUN);
  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 60_000 });

  const start = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByText(`GRPO iteration ${RUN.iterations}/${RUN.iterations}`)).toBeVisible();

  const { longTasks, frames, trainingEnd, rewardCurves } = await page.evaluate(() => (window as unknown as { recorded: Recorded }).recorded);
  expect(trainingEnd).not.toBeNull();
  const end = trainingEnd!;
  const during = longTasks.filter((t) => t.start >= start && t.start <= end);
  const ms = (x: number) => Math.round(x);
  const report = {
    trainingMs: ms(end - start),
    rewardCurveRedraws: rewardCurves.length,
    // Times in ms after the click on Train.
    longTasksDuringTraining: during.map((t) => ({
      at: ms(t.start - start),
      ms: ms(t.duration),
      frames: frames
        .filter((f) => f.start < t.start + t.duration && t.start < f.start + f.duration)
        .map((f) => ({ at: ms(f.start - start), ms: ms(f.duration), renderingMs: f.renderStart ? ms(f.start + f.duration - f.renderStart) : 0, scripts: f.scripts })),
    })),
    longTasksOutsideTraining: longTasks.filter((t) => !during.includes(t)).map((t) => ({ at: ms(t.start - start), ms: ms(t.duration) })),
  };
  await testInfo.attach('long-tasks.json', { body: JSON.stringify(report, null, 2), contentType: 'application/json' });
  // Live: the reward curve was redrawn while the run was still training, not only once at the end.
  expect(rewardCurves.length).toBeGreaterThanOrEqual(MIN_REDRAWS);
  expect(during.filter((t) => t.duration > LONG_TASK_MS)).toEqual([]);
  expect(problems).toEqual([]);
});
