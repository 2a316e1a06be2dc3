import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dev server injects CSS as <style> elements, which index.html's style-src 'self' blocks. Relax that one
 * directive while serving only; the production build links its CSS as a file and keeps the strict policy.
 */
function devInlineStyles(): Plugin {
  return {
    name: 'grpo:dev-inline-styles',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  plugins: [react(), devInlineStyles()],
  // The engine runs in a module worker; ES format lets worker chunks share code-split imports with the page.
  worker: { format: 'es' },
  // Pre-bundling onnxruntime-web would break its `new URL('*.wasm', import.meta.url)` in the dev server.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022' },
  // Fixed port: the e2e webServer and the README point at it.
  preview: { port: 4173, strictPort: true },
});
