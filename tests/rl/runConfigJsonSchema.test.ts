/** docs/run-config.schema.json is the run config schema as it is now (regenerate: npm run json-schema). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigJsonSchema } from '../../src/rl/runConfigJsonSchema';

describe('run config JSON Schema', () => {
  it('is committed up to date', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'run-config.schema.json'), 'utf8'));
    expect(committed).toEqual(runConfigJsonSchema());
  });

  it('spells out bounds, defaults and strictness', () => {
    const s = runConfigJsonSchema() as { additionalProperties: boolean; required?: string[]; properties: Record<string, { properties: Record<string, object>; additionalProperties: boolean }> };
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toBeUndefined();
    expect(s.properties.grpo.additionalProperties).toBe(false);
    expect(s.properties.grpo.properties.num_generations).toMatchObject({ type: 'integer', minimum: 2, maximum: 64, default: 8 });
    expect(s.properties.grpo.properties.dynamic_sampling_rounds).toMatchObject({ maximum: 16 });
    expect(s.properties.model.properties.nEmbd).toMatchObject({ type: 'integer', maximum: 512 });
    expect(s.properties.grpo.properties.learning_rate).toMatchObject({ type: 'number', minimum: 0, maximum: 3.4028234663852886e38 });
  });
});
