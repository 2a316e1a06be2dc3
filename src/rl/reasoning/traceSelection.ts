/**
 * Trace selection for a warm-start, after NaturalThoughts (arXiv 2507.01921): from a pool of teacher traces, pick
 * a fixed budget of them to distil a student on. docs/reasoning.md defines the selectors:
 *   random        a uniform sample without replacement;
 *   long          sampling without replacement with weight w = min(1, (length/C)^τ) (length in tokens);
 *   disagreement  traces whose teacher answer differs from a second model's, then agreeing ones to fill the budget;
 *   diversity     a strategy-diversity proxy: traces grouped by their operation pattern (the binary operators the
 *                 trace applies, in order), richer patterns first, one trace per pattern in turn.
 * Every draw comes from Rng(seed, TRACE_SELECTION_STREAM), so a selection is a pure function of its inputs.
 */
import { Rng } from '../../engine/rng';
import { TRACE_SELECTION_STREAM } from '../../engine/streams';

export const TRACE_SELECTORS = ['random', 'long', 'disagreement', 'diversity'] as const;
export type TraceSelector = (typeof TRACE_SELECTORS)[number];

export interface Trace {
  /** The teacher's completion (scratchpad and answer); one character is one token. */
  text: string;
  /** The answers of the teacher and of a second model to the same prompt (null: none extracted). */
  teacherAnswer: string | null;
  secondAnswer: string | null;
}

export interface SelectionOptions {
  seed: number;
  budget: number;
  /** C of the long selector: traces this long or longer all weigh 1 (default: the pool's longest trace). */
  lengthScale?: number;
  /** τ of the long selector (NaturalThoughts used 2.5). */
  tau?: number;
}

/** The indices of the chosen traces, in the order they were picked. */
export function selectTraces(traces: readonly Trace[], selector: TraceSelector, options: SelectionOptions): number[] {
  const { seed, budget } = options;
  if (!Number.isInteger(budget) || budget < 0 || budget > traces.length) {
    throw new Error(`trace selection: budget must be an integer in [0, ${traces.length}] (got ${budget})`);
  }
  const rng = new Rng(seed, TRACE_SELECTION_STREAM);
  const all = traces.map((_, i) => i);
  switch (selector) {
    case 'random':
      return shuffled(all, rng).slice(0, budget);
    case 'long': {
      const lengths = traces.map((t) => [...t.text].length);
      return weightedWithoutReplacement(longWeights(lengths, options.lengthScale ?? Math.max(1, ...lengths), options.tau ?? 2.5), budget, rng);
    }
    case 'disagreement': {
      const disagrees = (t: Trace) => t.teacherAnswer !== t.secondAnswer;
      const first = shuffled(all.filter((i) => disagrees(traces[i])), rng);
      return [...first, ...shuffled(all.filter((i) => !disagrees(traces[i])), rng)].slice(0, budget);
    }
    case 'diversity':
      return byPatternRoundRobin(traces, rng).slice(0, budget);
  }
}

/** w = min(1, (length/C)^τ): NaturalThoughts' keep probability for long traces, used as sampling weights. */
export function longWeights(lengths: readonly number[], lengthScale: number, tau: number): number[] {
  if (!(lengthScale > 0) || !(tau >= 0)) throw new Error(`trace selection: C must be positive and τ non-negative (got C=${lengthScale}, τ=${tau})`);
  return lengths.map((l) => Math.min(1, (l / lengthScale) ** tau));
}

/**
 * Draw `count` indices without replacement, each draw with probability proportional to the remaining weights;
 * when every remaining weight is 0 the rest are drawn uniformly.
 */
export function weightedWithoutReplacement(weights: readonly number[], count: number, rng: Rng): number[] {
  const left = weights.map((w, i) => ({ w, i }));
  const out: number[] = [];
  while (out.length < count) {
    const total = left.reduce((s, x) => s + x.w, 0);
    let k = left.length - 1;
    if (total > 0) {
      let u = rng.uniform() * total;
      k = left.findIndex((x) => (u -= x.w) < 0);
      // Rounding can leave u ≥ 0 after the last weight: take the last index with weight.
      if (k < 0) k = left.findLastIndex((x) => x.w > 0);
    } else k = rng.int(left.length);
    out.push(left[k].i);
    left.splice(k, 1);
  }
  return out;
}

/**
 * The strategy proxy of a trace: its binary operators (+ − * after a digit or ')') in order, so "{5+3=8;8*2=16}16"
 * has pattern "+*"; a sign ("=-4") is not an operation.
 */
export function strategyPattern(text: string): string {
  return [...text.matchAll(/(?<=[\d)])[+\-*]/g)].map((m) => m[0]).join('');
}

/** Distinct operations a trace uses: the pattern's richness. */
export function strategyCount(text: string): number {
  return distinctOperations(strategyPattern(text));
}

function distinctOperations(pattern: string): number {
  return new Set(pattern).size;
}

/** Groups by pattern (richest first, ties in random order), shuffled within; then one of each group in turn. */
function byPatternRoundRobin(traces: readonly Trace[], rng: Rng): number[] {
  const groups = new Map<string, number[]>();
  for (const i of shuffled(traces.map((_, i) => i), rng)) {
    const p = strategyPattern(traces[i].text);
    groups.set(p, [...(groups.get(p) ?? []), i]);
  }
  const ordered = [...groups.entries()].sort((a, b) => distinctOperations(b[0]) - distinctOperations(a[0])).map(([, members]) => members);
  const out: number[] = [];
  for (let round = 0; out.length < traces.length; round++) for (const g of ordered) if (round < g.length) out.push(g[round]);
  return out;
}

function shuffled(items: readonly number[], rng: Rng): number[] {
  return rng.permutation(items.length).map((j) => items[j]);
}
