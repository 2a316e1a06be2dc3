/**
 * From a pool of sampled answers to what the aggregator reads and what the vote baselines compare: the aggregation
 * prompt of a problem over its pool, and when two answers count as the same for the equivalence-aware vote.
 */
import { aggregationPrompt, polynomialsEquivalent } from '../reasoning/aggregation';
import { polyDerivative, polyExpansion } from '../tasks/mathObjects';
import type { Task } from '../tasks/types';

/** Tasks whose answers are polynomials: any equivalent surface form is the same answer. */
const POLYNOMIAL_TASKS: readonly string[] = [polyDerivative.name, polyExpansion.name];

/**
 * The aggregation prompt listing a pool's answers. An answer that contains the prompt's terminator could not be told
 * apart from the next slot; it is no answer the task accepts either, so it is listed as an empty slot.
 */
export function poolPrompt(problem: string, answers: readonly (string | null)[]): string {
  const terminator = problem.slice(-1);
  return aggregationPrompt(
    problem,
    answers.map((a) => (a !== null && a.includes(terminator) ? null : a)),
  );
}

/** The equivalence of the equivalence-aware vote: symbolic for polynomial answers, exact match otherwise. */
export function answerEquivalence(task: Task): (a: string, b: string) => boolean {
  return POLYNOMIAL_TASKS.includes(task.name) ? polynomialsEquivalent : (a, b) => a === b;
}
