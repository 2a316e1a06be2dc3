/**
 * The inspected rollout's numbers per token, for colouring and the tooltip: the recorded ones; KL to the
 * reference (k3, when the run keeps one); the advantage contribution, advantage × the token's loss weight,
 * recomputed from the iteration's rollouts exactly as the trainer split (each records its minibatch) and weighted them; and, while `withRatios`,
 * the policy ratio π_θ/π_sample with π_θ the current policy, fetched from the engine (refetched for every new
 * iteration, whose rollouts are new records).
 */
import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { generationBatchWeights } from '../../rl/grpo/lossWeights';
import type { RolloutRecord } from '../../rl/trainer';
import { currentLogprobsStore, useCurrentLogprobs, useRun } from '../../store/appStore';
import type { TokenScale, TokenStats } from '../charts/tokenColor';

/** k3 estimate of KL(π‖π_ref) at one token, as the loss uses it. */
const k3 = (logp: number, ref: number) => Math.exp(ref - logp) - (ref - logp) - 1;

const maxAbs = (xs: readonly number[]) => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

export interface RatioFetch {
  loading: boolean;
  error: string | null;
  /** GRPO iterations the policy that gave the ratios has been trained for (null until they arrive). */
  iteration: number | null;
}

export interface InspectedTokens {
  rollout: RolloutRecord | null;
  /** Per completion token of `rollout`. */
  stats: TokenStats[];
  scale: Omit<TokenScale, 'maxEntropy'>;
  ratios: RatioFetch;
}

export function useTokenStats(withRatios: boolean): InspectedTokens {
  const rollouts = useRun((s) => s.rollouts);
  const rollout = useRun((s) => s.rollouts[s.selection.rollout] ?? null);
  const grpo = useRun((s) => s.applied.grpo);
  const fetched = useCurrentLogprobs(useShallow((s) => ({ current: s.data, loading: s.loading, error: s.error, forRollout: s.rollout })));
  useEffect(() => {
    if (withRatios) void currentLogprobsStore().getState().load(rollout);
  }, [withRatios, rollout]);

  const batch = useMemo(() => {
    const weights = generationBatchWeights(
      rollouts.map((r) => ({ length: r.tokens.length, truncated: r.truncated })),
      grpo.loss_type,
      { minibatchOf: rollouts.map((r) => r.minibatch), maxCompletionLength: grpo.max_completion_length, maskTruncated: grpo.mask_truncated_completions },
    );
    const contributions = rollouts.map((r, i) => weights[i].map((w) => r.advantage * w));
    const kls = rollouts.map(({ logprobs, refLogprobs: ref }) => (ref ? logprobs.map((lp, t) => k3(lp, ref[t])) : null));
    return {
      contributions,
      kls,
      scale: {
        maxAbsAdvantage: maxAbs(rollouts.map((r) => r.advantage)),
        maxAbsContribution: maxAbs(contributions.flat()),
        maxKl: maxAbs(kls.flatMap((k) => k ?? [])),
      },
    };
  }, [rollouts, grpo]);

  const current = fetched.forRollout === rollout ? fetched.current : null;
  const index = rollout ? rollouts.indexOf(rollout) : -1;
  const stats = rollout
    ? rollout.logprobs.map(
        (logprob, t): TokenStats => ({
          logprob,
          entropy: rollout.entropies[t],
          advantage: rollout.advantage,
          ratio: current ? Math.exp(current.logprobs[t] - logprob) : undefined,
          contribution: batch.contributions[index][t],
          kl: batch.kls[index]?.[t],
        }),
      )
    : [];
  const ratioValues = stats.flatMap((s) => (s.ratio === undefined ? [] : [Math.log(s.ratio)]));
  return {
    rollout,
    stats,
    scale: { ...batch.scale, maxAbsLogRatio: maxAbs(ratioValues) },
    ratios: {
      loading: fetched.forRollout === rollout && fetched.loading,
      error: fetched.forRollout === rollout ? fetched.error : null,
      iteration: current?.iteration ?? null,
    },
  };
}
