/**
 * The run config schema as JSON Schema (draft 2020-12), for docs/run-config.schema.json: editors can check a
 * `cli train --config` file against it. A file may leave out anything (missing settings take the defaults, shown
 * as `default`); the rules across fields (minibatches dividing prompts_per_step, the RNG layout's completion
 * budget, the task's difficulty knobs, heads dividing the width) are checked by the app and named in
 * `description`s here.
 */
import * as z from 'zod';
import { DEFAULT_RUN, RunSchema } from './runConfig';
import { TASKS } from './tasks/registry';

type Node = Record<string, unknown>;

export function runConfigJsonSchema(): Node {
  const schema = z.toJSONSchema(RunSchema, { target: 'draft-2020-12' }) as Node;
  withDefaults(schema, DEFAULT_RUN);
  schema.title = 'GRPO Playground run config';
  schema.description =
    'Every setting of a run. Any may be left out (the default is used). Rules across fields are checked by the app: ' +
    'grpo.minibatches divides grpo.prompts_per_step; prompts_per_step × num_generations × (dynamic_sampling_rounds + 1) ≤ 4096; ' +
    'eval.n × num_generations ≤ 4096; model heads divide the width into even head sizes; MTA layers exist and head groups divide the heads.';
  (schema.properties as Record<string, Node>).difficulty.description = `The task's difficulty knobs (integers): ${TASKS.map(
    (t) => `${t.name}: ${t.knobs.map((k) => `${k.name} ${k.min}–${k.max}`).join(', ')}`,
  ).join('; ')}.`;
  return schema;
}

/** Drop `required` (a file may omit anything) and record each default next to its property. */
function withDefaults(node: Node, defaults: unknown): void {
  delete node.required;
  const props = node.properties as Record<string, Node> | undefined;
  if (!props) return;
  for (const [key, child] of Object.entries(props)) {
    const value = typeof defaults === 'object' && defaults !== null ? (defaults as Record<string, unknown>)[key] : undefined;
    if (value !== undefined && (typeof value !== 'object' || value === null)) child.default = value;
    withDefaults(child, value);
  }
}
