/**
 * The proposer's warm-start: when the policy writes the proposals, a share of every warm-start batch demonstrates
 * the proposal template (two seed records → one new record, as the task's scripted proposer writes it), so the
 * policy can follow the template at all. The batch size stays the run's: proposal demonstrations replace task
 * demonstrations, they are not extra SFT.
 */
import { Rng } from '../../engine/rng';
import { SELF_INSTRUCT_STREAM } from '../../engine/streams';
import type { Demonstration } from '../../model/sft';
import { proposalGrammar, proposalTemplate } from '../reasoning/selfInstruct';
import { runModelConfig, type RunConfig } from '../runConfig';
import type { Task } from '../tasks/types';
import type { DemonstrationSource } from '../warmStart';
import { DEMONSTRATION_SPLIT } from './round';

/** The run's task demonstrations with proposal demonstrations mixed in, or them alone for the scripted proposer. */
export function proposerWarmStart(run: RunConfig, task: Task, own: DemonstrationSource): DemonstrationSource {
  const { proposer, proposalShare } = run.selfInstruct;
  if (proposer !== 'policy' || proposalShare === 0) return own;
  const grammar = proposalGrammar(task.name);
  const rng = new Rng(run.seed, SELF_INSTRUCT_STREAM).split(DEMONSTRATION_SPLIT);
  const context = runModelConfig(run).contextLength;
  const proposalDemonstration = (): Demonstration => {
    const a = task.generate(rng, run.difficulty), b = task.generate(rng, run.difficulty);
    const demo = { prompt: proposalTemplate(grammar, a, b), completion: grammar.propose(rng, a, b) };
    // BOS, the template, the record and EOS.
    const length = demo.prompt.length + demo.completion.length + 2;
    if (length > context) {
      throw new Error(`self-instruct: the proposal demonstration "${demo.prompt}${demo.completion}" needs ${length} tokens, more than the context length ${context}: raise model.contextLength`);
    }
    return demo;
  };
  return {
    next() {
      const batch = own.next();
      const proposals = Math.round(batch.length * proposalShare);
      return [...batch.slice(0, batch.length - proposals), ...Array.from({ length: proposals }, proposalDemonstration)];
    },
  };
}
