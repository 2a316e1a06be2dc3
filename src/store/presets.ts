/**
 * The app's view of the preset catalog (src/rl/presets/catalog.ts): each preset parsed into a RunConfig with
 * parseRunConfig like any other config (tests/store/presets.test.ts keeps them valid).
 */
import { PRESETS, type Preset } from '../rl/presets/catalog';
import { parseRunConfig, type RunConfig } from '../rl/runConfig';

export { PRESETS, type Preset };

export function presetRun(preset: Preset): RunConfig {
  return parseRunConfig(preset.config);
}
