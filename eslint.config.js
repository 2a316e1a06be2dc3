// Flat config. Beyond typescript-eslint's recommended rules it enforces the LAYER RULE:
// src/engine → src/model → src/rl → src/worker → src/store → src/ui; a layer never imports a layer above it,
// and only the top layers may import React, zustand or d3. Imports are matched by text, so the layer names
// (model, rl, worker, store, ui) must not be reused as directory names inside src/engine, src/model, src/rl.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** A relative import that climbs into the named top-level src/ directories. */
const upInto = (dirs) => `^(\\.\\./)+(${dirs.join('|')})(/|$)`;
const pkg = (names) => `^(${names.join('|')})(/|$)`;

const REACT = pkg(['react', 'react-dom']);
const REACT_DOM = pkg(['react-dom']);
const ZUSTAND = pkg(['zustand']);
const D3 = pkg(['d3', 'd3-[a-z0-9-]+']);

/** no-restricted-imports for files under `files`, forbidding the given [regex, why] pairs. */
function layer(files, name, forbidden, ignores = []) {
  return {
    name: `layers/${name}`,
    files,
    ignores,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: forbidden.map(([regex, why]) => ({ regex, message: `${name}: ${why} (layer rule, see README "Layout").` })) },
      ],
    },
  };
}

const ts = (dir) => [`${dir}/**/*.ts`, `${dir}/**/*.tsx`];

export default defineConfig(
  // wasm/ is AssemblyScript (its own types and decorators), compiled by scripts/build-wasm.ts, not linted as TypeScript.
  { ignores: ['dist/', 'node_modules/', 'playwright-report/', 'test-results/', '.vitest-attachments/', 'out/', 'wasm/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    // Plain-JS files here are Node ESM scripts and configs; no-undef needs to know Node's globals.
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  layer(['src/**/*.ts', 'src/**/*.tsx'], 'src', [[D3, 'only src/ui may import d3']], ['src/ui/**']),
  layer(ts('src/engine'), 'src/engine', [
    [upInto(['model', 'rl', 'worker', 'node', 'cli', 'store', 'ui']), 'the engine is the bottom layer'],
    [REACT, 'the engine runs in workers and Node, without React'],
    [ZUSTAND, 'app state belongs to src/store'],
    [D3, 'only src/ui may import d3'],
  ]),
  layer(ts('src/model'), 'src/model', [
    [upInto(['rl', 'worker', 'node', 'cli', 'store', 'ui']), 'the model sits below rl, worker, store and ui'],
    [REACT, 'the model runs in workers and Node, without React'],
    [ZUSTAND, 'app state belongs to src/store'],
    [D3, 'only src/ui may import d3'],
  ]),
  layer(ts('src/rl'), 'src/rl', [
    [upInto(['worker', 'node', 'cli', 'store', 'ui']), 'rl sits below worker, store and ui'],
    [REACT, 'rl runs in workers and Node, without React'],
    [ZUSTAND, 'app state belongs to src/store'],
    [D3, 'only src/ui may import d3'],
  ]),
  layer(ts('src/worker'), 'src/worker', [
    [upInto(['node', 'cli', 'store', 'ui']), 'the worker only hosts engine, model and rl'],
    [REACT, 'workers have no DOM'],
    [ZUSTAND, 'app state belongs to src/store'],
    [D3, 'only src/ui may import d3'],
  ]),
  // Node-only entry points (CLI, bench helpers): engine, model and rl, never the browser app.
  ...['src/node', 'src/cli'].map((dir) =>
    layer(ts(dir), dir, [
      [upInto(['worker', 'store', 'ui']), 'Node code does not use the browser app'],
      [REACT, 'Node code does not use React'],
      [ZUSTAND, 'app state belongs to src/store'],
      [D3, 'only src/ui may import d3'],
    ]),
  ),
  layer(ts('src/store'), 'src/store', [
    [upInto(['ui']), 'the store sits below the UI'],
    [REACT_DOM, 'rendering belongs to src/ui'],
    [D3, 'only src/ui may import d3'],
  ]),
);
