/**
 * `npm run json-schema`: writes docs/run-config.schema.json from the run config schema
 * (tests/rl/runConfigJsonSchema.test.ts keeps it current).
 */
import { writeFileSync } from 'node:fs';
import { runConfigJsonSchema } from '../src/rl/runConfigJsonSchema';

writeFileSync('docs/run-config.schema.json', `${JSON.stringify(runConfigJsonSchema(), null, 2)}\n`);
