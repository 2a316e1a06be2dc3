/**
 * Accessibility of the whole page with a trained run on screen (every panel filled), in both themes: axe-core's
 * WCAG 2 A/AA rules, with no serious or critical violation allowed. The full report is attached either way.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openRun, TINY_RUN, warmStartAndTrain, watch } from './helpers';


test('no serious or critical WCAG 2 A/AA violations with a run on screen, light and dark', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, TINY_RUN);
  await warmStartAndTrain(page);

  for (const theme of ['Light', 'Dark']) {
    await page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: theme }).check();
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    await testInfo.attach(`axe-${theme.toLowerCase()}.json`, { body: JSON.stringify(result.violations, null, 2), contentType: 'application/json' });
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target.join(' ')}`);
    expect(serious, `${theme} theme`).toEqual([]);
  }
  expect(problems).toEqual([]);
});
