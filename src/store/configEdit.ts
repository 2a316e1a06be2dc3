/** Editing a run config field by field: immutable path updates and problems grouped by the section they belong to. */
import { DEFAULT_RUN, runProblems, type RunConfig } from '../rl/runConfig';

/** A copy of `obj` with the value at `path` (dot-separated) replaced; missing objects on the way are created. */
export function setIn<T extends object>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const src = obj as Record<string, unknown>;
  const next = rest.length ? setIn((src[head] as object | undefined) ?? {}, rest.join('.'), value) : value;
  return { ...src, [head]: next } as T;
}

export function getIn(obj: object, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

export type Section = 'task' | 'model' | 'rollout' | 'algorithm' | 'rewards' | 'run';

const ROLLOUT_KEYS = ['num_generations', 'prompts_per_step', 'temperature', 'top_p', 'top_k', 'max_completion_length', 'minibatches'];

/** The run config's sections that belong to one algorithm: every section besides the shared ones. */
const SHARED_SECTIONS = ['algorithm', 'task', 'difficulty', 'seed', 'model', 'sft', 'grpo', 'rewards', 'iterations', 'eval'];
const ALGORITHM_SECTIONS = Object.keys(DEFAULT_RUN).filter((k) => !SHARED_SECTIONS.includes(k));

function sectionOf(problem: string): Section {
  if (problem.startsWith('task') || problem.startsWith('difficulty')) return 'task';
  if (problem.startsWith('model')) return 'model';
  // The algorithm's name and each algorithm's own section (dpo.beta, selfInstruct.filter, …) are set in the algorithm panel.
  if (problem.startsWith('algorithm') || ALGORITHM_SECTIONS.some((a) => problem.startsWith(`${a}.`))) return 'algorithm';
  if (problem.startsWith('grpo')) return ROLLOUT_KEYS.some((k) => problem.includes(k)) ? 'rollout' : 'algorithm';
  if (problem.startsWith('rewards')) return 'rewards';
  return 'run';
}

/** Every problem of a (possibly half-edited) config, by section; a config too broken to check is one 'run' problem. */
export function problemsBySection(draft: RunConfig): Record<Section, string[]> {
  const out: Record<Section, string[]> = { task: [], model: [], rollout: [], algorithm: [], rewards: [], run: [] };
  let problems: string[];
  try {
    problems = runProblems(draft);
  } catch (e) {
    problems = [`config: ${(e as Error).message}`];
  }
  for (const p of problems) out[sectionOf(p)].push(p);
  return out;
}

export function hasProblems(p: Record<Section, string[]>): boolean {
  return Object.values(p).some((list) => list.length > 0);
}
