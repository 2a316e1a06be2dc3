/** What differs between run configs, so overlaid curves are labelled by the settings that tell them apart. */
import type { RunConfig } from '../rl/runConfig';

/** Leaf values by dotted path ("grpo.beta"); arrays are leaves (compared as JSON). */
export function flattenConfig(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = JSON.stringify(value);
  return out;
}

/** Paths whose value is not the same in every config (missing counts as a value), sorted. */
export function differingPaths(configs: readonly RunConfig[]): string[] {
  const flat = configs.map((c) => flattenConfig(c));
  const paths = new Set(flat.flatMap((f) => Object.keys(f)));
  return [...paths].filter((p) => new Set(flat.map((f) => f[p] ?? 'unset')).size > 1).sort();
}

/**
 * One legend label per config: "path=value" for every differing path (at most `maxParts`, then "+N more"), or
 * the fallback names when the configs are identical.
 */
export function diffLabels(configs: readonly RunConfig[], fallback: readonly string[], maxParts = 3): string[] {
  const paths = differingPaths(configs);
  if (!paths.length || configs.length < 2) return [...fallback];
  return configs.map((c) => {
    const flat = flattenConfig(c);
    const parts = paths.slice(0, maxParts).map((p) => `${p}=${flat[p] ?? 'unset'}`);
    if (paths.length > maxParts) parts.push(`+${paths.length - maxParts} more`);
    return parts.join(', ');
  });
}
