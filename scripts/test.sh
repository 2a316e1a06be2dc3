#!/usr/bin/env bash
# The one test command (`npm test`): system packages, typecheck, lint, Node tests, browser GPU parity, e2e.
# Each stage runs in order and the first failure stops the script with a non-zero exit status.
set -euo pipefail
cd "$(dirname "$0")/.."

# Dawn (npm `webgpu`) in Node tests runs on Mesa's lavapipe; pin it when present so a stray ICD is not picked.
lvp_icd=/usr/share/vulkan/icd.d/lvp_icd.json
if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$lvp_icd" ]; then export VK_ICD_FILENAMES=$lvp_icd; fi

stage_start=0
current='setup'
stage() {
  current=$1
  printf '\n==== %s ====\n' "$1"
  stage_start=$SECONDS
}
done_stage() { printf -- '---- ok (%ss)\n' $((SECONDS - stage_start)); }
trap 'code=$?; if [ $code -ne 0 ]; then printf "\n==== FAILED: %s (exit %s) ====\n" "$current" "$code" >&2; fi' EXIT

stage 'system packages (chromium, lavapipe)'
bash scripts/install-system-deps.sh
done_stage

stage 'typecheck: tsc -p .'
npx tsc -p .
done_stage

stage 'lint: eslint . --max-warnings=0'
npx eslint . --max-warnings=0
done_stage

stage 'unit + GPU tests in Node: vitest --project node'
npx vitest run --project node
done_stage

stage 'GPU parity in Chromium: vitest --project browser'
npx vitest run --project browser
done_stage

stage 'end-to-end: playwright test (production build + preview)'
npx playwright test
done_stage

printf '\n==== all stages passed (%ss) ====\n' "$SECONDS"
