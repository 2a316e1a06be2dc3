#!/usr/bin/env bash
# Bundles the GPU check (scripts/gpuCheck.ts) and the bench (scripts/bench.ts) into .gpu/gpucheck.mjs and
# .gpu/bench.mjs: single ESM files that run under a bare `node` with no node_modules, as on the GPU machine
# (no Node.js and no network there, everything travels in the working tree).
#   - shaders imported as `x.wgsl?raw` are inlined as strings (esbuild retries the path without `?raw`, and the
#     text loader makes the file's contents the default export, as Vite's ?raw does);
#   - 'webgpu' stays external (its dawn.node cannot be bundled) and its import is pointed at the copy of the
#     package in .gpu/webgpu, which must sit beside the bundles.
# `npm run bundle:gpu` (or `bash scripts/bundle-gpu.sh`). .gpu/ (ignored by git) also holds what the machine lacks:
# node.xz (this node binary, xz-compressed), webgpu/ (node_modules/webgpu with only dist/linux-x64) and gl/*.deb
# (the Vulkan and GL loader packages, unpacked there with dpkg -x).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.gpu
[ -f "$out/webgpu/index.js" ] || { echo "bundle-gpu: $out/webgpu/index.js is missing (copy node_modules/webgpu there first)" >&2; exit 1; }

bundle() { # entry, output file
  node_modules/.bin/esbuild "$1" --bundle --platform=node --format=esm --target=node20 \
    --loader:.wgsl=text --external:webgpu --log-level=warning --outfile="$2"
  # The one import of the package (src/node/gpu.ts) is dynamic; point it at the carried copy.
  local n
  n=$(grep -c 'import("webgpu")' "$2" || true)
  [ "$n" = 1 ] || { echo "bundle-gpu: expected one import(\"webgpu\") in $2, found $n" >&2; exit 1; }
  sed -i 's#import("webgpu")#import("./webgpu/index.js")#' "$2"
}

bundle scripts/gpuCheck.ts "$out/gpucheck.mjs"
bundle scripts/bench.ts "$out/bench.mjs"
ls -l "$out"/gpucheck.mjs "$out"/bench.mjs
