#!/usr/bin/env python3
"""PyTorch reference of one DPO optimizer step (docs/dpo.md), written from the loss of Rafailov et al. (arXiv
2305.18290) as the semi-online DPO of arXiv 2506.21495 uses it, for the golden fixture of
tests/engine/dpoReference.test.ts. The policy is scripts/reference_model.py's.

From a fixed policy checkpoint, a different fixed reference checkpoint (the policy's weights plus small noise) and
fixed preference pairs (prompt, chosen completion, rejected completion; token ids given as data, lengths differ),
each case (one beta) computes:
  sequence log-probs   log pi(y | x) = sum over the completion tokens of log softmax(logits)[token] (temperature
                       1), for the chosen and the rejected completion, under the policy and under the reference
  rewards              beta * (log pi - log pi_ref), chosen and rejected
  margins              chosen reward - rejected reward
  accuracies           1 where the chosen reward is above the rejected one, else 0
  loss                 mean over the pairs of -log sigmoid(margin)
  gradients            of the loss with respect to every policy weight (the reference gets none)
  optimizer            global-norm clipping to MAX_GRAD_NORM, then one AdamW step (decay on matrices only), as
                       src/engine/optim.ts does it
The batch lists the P chosen sequences first, then the P rejected ones, each as BOS + prompt + completion.

Writes tests/fixtures/dpo-step/:
  config.json, model.safetensors   the policy checkpoint (random weights)
  reference.safetensors            the reference checkpoint (same config)
  expected.json                    the pairs, the settings and, per case, beta, the sequence log-probs, rewards,
                                   margins, accuracies, loss and grad_norm
  expected.safetensors             per case c: g<c>.<parameter> the gradient, c<c>.<parameter> the weights after
                                   the step

Usage: /usr/bin/python3 scripts/reference_dpo.py   (needs torch; the outputs are committed, tests never run Python)
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import reference_grpo as grpo  # noqa: E402
import reference_model as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'dpo-step')
# GRPO's fixture model with a deterministic FFN activation (its weights have the same shapes; grpo.random_weights).
MODEL = {**grpo.MODEL, 'activation': 'silu'}
BETAS = [0.1, 0.5]
REFERENCE_NOISE = 0.05  # std of the perturbation that makes the reference differ from the policy
# (prompt length, chosen length, rejected length): different lengths in each pair and across pairs.
PAIR_LENGTHS = [(2, 3, 5), (4, 6, 1), (3, 2, 2), (1, 4, 3)]
# MAX_GRAD_NORM lies between the two cases' gradient norms, so one step is clipped and the other is not.
LEARNING_RATE, WEIGHT_DECAY, MAX_GRAD_NORM = 0.01, 0.01, 1.0
ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8


def preference_pairs(gen):
    """Completions end with EOS; the other tokens are random letters of the GRPO fixture's alphabet."""
    letters = list(range(3, 3 + len(grpo.ALPHABET)))
    pick = lambda n: [letters[i] for i in torch.randint(len(letters), (n,), generator=gen).tolist()]  # noqa: E731
    return [{'prompt': pick(p), 'chosen': pick(c - 1) + [ref.EOS], 'rejected': pick(r - 1) + [ref.EOS]}
            for p, c, r in PAIR_LENGTHS]


def sequence_logprobs(W, pairs):
    """Summed completion log-probs, [2, P]: row 0 the chosen completions, row 1 the rejected ones."""
    seqs = [(p['prompt'], p['chosen']) for p in pairs] + [(p['prompt'], p['rejected']) for p in pairs]
    full = [[ref.BOS] + prompt + completion for prompt, completion in seqs]
    B, T = len(seqs), max(len(f) for f in full) - 1
    ids = torch.full((B, T), ref.PAD, dtype=torch.int64)
    targets = torch.full((B, T), ref.PAD, dtype=torch.int64)
    mask = torch.zeros(B, T)
    for b, ((prompt, completion), f) in enumerate(zip(seqs, full)):
        ids[b, :len(f) - 1] = torch.tensor(f[:-1])
        targets[b, :len(f) - 1] = torch.tensor(f[1:])
        mask[b, len(prompt):len(prompt) + len(completion)] = 1  # rows whose next token is a completion token
    logits = ref.forward(MODEL, W, ids, torch.arange(T).repeat(B, 1))
    token_logp = torch.log_softmax(logits, dim=-1).gather(-1, targets[..., None])[..., 0]
    return (token_logp * mask).sum(-1).view(2, len(pairs))


def dpo_step(W0, W_ref, pairs, beta):
    W = {k: v.clone().requires_grad_(True) for k, v in W0.items()}
    with torch.no_grad():
        reference = sequence_logprobs(W_ref, pairs)
    policy = sequence_logprobs(W, pairs)
    rewards = beta * (policy - reference)
    margins = rewards[0] - rewards[1]
    loss = -F.logsigmoid(margins).mean()
    loss.backward()
    grads = {k: v.grad.clone() for k, v in W.items()}
    decay = [W[k] for k in W if W[k].dim() == 2]
    no_decay = [W[k] for k in W if W[k].dim() != 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': WEIGHT_DECAY}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=LEARNING_RATE, betas=ADAM_BETAS, eps=ADAM_EPS)
    grad_norm = torch.nn.utils.clip_grad_norm_(decay + no_decay, MAX_GRAD_NORM)
    opt.step()
    flat = lambda t: [grpo.f32(v) for v in t.flatten().tolist()]  # noqa: E731
    expected = {'beta': beta, 'policy_logps': flat(policy.detach()), 'reference_logps': flat(reference),
                'rewards': flat(rewards.detach()), 'margins': flat(margins.detach()),
                'accuracies': flat((rewards[0] > rewards[1]).float()), 'loss': grpo.f32(loss.item()), 'grad_norm': grpo.f32(grad_norm.item())}
    return expected, grads, {k: v.detach() for k, v in W.items()}


def main():
    gen = torch.Generator().manual_seed(12)
    W0 = grpo.random_weights(gen)
    W_ref = {k: v + REFERENCE_NOISE * torch.randn(v.shape, generator=gen) for k, v in W0.items()}
    pairs = preference_pairs(gen)
    os.makedirs(OUT, exist_ok=True)
    note = {'generated_by': 'scripts/reference_dpo.py', 'note': 'do not edit'}
    with open(os.path.join(OUT, 'config.json'), 'w') as f:
        json.dump({'format': 'grpo-playground/checkpoint@1', 'model': MODEL, 'alphabet': grpo.ALPHABET}, f, indent=2)
    ref.write_safetensors(os.path.join(OUT, 'model.safetensors'), W0, note)
    ref.write_safetensors(os.path.join(OUT, 'reference.safetensors'), W_ref, note)
    cases, tensors = [], {}
    for c, beta in enumerate(BETAS):
        expected, grads, after = dpo_step(W0, W_ref, pairs, beta)
        cases.append(expected)
        tensors.update({f'g{c}.{k}': v for k, v in grads.items()})
        tensors.update({f'c{c}.{k}': v for k, v in after.items()})
        print(f"beta {beta}: loss {expected['loss']:.6f} grad_norm {expected['grad_norm']:.5f} "
              f"margins {expected['margins']} accuracies {expected['accuracies']}")
    settings = {'learning_rate': LEARNING_RATE, 'weight_decay': WEIGHT_DECAY, 'max_grad_norm': MAX_GRAD_NORM,
                'adam_betas': list(ADAM_BETAS), 'adam_eps': ADAM_EPS}
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({**note, 'settings': settings, 'pairs': pairs, 'cases': cases}, f, indent=1)
    ref.write_safetensors(os.path.join(OUT, 'expected.safetensors'), tensors, note)


if __name__ == '__main__':
    main()
