/**
 * Which of a prompt's G completions make its preference pair (docs/dpo.md; arXiv 2506.21495 §3): one pair per
 * prompt at most, and prompts that cannot make one are skipped.
 */
import type { Rng } from '../../engine/rng';
import type { PairRule } from './config';

/** What pair selection reads from one prompt's scored completions. */
export interface ScoredGroup {
  correct: readonly boolean[];
  rewards: readonly number[];
}

/** A preference pair: completion indices within group `group`. */
export interface PreferencePair {
  group: number;
  chosen: number;
  rejected: number;
}

export interface Pairing {
  pairs: PreferencePair[];
  /** Prompts that made no pair (one kind only, or all rewards tied). */
  skipped: number;
}

/**
 * One pair per group where the rule finds one. 'random' draws a correct and an incorrect completion uniformly from
 * `rng` (two draws per pairable group, in group order); 'best_worst' takes the first completion with the highest
 * reward and the first with the lowest (completions are exchangeable, so "first" is as fair as a draw).
 */
export function selectPairs(groups: readonly ScoredGroup[], rule: PairRule, rng: Rng): Pairing {
  const pairs: PreferencePair[] = [];
  groups.forEach((g, group) => {
    const pair = rule === 'random' ? randomCorrectIncorrect(g, rng) : bestWorst(g);
    if (pair) pairs.push({ group, ...pair });
  });
  return { pairs, skipped: groups.length - pairs.length };
}

function randomCorrectIncorrect(g: ScoredGroup, rng: Rng): Omit<PreferencePair, 'group'> | null {
  const correct: number[] = [], incorrect: number[] = [];
  g.correct.forEach((c, i) => (c ? correct : incorrect).push(i));
  if (!correct.length || !incorrect.length) return null;
  return { chosen: correct[rng.int(correct.length)], rejected: incorrect[rng.int(incorrect.length)] };
}

function bestWorst(g: ScoredGroup): Omit<PreferencePair, 'group'> | null {
  let best = 0, worst = 0;
  g.rewards.forEach((r, i) => {
    if (r > g.rewards[best]) best = i;
    if (r < g.rewards[worst]) worst = i;
  });
  return g.rewards[best] > g.rewards[worst] ? { chosen: best, rejected: worst } : null;
}
