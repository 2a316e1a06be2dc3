/** Every task by name; the app's task picker, the CLI and configs use these names. */
import { addition, multiplication } from './arithmetic';
import { countdown } from './countdown';
import { findBlock } from './findBlock';
import { polyDerivative, polyExpansion } from './mathObjects';
import { multiStep } from './multiStep';
import { counting, parity, reversal, sorting } from './strings';
import { thinkBudget } from './think';
import type { Task } from './types';

export const TASKS: readonly Task[] = [
  addition,
  multiplication,
  reversal,
  sorting,
  parity,
  counting,
  findBlock,
  countdown,
  polyDerivative,
  polyExpansion,
  multiStep,
  thinkBudget,
];

export function getTask(name: string): Task {
  const task = TASKS.find((t) => t.name === name);
  if (!task) throw new Error(`unknown task "${name}" (available: ${TASKS.map((t) => t.name).join(', ')})`);
  return task;
}
