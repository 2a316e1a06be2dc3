// Node ESM loader hook: `import x from './file.wgsl?raw'` yields the file's text, as Vite does, so the engine's
// shader imports work in the Node CLI and bench (run through tsx with `--import ./scripts/raw-loader.mjs`).
import { register } from 'node:module';
import { readFile } from 'node:fs/promises';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('?raw')) {
    const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  }
  return nextLoad(url, context);
}

if (!globalThis.__rawLoaderRegistered) {
  globalThis.__rawLoaderRegistered = true;
  register(import.meta.url);
}
