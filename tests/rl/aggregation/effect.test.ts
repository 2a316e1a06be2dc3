/**
 * The defining effect of aggregation training, seeded on wasm (the aggregation preset's model and settings, shorter):
 * after 20 iterations the policy aggregating its own pools answers held-out problems better than its single samples
 * and better than the same warm-started policy aggregated before training, and no round passes the pool's ceiling
 * (pass@m of the initial pool). A long test (a 600-step warm-start of the preset's model): the preset harness
 * measures the full claim over three seeds.
 */
import { expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { AggregationTrainer } from '../../../src/rl/aggregation/trainer';
import { Experiment } from '../../../src/rl/experiment';
import { getPreset } from '../../../src/rl/presets/catalog';
import { parseRunConfig } from '../../../src/rl/runConfig';
import type { Metrics } from '../../../src/rl/trainer';

const ITERATIONS = 20;

it('after training, aggregation pass@1 beats single samples and the untrained aggregator, under the pool ceiling', { timeout: 300_000 }, async () => {
  const run = parseRunConfig({ ...getPreset('aggregation').config, seed: 1, iterations: ITERATIONS });
  const exp = new Experiment(await createWasmBackend(), run);
  await exp.warmStart();
  const trainer = new AggregationTrainer(exp.be, exp.policy, exp.tokenizer, exp.task, { ...run, evalN: run.eval.n });
  const before = (await trainer.evaluate()).metrics;
  for (let i = 0; i < ITERATIONS; i++) await trainer.step();
  const after = (await trainer.evaluate()).metrics;
  const round = (m: Metrics, t: number) => m[`aggregation/pass@1_round${t}`];
  console.info(`aggregation effect: before ${JSON.stringify(before)}\nafter ${JSON.stringify(after)}`);
  expect(round(after, 1)).toBeGreaterThan(round(after, 0));
  expect(round(after, 1)).toBeGreaterThan(round(before, 1));
  for (const m of [before, after]) {
    for (let t = 0; t <= run.aggregation.rounds; t++) expect(round(m, t)).toBeLessThanOrEqual(m['aggregation/pool_pass@m']);
  }
});
