/**
 * A finished run as files: its RunConfig JSON, its metrics as JSONL (one line per step, the `cli train` layout,
 * so runs trained on the command line import too) and the last iteration's rollouts as JSONL. Parsing checks
 * everything and names the file and line of the first problem, so a corrupt import changes nothing.
 */
import * as z from 'zod';
import { RESERVED_KEYS, problemsOf, show, text } from '../model/validation';
import type { RolloutRecord } from '../rl/trainer';
import { REWARD_NAMES, type RewardName } from '../rl/rewards';
import type { CheckpointBytes } from '../worker/protocol';
import { parseRunConfig, type RunConfig } from '../rl/runConfig';
import type { MetricPoint } from './runReducer';

export interface SavedRun {
  id: string;
  name: string;
  /** ms since the epoch. */
  savedAt: number;
  config: RunConfig;
  metrics: Record<string, MetricPoint[]>;
  /** The last iteration's rollouts. */
  rollouts: RolloutRecord[];
  /** The trained policy (config.json + model.safetensors), so the run can be restored after a reload. */
  checkpoint?: CheckpointBytes;
}

export type RunContent = Omit<SavedRun, 'id' | 'savedAt'>;

export interface RunFileTexts {
  config: string;
  metrics: string;
  rollouts: string;
}

/** One object per step, steps ascending; step 0 (before GRPO) is the held-out evaluation, as the CLI writes it. */
export function metricsToJsonl(metrics: Record<string, MetricPoint[]>): string {
  const bySteps = new Map<number, Record<string, number | string>>();
  for (const [name, points] of Object.entries(metrics)) {
    for (const p of points) {
      const row = bySteps.get(p.step) ?? { phase: p.step === 0 ? 'eval' : 'grpo', step: p.step };
      row[name] = p.value;
      bySteps.set(p.step, row);
    }
  }
  return [...bySteps.keys()]
    .sort((a, b) => a - b)
    .map((s) => `${JSON.stringify(bySteps.get(s))}\n`)
    .join('');
}

export function runToFiles(run: RunContent): RunFileTexts {
  return {
    config: `${JSON.stringify(run.config, null, 2)}\n`,
    metrics: metricsToJsonl(run.metrics),
    rollouts: run.rollouts.map((r) => `${JSON.stringify(r)}\n`).join(''),
  };
}

/** Non-empty lines parsed as JSON objects, with 1-based line numbers for messages. */
function jsonLines(text: string, file: string): Array<{ line: number; obj: Record<string, unknown> }> {
  const out: Array<{ line: number; obj: Record<string, unknown> }> = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      throw new Error(`${file} line ${i + 1} is not valid JSON`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error(`${file} line ${i + 1} is not a JSON object`);
    out.push({ line: i + 1, obj: obj as Record<string, unknown> });
  });
  return out;
}

/** Bounds of an imported run: what the curves and the rollout view can show without choking. */
export const RUN_FILE_LIMITS = { metricNames: 256, metricNameChars: 100, textChars: 10_000, tokens: 4096 } as const;

/** SFT lines (phase "sft", from `cli train`) are skipped: the curves are per GRPO step. */
export function parseMetricsJsonl(text: string): Record<string, MetricPoint[]> {
  const metrics: Record<string, MetricPoint[]> = {};
  for (const { line, obj } of jsonLines(text, 'metrics')) {
    if (obj.phase === 'sft') continue;
    const step = obj.step;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new Error(`metrics line ${line} has no step (a non-negative integer)`);
    for (const [name, value] of Object.entries(obj)) {
      if (name === 'step' || name === 'phase') continue;
      if (typeof value !== 'number') throw new Error(`metrics line ${line}: ${show(name)} is not a number`);
      if (RESERVED_KEYS.includes(name) || name.length > RUN_FILE_LIMITS.metricNameChars) throw new Error(`metrics line ${line}: ${show(name)} is not a metric name`);
      if (!Object.hasOwn(metrics, name) && Object.keys(metrics).length >= RUN_FILE_LIMITS.metricNames) {
        throw new Error(`metrics line ${line}: more than ${RUN_FILE_LIMITS.metricNames} different metrics`);
      }
      (metrics[name] ??= []).push({ step, value });
    }
  }
  if (!Object.keys(metrics).length) throw new Error('the metrics file has no metrics');
  for (const points of Object.values(metrics)) points.sort((a, b) => a.step - b.step);
  return metrics;
}

const shownText = text(RUN_FILE_LIMITS.textChars);
const numbers = z.array(z.number(), { error: 'should be an array of numbers' }).max(RUN_FILE_LIMITS.tokens);
const byReward = <T extends z.ZodType>(value: T) =>
  z.partialRecord(z.enum(REWARD_NAMES as unknown as [RewardName, ...RewardName[]]), value, { error: 'should be an object by reward name' });
const VerdictSchema = z.object({ score: z.number(), label: shownText, rationale: shownText, parts: z.record(z.string(), z.number()) }, { error: 'should be a verdict' });

/** One rollout as `cli train` and the app write it; fields added later default, so older files still import. */
const RolloutSchema = z.object({
  iteration: z.int().min(0),
  group: z.int().min(0),
  prompt: shownText,
  gold: shownText,
  completion: shownText,
  tokens: numbers,
  logprobs: numbers,
  refLogprobs: numbers.nullable().default(null),
  entropies: numbers,
  truncated: z.boolean().default(false),
  answer: shownText.nullable().default(null),
  correct: z.boolean(),
  reward: z.number(),
  parts: byReward(z.number()),
  verdicts: byReward(VerdictSchema),
  advantage: z.number(),
  actSeed: z.number(),
  // Files written before the seeded minibatch shuffle trained as one minibatch.
  minibatch: z.int().min(0).default(0),
  pseudoLabel: shownText.nullable().default(null),
});

/** Rollouts JSONL; when it holds several iterations (as `cli train` writes), the last one is kept. */
export function parseRolloutsJsonl(text: string): RolloutRecord[] {
  const rows = jsonLines(text, 'rollouts').map(({ line, obj }) => {
    const parsed = RolloutSchema.safeParse(obj);
    if (!parsed.success) throw new Error(`rollouts line ${line}: ${problemsOf(parsed).join('; ')}`);
    return parsed.data as RolloutRecord;
  });
  const last = rows.reduce((m, r) => Math.max(m, r.iteration), -Infinity);
  return rows.filter((r) => r.iteration === last);
}

/** A run from its files; throws with the file and the reason when any of them cannot be used. */
export function parseRunFiles(name: string, files: { config: string; metrics: string; rollouts?: string }): RunContent {
  let config: RunConfig;
  try {
    config = parseRunConfig(files.config);
  } catch (e) {
    throw new Error(`config: ${(e as Error).message}`);
  }
  return { name, config, metrics: parseMetricsJsonl(files.metrics), rollouts: files.rollouts ? parseRolloutsJsonl(files.rollouts) : [] };
}

/** A file-name stem for a run: its name with anything unusual replaced. */
export function fileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
}
