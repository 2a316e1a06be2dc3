/** The layer rule in eslint.config.js, exercised through ESLint's Node API on snippets placed in each layer. */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** Lint `import { x } from '<source>'` as if it lived at `file`; returns every message. */
async function lintImport(file: string, source: string) {
  const [result] = await eslint.lintText(`import { x } from '${source}';\nexport const y = x;\n`, { filePath: file });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const forbidden: [file: string, source: string][] = [
  ['src/engine/x.ts', 'react'],
  ['src/engine/backend/webgpu/x.ts', 'react-dom/client'],
  ['src/engine/x.ts', 'zustand'],
  ['src/engine/x.ts', 'd3'],
  ['src/engine/x.ts', '../model/config'],
  ['src/engine/ops/x.ts', '../../store/deviceStore'],
  ['src/model/x.ts', '../rl/grpo'],
  ['src/model/x.ts', 'react'],
  ['src/rl/x.ts', '../store/deviceStore'],
  ['src/rl/x.ts', 'd3-scale'],
  ['src/worker/x.ts', '../ui/App'],
  ['src/store/x.ts', '../ui/App'],
  ['src/store/x.ts', 'react-dom'],
  ['src/store/x.ts', 'd3-array'],
  ['src/main.tsx', 'd3'],
];

const allowed: [file: string, source: string][] = [
  ['src/engine/x.ts', './shape'],
  ['src/engine/backend/webgpu/x.ts', '../../tensor'],
  ['src/model/x.ts', '../engine/tensor'],
  ['src/rl/x.ts', '../model/config'],
  ['src/worker/x.ts', '../engine/backend'],
  ['src/store/x.ts', 'zustand'],
  ['src/store/x.ts', '../worker/protocol'],
  ['src/ui/x.tsx', 'd3'],
  ['src/ui/x.tsx', 'react'],
  ['src/ui/x.tsx', '../store/deviceStore'],
  ['src/engine/x.ts', 'reactive-thing'],
];

describe('layer rule (eslint no-restricted-imports)', () => {
  it.each(forbidden)('%s may not import %s', async (file, source) => {
    const messages = await lintImport(file, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^no-restricted-imports: .*layer rule/);
  });

  it.each(allowed)('%s may import %s', async (file, source) => {
    expect(await lintImport(file, source)).toEqual([]);
  });
});
